/**
 * Numbering findings over the sibling lists of the provision tree: gaps, duplicates, wrong order and
 * mixed styles. Also settles each katakana list's order (アイウ or イロハ), which only the whole list shows.
 *
 * Messages share one grammar: 「X がありません／が重複しています／の順序が誤っています（P の次が V です）」.
 */
import type { Draft } from '../../parse/index';
import type { Finding, TextRange } from '../../types';
import { formatNumber, kanaOrderOf, kanaValue } from '../../text/numbering';

export const NUMBERING_CODES = {
  gap: 'numbering-gap',
  duplicate: 'numbering-duplicate',
  order: 'numbering-order',
  mixed: 'mixed-numbering-style',
} as const;

export function numberingFindings(roots: readonly Draft[]): Finding[] {
  const out: Finding[] = [];
  // Articles are numbered through the whole document, across chapters; a new series starts only where
  // 第1条 reappears under another top-level provision (基本方針 and 対策基準 in one file).
  const series: Draft[][] = [];
  let lastRoot: Draft | null = null;
  const walk = (siblings: readonly Draft[], root: Draft | null): void => {
    if (siblings.length === 0) return;
    checkSiblings(siblings, out);
    for (const d of siblings) {
      const r = root ?? d;
      if (d.family === 'article' && d.number) {
        if (series.length === 0 || (d.number[0] === 1 && d.number.length === 1 && r !== lastRoot)) series.push([]);
        series[series.length - 1]!.push(d);
        lastRoot = r;
      }
      walk(d.children, r);
    }
  };
  walk(roots, null);
  for (const list of series) checkList(list, out);
  return out;
}

function label(d: Draft, number: readonly number[] = d.number ?? []): string {
  if (d.kind === 'paragraph') return `第${number[0]}項`;
  return formatNumber(d.style, number);
}

/** A map key per number: the value itself for a plain number (no string built per provision), else its parts joined. */
function key(n: readonly number[]): string | number {
  return n.length === 1 ? n[0]! : n.join('-');
}

function rangeOf(d: Draft): TextRange {
  return d.numberStart >= 0 ? { start: d.numberStart, end: d.numberEnd } : { start: d.headStart, end: d.headEnd };
}

function checkSiblings(siblings: readonly Draft[], out: Finding[]): void {
  // Most sibling lists hold one numbered list: a map of lists is made only when a second list key appears.
  let firstKey = '';
  let first: Draft[] | null = null;
  let lists: Map<string, Draft[]> | null = null;
  for (let i = 0; i < siblings.length; i++) {
    const d = siblings[i]!;
    if (!d.number || d.number.length === 0 || d.family === 'heading' || d.family === 'supplementary') continue;
    if (d.family === 'article') continue;
    const k = d.listKey;
    if (first === null) {
      firstKey = k;
      first = [d];
    } else if (lists === null && k === firstKey) first.push(d);
    else {
      lists ??= new Map([[firstKey, first]]);
      let l = lists.get(k);
      if (!l) lists.set(k, (l = []));
      l.push(d);
    }
  }
  if (lists) {
    for (const list of lists.values()) {
      settleKana(list);
      checkList(list, out);
    }
  } else if (first) {
    settleKana(first);
    checkList(first, out);
  }
}

function settleKana(list: Draft[]): void {
  if (!list.some((d) => d.kana !== null)) return;
  const kana = list.filter((d) => d.kana !== null);
  if (kana.length === 0) return;
  const order = kanaOrderOf(kana.map((d) => d.kana!));
  if (order !== 'iroha') return;
  for (const d of kana) {
    d.number = [kanaValue(d.kana!, 'iroha') ?? d.number![0]!];
    if (d.style === 'katakana') d.style = 'iroha';
  }
}

function finding(code: string, message: string, d: Draft, related?: Draft, relatedMessage?: string): Finding {
  return {
    code,
    severity: 'warning',
    message,
    range: rangeOf(d),
    ...(related ? { related: [{ range: rangeOf(related), message: relatedMessage ?? label(related) }] } : {}),
  };
}

