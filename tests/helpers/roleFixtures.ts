/**
 * Fixture drafts for role findings: `tests/fixtures/roles/<code>/<case>.md` beside `<case>.expected`, in the
 * structure fixtures' `L:C-L:C code message` format (`UPDATE_SNAPSHOTS=1` rewrites them). `unused-role`
 * fixtures run with the finding switched on; `clean` fixtures expect nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../../server/src/service/catalog/index';
import type { Tokenizer } from '../../server/src/service/morph/types';
import { parsePolicy } from '../../server/src/service/parse/index';
import { buildRoleModel, guidelineAppointments, roleFindings } from '../../server/src/service/roles/index';
import type { RoleDefinition, RoleModel } from '../../server/src/service/roles/index';
import type { Finding, TextEdit } from '../../server/src/service/types';
import { formatFindings, listFixtureCases, type FixtureCase } from './structureFixtures';

export const roleFixtureRoot = join(__dirname, '..', 'fixtures', 'roles');
export const catalog = loadCatalog();
const appointments = guidelineAppointments(catalog);

export function listRoleFixtures(): FixtureCase[] {
  return listFixtureCases(roleFixtureRoot);
}

export function roleModelOf(text: string, tokenizer: Tokenizer, workspace: readonly RoleDefinition[] = []): RoleModel {
  return buildRoleModel(parsePolicy(text), tokenizer, catalog, workspace);
}

export function findingsOf(text: string, tokenizer: Tokenizer, unusedRole = false, workspace: readonly RoleDefinition[] = []): Finding[] {
  return roleFindings(roleModelOf(text, tokenizer, workspace), { unusedRole, guidelineAppointments: appointments });
}

/** Returns [actual, expected]; with UPDATE_SNAPSHOTS=1 writes the actual output as the expectation. */
export function runRoleFixture(c: FixtureCase, tokenizer: Tokenizer): [string, string, Finding[], string] {
  const text = readFileSync(c.mdPath, 'utf8');
  const findings = findingsOf(text, tokenizer, c.code === 'unused-role');
  const actual = formatFindings(text, findings);
  if (process.env['UPDATE_SNAPSHOTS'] === '1') writeFileSync(c.expectedPath, actual === '' ? '' : `${actual}\n`);
  const expected = (existsSync(c.expectedPath) ? readFileSync(c.expectedPath, 'utf8') : '<missing .expected>').replace(/\r\n/g, '\n').trimEnd();
  return [actual, expected, findings, text];
}

/** Applies non-overlapping edits (LSP semantics: all ranges refer to the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.range.end > sorted[i - 1]!.range.start) throw new Error('overlapping edits');
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}
