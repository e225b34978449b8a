/**
 * Checks that parsed JSON data is a guideline catalog (types.ts) before the service uses it: a catalog the
 * user supplies (kijun.catalog.path, `kijun check --catalog`) for another edition of the guideline. Pure: the
 * caller reads and JSON.parses the file (data only, nothing is evaluated); this only looks at the value.
 *
 * It stops at the first problem and names it by its JSON path (`$.items[3].level`) in Japanese. Beyond the
 * types it checks what the service relies on: unique item ids, a parent listed before its children (so the
 * tree has no cycles), and sections, roles, relations and terms referring to items that exist.
 */
import type { Catalog, CatalogLevel, GuidelinePart, RelationKind } from './types';

export type CatalogValidation = { readonly ok: true; readonly catalog: Catalog } | { readonly ok: false; readonly path: string; readonly message: string };

const PARTS: readonly GuidelinePart[] = ['basic-policy', 'standards'];
const LEVELS: readonly CatalogLevel[] = ['part', 'section', 'subsection', 'item', 'subitem', 'subsubitem', 'bullet', 'paragraph'];
const RELATIONS: readonly RelationKind[] = ['approve', 'permit', 'report', 'notify', 'appoint', 'instruct'];
/** Far beyond the guideline (553 items): a bound on the work a catalog can cause, not a limit on editions. */
export const MAX_CATALOG_ITEMS = 20_000;

