import type { Catalog } from '../catalog/types';
import type { Tokenizer } from '../morph/types';
import type { ParsedPolicy } from '../parse/types';
import { extractRoleDefinitions } from '../roles/definitions';
import type { RoleDefinition } from '../roles/types';
import { normalizeForMatch } from '../text/normalize';

/**
 * The draft's own names for the guideline's roles, read from how the draft introduces them, so that
 * clauses are compared in the guideline's vocabulary:
 * - 最高情報セキュリティ責任者（以下「セキュリティ統括責任者」という。） → the draft's name is an alias;
 * - セキュリティ統括責任者（CISO） / セキュリティ統括責任者（最高情報セキュリティ責任者） → the same;
 * - 最高情報セキュリティ責任者として、セキュリティ統括責任者を置く → the same.
 * Appointing a person (副市長をCISOとする) is not a rename: the role keeps its name.
 * Returns [draft name, guideline name] pairs in normalised text.
 */
export function roleRenames(text: string, catalog: Catalog): [string, string][] {
  const normalized = normalizeForMatch(text);
  const canonical = new Map<string, string>();
  for (const r of catalog.roles) {
    canonical.set(normalizeForMatch(r.name), normalizeForMatch(r.name));
    for (const a of r.aliases) canonical.set(normalizeForMatch(a), normalizeForMatch(r.name));
  }
  const names = [...canonical.keys()].sort((a, b) => b.length - a.length).map(escape).join('|');
  if (!names) return [];
  const NAME = '([^、。「」（）()\\s]{2,20}?(?:責任者|管理者|担当者|委員会|会議|アドバイザー|CSIRT|チーム|長))';
  const patterns = [
    new RegExp(`(${names})[(（][^）)]{0,60}?以下[「『]${NAME}[」』]という`, 'gu'),
    new RegExp(`${NAME}[(（](${names})[)）]`, 'gu'),
    new RegExp(`(${names})として[、]?${NAME}を(?:置く|置き|設置)`, 'gu'),
  ];
  const out = new Map<string, string>();
  patterns.forEach((re, k) => {
    for (const m of normalized.matchAll(re)) {
      const [guideline, draft] = k === 1 ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
      const target = canonical.get(guideline);
      if (!target || canonical.has(draft) || draft === target) continue;
      out.set(draft, target);
    }
  });
  return [...out];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The same pairs read from the role model's definitions (以下「X」という, abbreviations in brackets,
 * 「YとしてXを置く」): names the draft gives a role that the guideline calls by its catalog name.
 */
export function roleRenamesFromModel(parsed: ParsedPolicy, catalog: Catalog, tokenizer: Tokenizer): [string, string][] {
  return roleRenamesFromDefinitions(extractRoleDefinitions(parsed, tokenizer, catalog), catalog);
}

/** The renames implied by role definitions the role model already found (no second analysis). */
export function roleRenamesFromDefinitions(definitions: readonly RoleDefinition[], catalog: Catalog): [string, string][] {
  const canonical = new Map<string, string>();
  for (const r of catalog.roles) {
    canonical.set(normalizeForMatch(r.name), normalizeForMatch(r.name));
    for (const a of r.aliases) canonical.set(normalizeForMatch(a), normalizeForMatch(r.name));
  }
  const out = new Map<string, string>();
  for (const d of definitions) {
    const names = [d.name, ...d.aliases].map(normalizeForMatch);
    const target = names.map((n) => canonical.get(n)).find((t) => t !== undefined);
    if (!target) continue;
    for (const n of names) if (!canonical.has(n) && n !== target) out.set(n, target);
  }
  return [...out];
}
