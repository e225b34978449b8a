/**
 * The role model: who is appointed to what, who must do what, and who permits, approves or receives
 * reports of what. Pure: the LSP and the CLI pass text, the tokenizer and other documents' definitions.
 */
export { buildRoleModel, roleModelSteps } from './model';
export { extractRoleDefinitions, warmSentences } from './definitions';
export { roleFindings, guidelineAppointments } from './findings';
export { roleAt, roleHoverAt, roleDefinitionAt, roleReferencesAt, renameRoleEdits } from './features';
export { roleMatrix, renderRoleMatrix } from './matrix';
export type { RoleMatrix, MatrixEntry } from './matrix';
export type * from './types';