class Invalid extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return '配列';
  switch (typeof v) {
    case 'string':
      return `文字列 ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
      return `数値 ${v}`;
    case 'boolean':
      return `真偽値 ${v}`;
    case 'object':
      return 'オブジェクト';
    default:
      return typeof v;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new Invalid(path, `はオブジェクトです（${v === undefined ? 'ありません' : `${describe(v)} が書かれています`}）`);
  return v;
}

function field(o: Obj, key: string, path: string): unknown {
  // Own properties only: `__proto__` or `constructor` in the JSON are data, never inherited members.
  if (!Object.prototype.hasOwnProperty.call(o, key)) throw new Invalid(`${path}.${key}`, 'がありません');
  return o[key];
}

function string(o: Obj, key: string, path: string, opts: { nonEmpty?: boolean } = {}): string {
  const v = field(o, key, path);
  if (typeof v !== 'string') throw new Invalid(`${path}.${key}`, `は文字列です（${describe(v)} が書かれています）`);
  if (opts.nonEmpty && v.trim() === '') throw new Invalid(`${path}.${key}`, 'が空です');
  return v;
}

function stringOrNull(o: Obj, key: string, path: string): string | null {
  const v = field(o, key, path);
  if (v !== null && typeof v !== 'string') throw new Invalid(`${path}.${key}`, `は文字列か null です（${describe(v)} が書かれています）`);
  return v;
}

function boolean(o: Obj, key: string, path: string): boolean {
  const v = field(o, key, path);
  if (typeof v !== 'boolean') throw new Invalid(`${path}.${key}`, `は true か false です（${describe(v)} が書かれています）`);
  return v;
}

function line(o: Obj, key: string, path: string): number {
  const v = field(o, key, path);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Invalid(`${path}.${key}`, `は 0 以上の整数です（${describe(v)} が書かれています）`);
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, allowed: readonly T[], path: string): T {
  const v = field(o, key, path);
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new Invalid(`${path}.${key}`, `は ${allowed.join(' / ')} のいずれかです（${describe(v)} が書かれています）`);
  return v as T;
}

function array(o: Obj, key: string, path: string): readonly unknown[] {
  const v = field(o, key, path);
  if (!Array.isArray(v)) throw new Invalid(`${path}.${key}`, `は配列です（${describe(v)} が書かれています）`);
  return v;
}

function strings(o: Obj, key: string, path: string): readonly string[] {
  const list = array(o, key, path);
  list.forEach((v, i) => {
    if (typeof v !== 'string') throw new Invalid(`${path}.${key}[${i}]`, `は文字列です（${describe(v)} が書かれています）`);
  });
  return list as readonly string[];
}

function check(data: unknown): void {
  const root = object(data, '$');
  const guideline = object(field(root, 'guideline', '$'), '$.guideline');
  string(guideline, 'title', '$.guideline', { nonEmpty: true });
  string(guideline, 'edition', '$.guideline');

  const items = array(root, 'items', '$');
  if (items.length === 0) throw new Invalid('$.items', 'に項目が一つもありません');
  if (items.length > MAX_CATALOG_ITEMS) throw new Invalid('$.items', `の項目が多すぎます（${items.length} 件、上限 ${MAX_CATALOG_ITEMS} 件）`);
  /** Id → its index, for items already checked (a parent must come before its children). */
  const seen = new Map<string, number>();
  const sections: [path: string, id: string][] = [];
  items.forEach((raw, i) => {
    const path = `$.items[${i}]`;
    const item = object(raw, path);
    const id = string(item, 'id', path, { nonEmpty: true });
    const before = seen.get(id);
    if (before !== undefined) throw new Invalid(`${path}.id`, `"${id}" が重複しています（$.items[${before}] と同じ）`);
    oneOf(item, 'part', PARTS, path);
    const parent = stringOrNull(item, 'parent', path);
    if (parent !== null && !seen.has(parent)) {
      const later = items.findIndex((x, j) => j > i && isObj(x) && x.id === parent);
      throw new Invalid(`${path}.parent`, later >= 0 ? `"${parent}" はこの項目より後（$.items[${later}]）にあります。親は子より前に置いてください` : `"${parent}" という項目はありません`);
    }
    oneOf(item, 'level', LEVELS, path);
    sections.push([`${path}.section`, string(item, 'section', path, { nonEmpty: true })]);
    string(item, 'sectionTitle', path);
    stringOrNull(item, 'number', path);
    stringOrNull(item, 'title', path);
    string(item, 'text', path);
    boolean(item, 'recommended', path);
    boolean(item, 'recommendedMark', path);
    line(item, 'sourceLine', path);
    const commentary = field(item, 'commentary', path);
    if (commentary !== null) {
      const c = object(commentary, `${path}.commentary`);
      if (Object.prototype.hasOwnProperty.call(c, 'purpose') && c.purpose !== undefined) string(c, 'purpose', `${path}.commentary`);
      string(c, 'text', `${path}.commentary`);
      line(c, 'sourceLine', `${path}.commentary`);
    }
    seen.set(id, i);
  });
  for (const [path, id] of sections) if (!seen.has(id)) throw new Invalid(path, `"${id}" という項目はありません`);

  const known = (path: string, id: string): void => {
    if (!seen.has(id)) throw new Invalid(path, `"${id}" という項目はありません`);
  };
  array(root, 'roles', '$').forEach((raw, i) => {
    const path = `$.roles[${i}]`;
    const role = object(raw, path);
    string(role, 'name', path, { nonEmpty: true });
    strings(role, 'aliases', path);
    const definedIn = stringOrNull(role, 'definedIn', path);
    if (definedIn !== null) known(`${path}.definedIn`, definedIn);
    strings(role, 'usedIn', path).forEach((id, j) => known(`${path}.usedIn[${j}]`, id));
  });
  array(root, 'relations', '$').forEach((raw, i) => {
    const path = `$.relations[${i}]`;
    const relation = object(raw, path);
    oneOf(relation, 'kind', RELATIONS, path);
    string(relation, 'authority', path, { nonEmpty: true });
    stringOrNull(relation, 'subject', path);
    string(relation, 'action', path);
    known(`${path}.itemId`, string(relation, 'itemId', path));
  });
  array(root, 'terms', '$').forEach((raw, i) => {
    const path = `$.terms[${i}]`;
    const term = object(raw, path);
    string(term, 'term', path, { nonEmpty: true });
    string(term, 'definition', path);
    const itemId = stringOrNull(term, 'itemId', path);
    if (itemId !== null) known(`${path}.itemId`, itemId);
    line(term, 'sourceLine', path);
  });
}

/** The catalog, or the first problem: its JSON path and a Japanese sentence that starts with that path. */
export function validateCatalog(data: unknown): CatalogValidation {
  try {
    check(data);
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, path: e.path, message: `カタログの ${e.path} ${e.problem}` };
    throw e;
  }
  return { ok: true, catalog: data as Catalog };
}
