/**
 * The guideline's 例文 rewritten in a draft's own terms: its name for itself (本市 → 本区), its names for the
 * guideline's roles, and its way of writing numbers (第N条, (1), （１）, ①, ア …) and Markdown prefixes.
 * Used by quick fixes that insert standard wording and by clause completion.
 */
import type { Catalog, CatalogItem } from '../catalog/types';
import type { NumberStyle, ParsedPolicy, ProvisionKind, ProvisionNode } from '../parse/types';
import { formatNumber, matchMarker, toKanjiNumeral, type KanaOrder } from '../text/numbering';

export interface Adaptation {
  /** 本区, 本町, 本協議会 …; null keeps the guideline's 本市. */
  readonly selfReference: string | null;
  /** [draft name, guideline name] pairs (AlignmentResult.renames). */
  readonly renames: readonly (readonly [string, string])[];
}

const RECOMMENDED = '【推奨事項】';

/** The body's own name for itself: the setting wins, then what the document says or declares, then the guideline's. */
export function adaptationFor(parsed: ParsedPolicy, renames: Adaptation['renames'], selfReferenceOverride?: string | null): Adaptation {
  const type = parsed.organisationType;
  // A draft that never names itself yet declares its type (organisationType: 区) still gets 本区.
  const fromType = type && type !== 'その他' && type !== '都道府県' ? `本${type}` : null;
  return { selfReference: selfReferenceOverride || parsed.selfReference || fromType, renames };
}

const roleRegexes = new WeakMap<Catalog, RegExp>();

function roleRegex(catalog: Catalog): RegExp {
  let re = roleRegexes.get(catalog);
  if (!re) {
    // Every role name takes part so that a longer name (統括情報セキュリティ責任者) is never split by a shorter one.
    const names = catalog.roles.flatMap((r) => [r.name, ...r.aliases]).filter((n) => n.length >= 2);
    names.sort((a, b) => b.length - a.length);
    re = new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');
    roleRegexes.set(catalog, re);
  }
  return re;
}

/** The 例文 text in the draft's terms. */
export function adaptWording(text: string, catalog: Catalog, a: Adaptation): string {
  let out = text;
  if (a.renames.length > 0) {
    const toDraft = new Map(a.renames.map(([draft, guideline]) => [guideline, draft]));
    out = out.replace(roleRegex(catalog), (name) => toDraft.get(name) ?? toDraft.get(name.normalize('NFKC')) ?? name);
  }
  const self = a.selfReference;
  if (self && self !== '本市') {
    const body = self.slice(1);
    out = out.replace(/本市/g, self);
    // 副市長 and 市長 follow the body's type for municipalities (副町長, 区長); other bodies keep the guideline's words.
    if (/^[区町村]$/.test(body)) out = out.replace(/副市長/g, `副${body}長`).replace(/(^|[^都])市長/g, `$1${body}長`);
  }
  return out;
}

/** How one level of a draft's numbering is written. */
export interface LevelTemplate {
  readonly kind: ProvisionKind | null;
  readonly style: NumberStyle;
  /** A number as the draft writes it at this level, for widths and numerals (`（１）`, `第三条`). */
  readonly sample: string | null;
  /** What precedes the number on its line: `### `, `- `, ''. */
  readonly prefix: string;
  /** Between the number and the text: '', ' ', '　'. */
  readonly gap: string;
  readonly order: KanaOrder;
  /** For articles: the caption on its own line above (（目的）\n第1条 …) rather than after the number. */
  readonly captionAbove?: boolean;
}

const FULL_DIGITS = /[０-９]/;

/** A number written like `sample`: the same digit width, parentheses and numerals. */
export function formatLike(template: LevelTemplate, number: readonly number[]): string {
  if (template.style === 'none') return '';
  let s = formatNumber(template.style, number, template.order);
  const sample = template.sample ?? '';
  if (/^第[〇一二三四五六七八九十百千]/.test(sample) && /^第\d/.test(s)) {
    s = s.replace(/\d+/g, (d) => toKanjiNumeral(Number(d)));
  } else if (FULL_DIGITS.test(sample)) {
    s = s.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    if (template.style === 'dotted') s = s.replace(/\./g, sample.includes('．') ? '．' : '.');
  }
  if (sample.startsWith('（')) s = s.replace(/^\(/, '（').replace(/\)$/, '）');
  else if (sample.startsWith('(')) s = s.replace(/^（/, '(').replace(/）$/, ')');
  return s;
}

