/**
 * Roles and organs of the 例文 (guideline-map.md §7). Which names count as roles is an editorial choice, so the
 * list is data; where each is defined is checked against the text, and where each is used is computed.
 */

import type { CatalogRole } from '../../server/src/service/catalog/types';
import type { ExampleItem } from './examples';

interface RoleSpec {
  readonly name: string;
  readonly aliases: readonly string[];
  /** The item that appoints or defines it (組織体制, map §7.1), or null when the 例文 only use it (map §7.2). */
  readonly definedIn: string | null;
}

const roleSpecs: readonly RoleSpec[] = [
  { name: '最高情報セキュリティ責任者', aliases: ['CISO'], definedIn: '1(1)' },
  { name: '最高情報セキュリティアドバイザー', aliases: [], definedIn: '1(1)②' },
  { name: '情報セキュリティインシデントに対処するための体制', aliases: ['CSIRT'], definedIn: '1(1)③' },
  { name: '統括情報セキュリティ責任者', aliases: [], definedIn: '1(2)' },
  { name: '情報セキュリティ責任者', aliases: [], definedIn: '1(3)' },
  { name: '職員等', aliases: [], definedIn: '1(3)④' },
  { name: '情報セキュリティ管理者', aliases: [], definedIn: '1(4)' },
  { name: '情報システム管理者', aliases: [], definedIn: '1(5)' },
  { name: '情報システム担当者', aliases: [], definedIn: '1(6)' },
  { name: '情報セキュリティ委員会', aliases: [], definedIn: '1(7)' },
  { name: 'CSIRT 責任者', aliases: [], definedIn: '1(9)②' },
  { name: '情報セキュリティの統一的な窓口', aliases: ['情報セキュリティに関する統一的な窓口'], definedIn: '1(9)③' },
  { name: '情報セキュリティ監査統括責任者', aliases: [], definedIn: null },
  { name: '外部委託事業者', aliases: [], definedIn: null },
  { name: '施設管理部門', aliases: [], definedIn: null },
  { name: '人事管理部門', aliases: [], definedIn: null },
  { name: '被監査部門', aliases: [], definedIn: null },
  { name: '監督責任者', aliases: [], definedIn: null },
];

/** Text of an item for matching: title and body with the spaces the extraction puts around Latin words removed. */
export function matchText(item: Pick<ExampleItem, 'title' | 'text'>): string {
  return `${item.title ?? ''}\n${item.text}`.replace(/[ \u3000]/g, '');
}

export function buildRoles(items: readonly ExampleItem[]): CatalogRole[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const usedIn = new Map<string, string[]>(roleSpecs.map((r) => [r.name, []]));
  const patterns = roleSpecs
    .flatMap((r) => [r.name, ...r.aliases].map((p) => ({ pattern: p.replace(/\s/g, ''), role: r.name })))
    .sort((a, b) => b.pattern.length - a.pattern.length);
  for (const item of items) {
    for (const role of rolesMentioned(matchText(item), patterns)) usedIn.get(role)!.push(item.id);
  }
  return roleSpecs.map((spec) => {
    if (spec.definedIn !== null) checkDefinition(spec, byId.get(spec.definedIn));
    return { name: spec.name, aliases: spec.aliases, definedIn: spec.definedIn, usedIn: usedIn.get(spec.name)! };
  });
}

/** Longest match first, so 統括情報セキュリティ責任者 is not also counted as 情報セキュリティ責任者. */
function rolesMentioned(text: string, patterns: readonly { pattern: string; role: string }[]): Set<string> {
  const taken = new Array<boolean>(text.length).fill(false);
  const found = new Set<string>();
  for (const { pattern, role } of patterns) {
    for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) {
      if (taken.slice(at, at + pattern.length).some(Boolean)) continue;
      taken.fill(true, at, at + pattern.length);
      found.add(role);
    }
  }
  return found;
}

function checkDefinition(spec: RoleSpec, item: ExampleItem | undefined): void {
  const names = [spec.name, ...spec.aliases].map((n) => n.replace(/\s/g, ''));
  if (!item || !names.some((n) => matchText(item).includes(n))) {
    throw new Error(`role ${spec.name}: defining item ${spec.definedIn} missing or does not mention it`);
  }
}