/** The value that should follow `prev`: 第3条 → 第4条 or 第3条の2; (3) → (4). */
function follows(prev: readonly number[], cur: readonly number[]): boolean {
  if (cur.length === 1) return cur[0] === prev[0]! + 1;
  // A branch number continues its main number: 第3条 → 第3条の2, 第3条の2 → 第3条の3.
  if (cur[0] !== prev[0]) return false;
  const prevBranch = prev.length > 1 ? prev[1]! : 1;
  return cur.length === 2 && cur[1] === prevBranch + 1;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function checkList(list: readonly Draft[], out: Finding[]): void {
  if (inOrder(list)) return;
  const first = list[0]!;
  const seen = new Map<string | number, Draft>();
  const lastOf = (n: readonly number[]): number => n[n.length - 1]!;
  // Dotted numbers (1.1, 1.2) are checked on their last part; the parent part is the heading's business.
  const value = (d: Draft): readonly number[] => (d.style === 'dotted' ? [lastOf(d.number!)] : d.number!);
  const firstExpected = first.kind === 'paragraph' ? 2 : 1;
  let prev: Draft | null = null;
  for (let i = 0; i < list.length; i++) {
    const d = list[i]!;
    const v = value(d);
    if (d.mixed || (d.style !== first.style && !(isKanaStyle(d.style) && isKanaStyle(first.style)))) {
      out.push(
        finding(
          NUMBERING_CODES.mixed,
          `${label(d)}の書式が前後と異なります（${prev ? label(prev) : label(first)}の次が${label(d)}です）`,
          d,
          first,
        ),
      );
    }
    const k = key(v);
    const dup = seen.get(k);
    if (dup) {
      out.push(
        finding(
          NUMBERING_CODES.duplicate,
          `${label(d)}が重複しています（${prev ? label(prev) : label(dup)}の次が${label(d)}です）`,
          d,
          dup,
          `最初の${label(dup)}`,
        ),
      );
      continue;
    }
    seen.set(k, d);
    if (!prev) {
      const startOk = v.length > 1 ? false : v[0] === firstExpected || (first.kind === 'paragraph' && v[0] === 1);
      if (!startOk && v.length === 1 && v[0]! > firstExpected) {
        const expected = withValue(d, firstExpected);
        out.push(finding(NUMBERING_CODES.gap, `${label(d, expected)}がありません（最初が${label(d)}です）`, d));
      }
      prev = d;
      continue;
    }
    const pv = value(prev);
    if (follows(pv, v)) {
      prev = d;
      continue;
    }
    if (compare(v, pv) > 0) {
      const expectedMain = [pv[0]! + 1];
      const laterHasExpected = list.slice(i + 1).some((x) => key(value(x)) === key(expectedMain));
      if (laterHasExpected) {
        out.push(
          finding(
            NUMBERING_CODES.order,
            `${label(d)}の順序が誤っています（${label(prev)}の次が${label(d)}です）`,
            d,
          ),
        );
        continue;
      }
      if (v.length === 1 && !seen.has(key(expectedMain))) {
        out.push(
          finding(
            NUMBERING_CODES.gap,
            `${label(d, withValue(d, expectedMain[0]!))}がありません（${label(prev)}の次が${label(d)}です）`,
            d,
            prev,
          ),
        );
      }
      prev = d;
      continue;
    }
    out.push(
      finding(NUMBERING_CODES.order, `${label(d)}の順序が誤っています（${label(prev)}の次が${label(d)}です）`, d, prev),
    );
  }
}

/**
 * Whether checkList would find nothing, told without its allocations: one style, a first number that is
 * no gap, and each number following the one before (so none repeats). Most lists of a draft are.
 */
function inOrder(list: readonly Draft[]): boolean {
  const first = list[0]!;
  const dotted = first.style === 'dotted';
  const valueOf = (d: Draft): number => d.number![d.number!.length - 1]!;
  if (!dotted && first.number!.length !== 1) return false;
  const v0 = valueOf(first);
  const firstExpected = first.kind === 'paragraph' ? 2 : 1;
  if (v0 > firstExpected) return false;
  for (let i = 0; i < list.length; i++) {
    const d = list[i]!;
    if (d.mixed || d.style !== first.style) return false;
    if (!dotted && d.number!.length !== 1) return false;
    if (i > 0 && valueOf(d) !== valueOf(list[i - 1]!) + 1) return false;
  }
  return true;
}

function isKanaStyle(s: string): boolean {
  return s === 'katakana' || s === 'iroha';
}

function withValue(d: Draft, main: number): number[] {
  return d.style === 'dotted' ? [...d.number!.slice(0, -1), main] : [main];
}