/** The template of the level a node is written at, read from the node itself. */
export function templateOf(parsed: ParsedPolicy, node: ProvisionNode, order: KanaOrder = 'gojuon'): LevelTemplate {
  const text = parsed.text;
  const at = node.numberRange?.start ?? node.headRange.start;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const prefix = text.slice(lineStart, at);
  let gap = '';
  if (node.numberRange) {
    const m = /^[ \u3000\t]*/.exec(text.slice(node.numberRange.end, node.numberRange.end + 4));
    gap = m ? m[0] : '';
  }
  const captionAbove = node.kind === 'article' && node.range.start < lineStart && /^[(（]/.test(text.slice(node.range.start));
  return {
    kind: node.kind,
    style: node.numberText ? node.style : 'none',
    sample: node.numberText,
    prefix: /^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+|>[ \t]*)?$/.test(prefix) ? prefix : '',
    gap: gap.replace(/\t/g, ' '),
    order: node.style === 'iroha' ? 'iroha' : order,
    ...(captionAbove ? { captionAbove } : {}),
  };
}

/** The template a guideline number would have in the guideline's own outline style: `(１)`, `②`, `（ア）`. */
export function guidelineTemplate(item: CatalogItem): LevelTemplate {
  const number = item.number;
  const marker = number && number !== '・' ? matchMarker(`${number} x`) : null;
  if (item.level === 'bullet') return { kind: null, style: 'none', sample: null, prefix: '- ', gap: '', order: 'gojuon' };
  if (!marker) return { kind: null, style: 'none', sample: null, prefix: '', gap: '', order: 'gojuon' };
  const bare = marker.style === 'arabic' || marker.style === 'katakana' || marker.style === 'kanji';
  return { kind: null, style: marker.style, sample: marker.numberText, prefix: '', gap: bare ? ' ' : '', order: 'gojuon' };
}

export interface RenderOptions {
  readonly catalog: Catalog;
  readonly adaptation: Adaptation;
  /** Level templates below the inserted item's level, from the draft where it shows them. */
  readonly deeper: readonly (LevelTemplate | undefined)[];
  /** Between blocks: '\n\n' in most drafts, '\n' in tight lists. */
  readonly separator: string;
  /** A caption for an article when the item has no title of its own. */
  readonly fallbackTitle: string;
}

/**
 * Markdown for a catalog item and everything below it, numbered `number` in `template`.
 * Children are numbered from 1 in the draft's deeper levels, or in the guideline's own style.
 */
export function renderItem(item: CatalogItem, template: LevelTemplate, number: readonly number[] | null, opts: RenderOptions): string {
  const blocks: string[] = [];
  const wording = (i: CatalogItem): string => {
    const text = adaptWording(i.text, opts.catalog, opts.adaptation).replace(/\n+/g, opts.separator);
    return text && i.recommendedMark ? `${text}${RECOMMENDED}` : text;
  };

  const emit = (i: CatalogItem, t: LevelTemplate, num: readonly number[] | null, depth: number): void => {
    const label = num && t.style !== 'none' ? formatLike(t, num) : '';
    const text = wording(i);
    const title = i.title ? adaptWording(i.title, opts.catalog, opts.adaptation) : null;
    if (t.kind === 'article') {
      const caption = `（${(title ?? opts.fallbackTitle).replace(/^[（(]|[）)]$/g, '')}）`;
      if (t.captionAbove) blocks.push(`${caption}\n${t.prefix}${label}${t.gap || ' '}${text}`);
      else {
        blocks.push(`${t.prefix}${label}${caption}`);
        if (text) blocks.push(text);
      }
    } else if (t.kind === 'section' || t.kind === 'subsection' || t.kind === 'chapter' || t.kind === 'heading') {
      blocks.push(`${t.prefix}${label}${label ? t.gap || ' ' : ''}${title ?? i.sectionTitle}`);
      if (text) blocks.push(text);
    } else if (title) {
      blocks.push(`${t.prefix}${label}${label ? t.gap : ''}${title}`);
      if (text) blocks.push(text);
    } else if (text) {
      blocks.push(`${t.prefix}${label}${label ? t.gap : ''}${text}`);
    }
    const kids = (childrenOf(opts.catalog).get(i.id) ?? []).filter((c) => c.level !== 'part');
    let k = 0;
    for (const c of kids) {
      const own = guidelineTemplate(c);
      const draft = opts.deeper[depth];
      // The draft's deeper template applies to numbered children only; bullets and paragraphs keep their form.
      const ct = own.style !== 'none' && draft && draft.style !== 'none' ? draft : own;
      const cnum = ct.style !== 'none' ? [++k] : null;
      emit(c, ct, cnum, depth + 1);
    }
  };
  emit(item, template, number, 0);
  return blocks.join(opts.separator);
}

const childMaps = new WeakMap<Catalog, ReadonlyMap<string, readonly CatalogItem[]>>();

export function childrenOf(catalog: Catalog): ReadonlyMap<string, readonly CatalogItem[]> {
  let map = childMaps.get(catalog);
  if (!map) {
    const m = new Map<string, CatalogItem[]>();
    for (const item of catalog.items) {
      if (item.parent === null) continue;
      const list = m.get(item.parent) ?? [];
      list.push(item);
      m.set(item.parent, list);
    }
    map = m;
    childMaps.set(catalog, map);
  }
  return map;
}
