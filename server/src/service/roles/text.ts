import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import { detached } from '../text/detach';
import type { TextRange } from '../types';

/**
 * The document as sentences of compact text: line breaks inside a paragraph, ASCII spaces, Markdown
 * markers and provision numbers removed, so that a role name split across lines (統\n括情報…) or written
 * with a space (CSIRT 責任者) reads as one word. `offsetAt(s, i)` is the document offset of `text[i]`.
 */
export interface Sentence {
  readonly text: string;
  /** Where `text` comes from: the compacted provision text (`offsetAt` maps back to the document). */
  readonly source: Compacted;
  /** Offset of `text` in `source.chars`. */
  readonly from: number;
  /** Document offsets of the ranges `source` was compacted from. */
  readonly starts: readonly number[];
  readonly node: ProvisionNode | null;
  /** Ancestors of `node`, outermost first. */
  readonly path: readonly ProvisionNode[];
  /** The caption or heading of a provision rather than its body. */
  readonly isTitle: boolean;
  readonly label: string;
  /** Index of the sentence within its provision's own text. */
  readonly index: number;
}

/** The document offset of `s.text[i]`. */
export function offsetAt(s: Sentence, i: number): number {
  const k = s.from + i;
  return s.starts[s.source.rangeIndex[k]!]! + s.source.rel[k]!;
}

export function rangeOf(s: Sentence, start: number, end: number): TextRange {
  const n = s.text.length;
  if (n === 0) return { start: 0, end: 0 };
  const a = offsetAt(s, Math.max(0, Math.min(start, n - 1)));
  const b = offsetAt(s, Math.max(0, Math.min(end - 1, n - 1))) + 1;
  return { start: a, end: Math.max(a, b) };
}

export function sentenceRange(s: Sentence): TextRange {
  return rangeOf(s, 0, s.text.length);
}

const BOUNDARY = '\n';

/** Sentences of the whole document, in document order. */
export function sentencesOf(parsed: ParsedPolicy): Sentence[] {
  const excluded = excludedRanges(parsed);
  const out = topSentences(parsed, excluded);
  for (const p of parsed.provisions) visitSubtree(parsed.text, excluded, p, [], out, true);
  return out.sort(byStart);
}

/** What no sentence reads: the front matter and HTML comments. */
export function excludedRanges(parsed: ParsedPolicy): TextRange[] {
  const excluded: TextRange[] = [];
  if (parsed.frontMatter.range) excluded.push(parsed.frontMatter.range);
  for (const m of parsed.text.matchAll(/<!--[\s\S]*?-->/g)) excluded.push({ start: m.index, end: m.index + m[0].length });
  return excluded;
}

/** Sentences of the text outside every provision (a preamble), in document order. */
export function topSentences(parsed: ParsedPolicy, excluded: readonly TextRange[]): Sentence[] {
  const out: Sentence[] = [];
  emit(parsed.text, excluded, null, [], subtract([{ start: 0, end: parsed.text.length }], parsed.provisions.map((p) => p.range)), false, out);
  return out.sort(byStart);
}

/** Sentences of a provision's own text (caption and body, not its children's), in document order. */
export function ownSentences(text: string, excluded: readonly TextRange[], node: ProvisionNode, path: readonly ProvisionNode[]): Sentence[] {
  const out: Sentence[] = [];
  visitSubtree(text, excluded, node, path, out, false);
  return out.sort(byStart);
}

/** Sentences of a provision and all its descendants, in document order (those of the whole document inside its range). */
export function subtreeSentences(text: string, excluded: readonly TextRange[], node: ProvisionNode, path: readonly ProvisionNode[]): Sentence[] {
  const out: Sentence[] = [];
  visitSubtree(text, excluded, node, path, out, true);
  return out.sort(byStart);
}

const byStart = (x: Sentence, y: Sentence): number => offsetAt(x, 0) - offsetAt(y, 0);

