import type { TextEdit, TextRange } from '../types';
import { key } from './phrases';
import type { Role, RoleMention, RoleModel, RoleRelation } from './types';

/** The role mention at `offset` and its role, or null. */
export function roleAt(model: RoleModel, offset: number): { mention: RoleMention; role: Role } | null {
  const mention = model.mentions.find((m) => m.range.start <= offset && offset <= m.range.end);
  if (!mention) return null;
  const role = model.roles.find((r) => r.name === mention.role);
  return role ? { mention, role } : null;
}

const KIND_LABEL: Record<RoleRelation['kind'], string> = { permit: '許可', approve: '承認', report: '報告', notify: '通知・届出', appoint: '任命', instruct: '指示' };

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

function uniq(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** Hover on a role: its appointment, its duties, what it permits or approves, and its reporting lines. */
export function roleHoverAt(model: RoleModel, offset: number): { range: TextRange; markdown: string } | null {
  const hit = roleAt(model, offset);
  if (!hit) return null;
  const { role, mention } = hit;
  const lines: string[] = [];
  lines.push(`**${role.name}**${role.aliases.length > 0 ? `（${role.aliases.join('、')}）` : ''}`);
  if (!role.defined) {
    lines.push('', 'この文書（及びワークスペース）では任命・定義されていません。');
  } else {
    lines.push('', '**任命・定義**');
    for (const d of role.definitions.slice(0, 3)) {
      const where = d.uri ? `${d.clauseLabel}（${d.uri.split('/').pop()}）` : d.clauseLabel;
      lines.push(`- ${where}: ${clip(d.clauseText)}${d.assignees.length > 0 ? `（充てる者: ${d.assignees.join('、')}）` : ''}`);
    }
  }
  const duties = model.duties.filter((d) => d.role === role.name);
  if (duties.length > 0) {
    lines.push('', `**職務**（${duties.length} 件）`);
    for (const d of duties.slice(0, 5)) lines.push(`- ${d.clauseLabel}: ${clip(d.text)}`);
    if (duties.length > 5) lines.push(`- ほか ${duties.length - 5} 件`);
  }
  const grants = model.relations.filter((r) => (r.kind === 'permit' || r.kind === 'approve') && r.authorities.includes(role.name));
  if (grants.length > 0) {
    lines.push('', '**許可・承認する事項**');
    for (const r of grants) lines.push(`- ${r.action.label}（${KIND_LABEL[r.kind]}、${r.clauseLabel}）`);
  }
  const asks = model.relations.filter((r) => (r.kind === 'permit' || r.kind === 'approve') && r.requesters.includes(role.name));
  if (asks.length > 0) {
    lines.push('', '**許可・承認を受ける事項**');
    for (const r of asks) lines.push(`- ${r.action.label}: ${r.authorities.join('、')}（${r.clauseLabel}）`);
  }
  const reportsTo = model.relations.filter((r) => (r.kind === 'report' || r.kind === 'notify') && r.requesters.includes(role.name));
  if (reportsTo.length > 0) {
    lines.push('', '**報告先**');
    for (const r of reportsTo) lines.push(`- ${r.action.label} → ${r.authorities.join('、')}（${r.clauseLabel}）`);
  }
  const receives = model.relations.filter((r) => (r.kind === 'report' || r.kind === 'notify') && r.authorities.includes(role.name));
  if (receives.length > 0) {
    lines.push('', '**報告を受ける事項**');
    for (const r of receives) lines.push(`- ${r.action.label} ← ${r.requesters.join('、') || r.requesterText || '（主語なし）'}（${r.clauseLabel}）`);
  }
  return { range: mention.range, markdown: lines.join('\n') };
}

/** Where the role at `offset` is defined (the first definition; `uri` when in another document). */
export function roleDefinitionAt(model: RoleModel, offset: number): { originRange: TextRange; uri?: string; range: TextRange } | null {
  const hit = roleAt(model, offset);
  const d = hit?.role.definitions[0];
  if (!hit || !d) return null;
  return { originRange: hit.mention.range, ...(d.uri ? { uri: d.uri } : {}), range: d.range };
}

/** Every mention of the role at `offset` in this document, its aliases included. */
export function roleReferencesAt(model: RoleModel, offset: number, includeDeclaration = true): TextRange[] {
  const hit = roleAt(model, offset);
  if (!hit) return [];
  return model.mentions.filter((m) => m.role === hit.role.name && (includeDeclaration || !m.isDefinition)).map((m) => m.range);
}

/**
 * Renames the name at `offset` (the full name or the alias the cursor is on) in every mention of this
 * document. Null when there is no role there; an error when the new name is empty, contains spaces or
 * brackets, or is another role's name.
 */
export function renameRoleEdits(model: RoleModel, offset: number, newName: string): { edits: TextEdit[] } | { error: string } | null {
  const hit = roleAt(model, offset);
  if (!hit) return null;
  const name = newName.trim();
  if (name.length === 0 || /[\s「」『』（）()、。]/.test(name)) return { error: `役割名に使えない文字が含まれています: ${newName}` };
  const clash = model.roles.find((r) => r !== hit.role && [r.name, ...r.aliases].some((n) => key(n) === key(name)));
  if (clash) return { error: `『${name}』は既に別の役割（『${clash.name}』）の名前です` };
  const from = key(hit.mention.surface);
  const edits = model.mentions
    .filter((m) => m.role === hit.role.name && key(m.surface) === from)
    .map((m) => ({ range: m.range, newText: name }));
  return { edits: uniq(edits.map((e) => `${e.range.start}`)).map((s) => edits.find((e) => `${e.range.start}` === s)!) };
}
