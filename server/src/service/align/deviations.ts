import { frontMatterSettings } from '../parse/frontMatter';
/**
 * What the drafter declared in the front matter about the guideline items:
 *
 * ```yaml
 * kijun:
 *   adopted-recommendations: [4.1(2)①, 5.2(2)②]
 *   not-applicable:
 *     "3": 本協議会はマイナンバー利用事務系・LGWAN接続系を持たないため
 *   omitted:
 *     - id: 6.1(14)⑥
 *       reason: 電子メールの監視は別規程で定める
 * ```
 * An id covers the item and everything below it (`3` marks the whole section 3).
 */
export interface Deviation {
  readonly id: string;
  readonly kind: 'not-applicable' | 'omitted';
  readonly reason: string;
}

export interface DeclaredDeviations {
  readonly adoptedRecommendations: ReadonlySet<string>;
  readonly deviations: readonly Deviation[];
  /** Problems in the declarations themselves, in Japanese. */
  readonly problems: readonly string[];
}

const ADOPTED_KEYS = ['adopted-recommendations', 'adoptedRecommendations', '採用する推奨事項', '推奨事項'];
const NA_KEYS = ['not-applicable', 'notApplicable', '対象外', '該当なし'];
const OMITTED_KEYS = ['omitted', '省略'];

export function readDeviations(data: Readonly<Record<string, unknown>> | null): DeclaredDeviations {
  const problems: string[] = [];
  const scope = frontMatterSettings(data);
  const adopted = new Set<string>();
  const deviations: Deviation[] = [];
  for (const key of ADOPTED_KEYS) {
    const v = scope[key];
    if (v === undefined) continue;
    for (const id of toIdList(v)) adopted.add(normalizeId(id));
    if (!Array.isArray(v) && typeof v !== 'string') problems.push(`「${key}」は項目番号の一覧で書いてください`);
  }
  for (const [keys, kind] of [[NA_KEYS, 'not-applicable'], [OMITTED_KEYS, 'omitted']] as const) {
    for (const key of keys) {
      const v = scope[key];
      if (v === undefined) continue;
      for (const entry of toEntries(v)) {
        if (!entry.reason) problems.push(`「${key}」の ${entry.id} に理由がありません`);
        deviations.push({ id: normalizeId(entry.id), kind, reason: entry.reason });
      }
    }
  }
  return { adoptedRecommendations: adopted, deviations, problems };
}

/** The guideline's ids written in any width: ６．１（３）② → 6.1(3)②. */
export function normalizeId(id: string): string {
  return id
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．]/g, '.')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\s+/g, ' ')
    .replace(/^(基本方針)\s*/, '基本方針 ')
    .trim();
}

/** True when `id` is `scope` or below it (6.1(3)② is below 6.1 and 6.1(3); 6.10 is not below 6.1). */
export function isWithin(id: string, scope: string): boolean {
  if (id === scope) return true;
  // The character after the scope must start a deeper level: '.', '(' or a circled number, never a digit.
  return id.startsWith(scope) && !/[0-9]/.test(id.charAt(scope.length));
}

function toIdList(v: unknown): string[] {
  if (typeof v === 'string') return v.split(/[,、\s]+/).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);
  return [];
}

function toEntries(v: unknown): { id: string; reason: string }[] {
  if (Array.isArray(v)) {
    return v.flatMap((x) => {
      if (typeof x === 'string' || typeof x === 'number') return [{ id: String(x), reason: '' }];
      if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        const id = o['id'] ?? o['項目'];
        const reason = o['reason'] ?? o['理由'];
        if (typeof id === 'string' || typeof id === 'number') return [{ id: String(id), reason: typeof reason === 'string' ? reason : '' }];
      }
      return [];
    });
  }
  if (v && typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>).map(([id, reason]) => ({ id, reason: typeof reason === 'string' ? reason : '' }));
  }
  if (typeof v === 'string') return toIdList(v).map((id) => ({ id, reason: '' }));
  return [];
}