function emit(text: string, excluded: readonly TextRange[], node: ProvisionNode | null, path: readonly ProvisionNode[], ranges: readonly TextRange[], isTitle: boolean, out: Sentence[]): void {
  const c = compacted(text, ranges, excluded);
  const starts = ranges.map((r) => r.start);
  const label = labelOf(path, node);
  c.sentences.forEach(([a], index) => {
    out.push({ text: c.texts[index]!, source: c, from: a, starts, node, path, isTitle, label, index });
  });
}

function visitSubtree(text: string, excluded: readonly TextRange[], node: ProvisionNode, path: readonly ProvisionNode[], out: Sentence[], deep: boolean): void {
  const own = subtract([node.range], node.children.map((c) => c.range));
  const numberCut = node.numberRange ? [node.numberRange] : [];
  if (headIsTitle(text, node)) {
    emit(text, excluded, node, path, intersect(own, [node.headRange]).flatMap((r) => subtract([r], numberCut)), true, out);
    emit(text, excluded, node, path, subtract(own, [node.headRange]), false, out);
  } else {
    emit(text, excluded, node, path, subtract(own, numberCut), false, out);
  }
  if (deep) for (const c of node.children) visitSubtree(text, excluded, c, [...path, node], out, true);
}

/** The head line is the caption (1 組織体制, (２) 統括情報セキュリティ責任者), not the first sentence of 第7条. */
function headIsTitle(text: string, node: ProvisionNode): boolean {
  // A wrapped first line taken for a title (「CISO は、毎年度、情報セキュリティ監」) continues into the body.
  if (node.title === null || node.headRange.end <= node.headRange.start || node.title.includes('、')) return false;
  const strip = (x: string): string => x.replace(/[\s#]+/g, '').replace(/^[（(]|[)）]$/g, '');
  const head = strip(text.slice(node.numberRange?.end ?? node.headRange.start, node.headRange.end));
  return head === strip(node.title);
}

/** A short label of a provision: 第7条第2項, 1(２)①. */
export function labelOf(path: readonly ProvisionNode[], node: ProvisionNode | null): string {
  if (!node) return '';
  let label = '';
  let inArticle = false;
  // The path, then the node itself (indexed, no chain array made: asked for every sentence).
  for (let i = 0; i <= path.length; i++) {
    const n = i < path.length ? path[i]! : node;
    if (n.kind === 'article') {
      label = (n.numberText ?? '').replace(/\s+/g, '');
      inArticle = true;
      continue;
    }
    if (n.numberText === null) {
      // A heading the parser left unnumbered may still start with its number (## 5 人的セキュリティ).
      const m = n.kind === 'heading' ? /^([0-9０-９]+(?:[.．][0-9０-９]+)*)\s/.exec(n.title ?? '') : null;
      if (m) label = m[1]!;
      continue;
    }
    const num = n.numberText.replace(/\s+/g, '');
    if (inArticle && n.kind === 'paragraph') label += `第${n.number?.[0] ?? num}項`;
    else if (inArticle && n.kind === 'item') label += `第${n.number?.[0] ?? num}号`;
    else if (n.kind === 'chapter' || n.kind === 'part' || n.kind === 'section' || n.kind === 'subsection') label = num;
    else label += num;
  }
  return label || (node.title ?? '').replace(/^[（(]|[)）]$/g, '');
}

function subtract(ranges: readonly TextRange[], cuts: readonly TextRange[]): TextRange[] {
  let cur = ranges.slice();
  for (let k = 0; k < cuts.length; k++) {
    const c = cuts[k]!;
    // A cut that meets none of the ranges (most: they are the whole document's) leaves them as they are.
    let meets = false;
    for (let i = 0; i < cur.length && !meets; i++) meets = !(c.end <= cur[i]!.start || c.start >= cur[i]!.end);
    if (!meets) continue;
    const next: TextRange[] = [];
    for (let i = 0; i < cur.length; i++) {
      const r = cur[i]!;
      if (c.end <= r.start || c.start >= r.end) {
        next.push(r);
        continue;
      }
      if (c.start > r.start) next.push({ start: r.start, end: c.start });
      if (c.end < r.end) next.push({ start: c.end, end: r.end });
    }
    cur = next;
  }
  return cur.filter((r) => r.end > r.start);
}

function intersect(ranges: readonly TextRange[], with_: readonly TextRange[]): TextRange[] {
  const out: TextRange[] = [];
  for (const r of ranges) for (const w of with_) if (Math.min(r.end, w.end) > Math.max(r.start, w.start)) out.push({ start: Math.max(r.start, w.start), end: Math.min(r.end, w.end) });
  return out;
}

const LINE_MARKER = /^[ \t\u3000]*(?:(?:#{1,6}|[-*+]|>)[ \t]+)*/;

/**
 * A provision's compact text and its sentences, with each character's offset relative to the range it
 * comes from. It depends only on the ranges' contents (and whether each starts a line), so it is cached
 * by them: after an edit, only the edited provision is compacted again.
 */
export interface Compacted {
  readonly chars: string;
  readonly rel: Int32Array;
  readonly rangeIndex: Uint16Array;
  /** Sentence spans in `chars` that have content… */
  readonly sentences: readonly (readonly [number, number])[];
  /** …and their texts. */
  readonly texts: readonly string[];
}

const compactCache = new Map<string, Compacted>();
const COMPACT_CACHE_LIMIT = 40_000;

function compacted(text: string, ranges: readonly TextRange[], excluded: readonly TextRange[]): Compacted {
  const cacheable = ranges.length < 0xffff && !excluded.some((e) => ranges.some((r) => e.start < r.end && e.end > r.start));
  let k = '';
  if (cacheable) {
    // What compact reads beyond a range: whether it starts a line, and the character after it (`**`).
    for (const r of ranges) k += `${r.start === 0 || text[r.start - 1] === '\n' ? 1 : 0}${text.slice(r.start, r.end)}\u0001${text[r.end] ?? ''}\u0001`;
    const hit = compactCache.get(k);
    if (hit) return hit;
  }
  const { chars, map, length } = compact(text, ranges, excluded);
  const rel = new Int32Array(length);
  const rangeIndex = new Uint16Array(length);
  let ri = 0;
  for (let i = 0; i < length; i++) {
    // Offsets only grow; a boundary at a range's end belongs to that range.
    while (ri + 1 < ranges.length && map[i]! >= ranges[ri + 1]!.start) ri++;
    rangeIndex[i] = ri;
    rel[i] = map[i]! - (ranges[ri]?.start ?? 0);
  }
  const sentences = splitSentences(chars).filter(([a, b]) => hasContent(chars, a, b));
  const out: Compacted = { chars, rel, rangeIndex, sentences, texts: sentences.map(([a, b]) => chars.slice(a, b)) };
  if (cacheable) {
    if (compactCache.size >= COMPACT_CACHE_LIMIT) compactCache.clear();
    // The key is a rope of slices of the document: detached (flattened into a copy), or it keeps the text alive.
    compactCache.set(detached(k), out);
  }
  return out;
}

/** Whether chars[a, b) holds anything but line breaks and ideographic spaces. */
function hasContent(chars: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = chars.charCodeAt(i);
    if (c !== 0x0a && c !== 0x3000) return true;
  }
  return false;
}

/** LINE_MARKER at `i`, anchored there (sticky) rather than on a copy of the line's start. */
const LINE_MARKER_AT = new RegExp(LINE_MARKER.source.slice(1), 'y');

/** The length of the line marker at `i` as LINE_MARKER finds it in text[i, limit). */
function markerLength(text: string, i: number, limit: number): number {
  LINE_MARKER_AT.lastIndex = i;
  const length = LINE_MARKER_AT.exec(text)?.[0].length ?? 0;
  // A marker that runs past the limit is matched again within it, as the slice would have been.
  return i + length <= limit ? length : (LINE_MARKER.exec(text.slice(i, limit))?.[0].length ?? 0);
}

/**
 * The ranges' text as one string (see Sentence) and each character's document offset. Characters kept as
 * they are go out as slices of the text (runs), not one string each.
 */
function compact(text: string, ranges: readonly TextRange[], excluded: readonly TextRange[]): { chars: string; map: Int32Array; length: number } {
  // Each range gives at most its characters and two boundaries.
  let bound = 0;
  for (let k = 0; k < ranges.length; k++) bound += ranges[k]!.end - ranges[k]!.start + 2;
  const map = new Int32Array(bound);
  const parts: string[] = [];
  let n = 0;
  // The run of characters copied as they are and not yet in `parts`: text[runStart, runEnd).
  let runStart = 0;
  let runEnd = 0;
  // Nothing out yet counts as after a boundary: a boundary never starts the text or doubles.
  let afterBoundary = true;
  const flush = (): void => {
    if (runEnd > runStart) parts.push(text.slice(runStart, runEnd));
    runStart = runEnd = 0;
  };
  const boundary = (at: number): void => {
    if (afterBoundary) return;
    flush();
    parts.push(BOUNDARY);
    map[n++] = at;
    afterBoundary = true;
  };
  const put = (c: string, at: number): void => {
    flush();
    parts.push(c);
    map[n++] = at;
    afterBoundary = false;
  };
  const copy = (at: number): void => {
    if (runEnd !== at || runEnd === runStart) {
      flush();
      runStart = at;
    }
    runEnd = at + 1;
    map[n++] = at;
    afterBoundary = false;
  };
  for (let k = 0; k < ranges.length; k++) {
    const r = ranges[k]!;
    boundary(r.start);
    let i = r.start;
    let lineStart = i === 0 || text.charCodeAt(i - 1) === 0x0a;
    while (i < r.end) {
      const skip = excluded.length > 0 ? excludedAt(excluded, i) : undefined;
      if (skip) {
        boundary(i);
        i = skip.end;
        continue;
      }
      if (lineStart) {
        const m = markerLength(text, i, Math.min(r.end, i + 40));
        lineStart = false;
        if (m > 0) {
          i += m;
          continue;
        }
      }
      const c = text.charCodeAt(i);
      if (c === 0x0d || c === 0x20) {
        i++;
        continue;
      }
      if (c === 0x0a) {
        // A blank line ends a paragraph; a single line break inside one is an extraction or wrapping artefact.
        let j = i + 1;
        for (let d = text.charCodeAt(j); j < r.end && (d === 0x20 || d === 0x09 || d === 0x0d); d = text.charCodeAt(++j));
        if (j >= r.end || text.charCodeAt(j) === 0x0a) boundary(i);
        i++;
        lineStart = true;
        continue;
      }
      if (c === 0x09 || c === 0x7c) {
        put('\u3000', i);
        i++;
        continue;
      }
      if ((c === 0x2a || c === 0x5f) && text.charCodeAt(i + 1) === c) {
        i += 2;
        continue;
      }
      copy(i);
      i++;
    }
    boundary(r.end);
  }
  flush();
  // One part is a slice of the document: detached, as the cache keeps it (and its sentences' slices of it).
  return { chars: parts.length === 1 ? detached(parts[0]!) : parts.join(''), map, length: n };
}

function excludedAt(excluded: readonly TextRange[], i: number): TextRange | undefined {
  for (let k = 0; k < excluded.length; k++) if (i >= excluded[k]!.start && i < excluded[k]!.end) return excluded[k];
  return undefined;
}

/** 「（(「『【［[」 and their closing brackets, by code unit. */
const isOpen = (c: number): boolean => c === 0xff08 || c === 0x28 || c === 0x300c || c === 0x300e || c === 0x3010 || c === 0xff3b || c === 0x5b;
const isClose = (c: number): boolean => c === 0xff09 || c === 0x29 || c === 0x300d || c === 0x300f || c === 0x3011 || c === 0xff3d || c === 0x5d;

/** Sentence spans: split after 。 outside brackets, and at paragraph boundaries. */
function splitSentences(s: string): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isOpen(c)) depth++;
    else if (isClose(c)) depth = Math.max(0, depth - 1);
    if (c === 0x0a) {
      if (i > start) out.push([start, i]);
      start = i + 1;
      depth = 0;
    } else if (c === 0x3002 && depth === 0) {
      out.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (start < s.length) out.push([start, s.length]);
  return out;
}
