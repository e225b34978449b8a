/**
 * The Markdown layer: which lines are headings (and their depth) and which lines are opaque blocks
 * (fenced code, HTML, GFM tables) that must not open provisions.
 *
 * remark only sees a skeleton of the document (see `skeleton`): lines that cannot take part in a Markdown
 * block construct become `x`, and long runs of them shrink, so that a 500 KB quasi-Markdown file costs
 * micromark a few hundred lines; block spans are cached per skeleton.
 */
import type { Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';

export interface MarkdownLayer {
  /**
   * True when the skeleton was too large for remark within the time budget (tens of thousands of table
   * rows, say) and the layer was read by the linear fallback: ATX headings, fences and pipe-table rows.
   */
  readonly simplified?: boolean;
  /** 0-based line (relative to the text given) → ATX/setext heading depth. */
  readonly headingDepth: ReadonlyMap<number, number>;
  /** Lines inside code, HTML or table blocks, and setext underlines. */
  readonly opaque: ReadonlySet<number>;
  /** Lines that are table rows (a subset of opaque): their text still belongs to the provision. */
  readonly tableRows: ReadonlySet<number>;
}

/** Lines that can begin or shape a Markdown block other than a paragraph or list. */
const CANDIDATE_RE = /^\s{0,3}(?:#{1,6}(?:\s|$)|`{3,}|~{3,}|<[A-Za-z!?/]|\||>|=+\s*$|-{2,}\s*$|\*{3,}\s*$|_{3,}\s*$)|\||-->|\?>|\]\]>/;

// (the last three end HTML comments, processing instructions and CDATA that span lines)

/**
 * Whether a line may take part in a block construct other than a paragraph. The skeleton keeps such a line
 * and its neighbours as written and reads every other line as a paragraph line or a blank one.
 */
export function isConstructLine(line: string): boolean {
  return CANDIDATE_RE.test(line);
}

let processor: Processor<Root> | null = null;

function getProcessor(): Processor<Root> {
  if (processor) return processor;
  // Inline constructs are never needed; indented code is switched off because real drafts indent freely.
  const disable = {
    disable: {
      null: [
        'codeIndented',
        'attention',
        'autolink',
        'characterEscape',
        'characterReference',
        'codeText',
        'hardBreakEscape',
        'htmlText',
        'labelStartImage',
        'labelStartLink',
        'labelEnd',
      ],
    },
  };
  const p = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkFrontmatter)
    .use(function (this: Processor) {
      const data = this.data() as { micromarkExtensions?: unknown[] };
      (data.micromarkExtensions ??= []).push(disable);
    });
  processor = p as unknown as Processor<Root>;
  return processor;
}

/** `lines` are the document's lines without their breaks. */
/**
 * `compress: false` parses the plain skeleton in one piece (the reference the tests compare with);
 * `chunkLines` is the least number of skeleton lines per separately parsed chunk.
 */
export function markdownLayer(lines: readonly string[], options: { readonly compress?: boolean; readonly chunkLines?: number } = {}): MarkdownLayer {
  const headingDepth = new Map<number, number>();
  const opaque = new Set<number>();
  const tableRows = new Set<number>();
  const sk = skeleton(lines, options.compress ?? true);
  if (!sk) return { headingDepth, opaque, tableRows };
  if (options.compress !== false && skeletonSize(sk.lines) > SKELETON_BUDGET) return simpleLayer(lines);
  const spans: Span[] = [];
  const starts = options.compress === false ? [0] : chunkStarts(sk.lines, options.chunkLines ?? MIN_CHUNK);
  for (let c = 0; c < starts.length; c++) {
    const first = starts[c]!;
    const text = sk.lines.slice(first, starts[c + 1] ?? sk.lines.length).join('\n');
    let chunk = skeletonCache.get(text);
    if (chunk) {
      // Most recently used last.
      skeletonCache.delete(text);
    } else {
      chunk = blockSpans(text);
      if (skeletonCache.size >= SKELETON_CACHE_LIMIT) skeletonCache.delete(skeletonCache.keys().next().value!);
    }
    skeletonCache.set(text, chunk);
    for (const span of chunk) spans.push(first === 0 ? span : shift(span, first));
  }
  const from = (l: number): number => sk.from[l]!;
  const to = (l: number): number => sk.to[l]!;
  for (const s of spans) {
    switch (s.kind) {
      case 'atx':
        headingDepth.set(from(s.first), s.depth);
        break;
      case 'setext':
        for (let l = from(s.first); l <= to(s.last - 1); l++) headingDepth.set(l, s.depth);
        for (let l = from(s.last); l <= to(s.last); l++) opaque.add(l);
        break;
      case 'opaque':
      case 'table':
        for (let l = from(s.first); l <= to(s.last); l++) {
          opaque.add(l);
          if (s.kind === 'table') tableRows.add(l);
        }
        break;
    }
  }
  return { headingDepth, opaque, tableRows };
}

/** A block construct found in the skeleton, in skeleton lines (0-based, inclusive). */
type Span =
  | { readonly kind: 'atx'; readonly first: number; readonly depth: number }
  | { readonly kind: 'setext'; readonly first: number; readonly last: number; readonly depth: number }
  | { readonly kind: 'opaque' | 'table'; readonly first: number; readonly last: number };

/**
 * What remark is given at most, in skeleton characters. micromark costs about 0.2 ms per table row
 * (seconds for a pasted table of 10,000 rows); real policies come to a few thousand lines of skeleton.
 */
const SKELETON_BUDGET = 120_000;

function skeletonSize(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) n += l.length + 1;
  return n;
}

/**
 * The linear fallback for an oversized skeleton: ATX headings and fenced code by a small state machine,
 * and pipe-table rows (lines that start with `|`). No setext headings, HTML blocks or block quotes.
 */
function simpleLayer(lines: readonly string[]): MarkdownLayer {
  const headingDepth = new Map<number, number>();
  const opaque = new Set<number>();
  const tableRows = new Set<number>();
  let fence: { char: string; length: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (fence) {
      opaque.add(i);
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(l);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = null;
      continue;
    }
    const f = FENCE_OPEN.exec(l);
    if (f) {
      fence = { char: f[1]![0]!, length: f[1]!.length };
      opaque.add(i);
      continue;
    }
    const h = /^ {0,3}(#{1,6})(?:[ \t]|$)/.exec(l);
    if (h) headingDepth.set(i, h[1]!.length);
    else if (/^ {0,3}\|/.test(l)) {
      opaque.add(i);
      tableRows.add(i);
    }
  }
  return { headingDepth, opaque, tableRows, simplified: true };
}

function shift(span: Span, by: number): Span {
  return span.kind === 'atx' ? { ...span, first: span.first + by } : { ...span, first: span.first + by, last: span.last + by };
}

/**
 * Block spans per skeleton chunk: a keystroke inside a sentence leaves the skeleton as it was (the line is
 * still an `x`; a new line break adds an `x` to a run of them), so an edit rarely reaches micromark at all,
 * and an edit of a heading reparses only its chunk.
 */
const skeletonCache = new Map<string, readonly Span[]>();
const SKELETON_CACHE_LIMIT = 2_000;

/** Skeleton lines per chunk, at least, before a heading may start a new one. */
const MIN_CHUNK = 40;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const HTML_OPEN = /^ {0,3}</;
const HTML_ENDS: readonly (readonly [RegExp, RegExp])[] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];

/**
 * Where the skeleton may be cut into independently parsed chunks: before an ATX heading at column 0
 * (it ends any paragraph, list, quote or table before it) that is outside a fenced code block and an
 * HTML block, as a conservative scan of the fences and HTML openings at the top level tells. Each chunk
 * then parses as it would inside the whole (the skeleton property test checks it).
 */
/** Whether `l` closes the innermost open fence. */
function closesFence(l: string, fences: readonly { char: string; length: number }[]): boolean {
  const f = fences[fences.length - 1];
  const close = f ? /^ {0,3}(`{3,}|~{3,})\s*$/.exec(l) : null;
  return !!close && close[1]![0] === f!.char && close[1]!.length >= f!.length;
}

function chunkStarts(lines: readonly string[], minChunk: number): number[] {
  const starts = [0];
  // Every construct that may be open, over-approximated: an opening is noted even where it may only be
  // text (inside another block), so that a cut is made only where nothing can be open.
  const fences: { char: string; length: number }[] = [];
  let htmlEnds: (RegExp | 'blank')[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const blank = l.trim() === '';
    if (fences.length === 0 && htmlEnds.length === 0 && i - starts[starts.length - 1]! >= minChunk && /^#{1,6}(?:[ \t]|$)/.test(l)) starts.push(i);
    // An opening inside another open construct may be text or may be real, and which closing line then
    // closes what is no longer clear: make no more cuts (real drafts hardly ever nest these).
    const pending = fences.length + htmlEnds.length > 0;
    if (pending && (FENCE_OPEN.test(l) || HTML_OPEN.test(l)) && !(htmlEnds.length === 0 && closesFence(l, fences))) return starts;
    if (closesFence(l, fences)) fences.pop();
    else {
      const f = FENCE_OPEN.exec(l);
      if (f) fences.push({ char: f[1]![0]!, length: f[1]!.length });
    }
    htmlEnds = htmlEnds.filter((end) => !(end === 'blank' ? blank : end.test(l)));
    // Front matter (remark-frontmatter) at the very start runs to its closing ---.
    if (i === 0 && /^---\s*$/.test(l)) htmlEnds.push(/^---\s*$/);
    if (HTML_OPEN.test(l)) {
      const kind = HTML_ENDS.find(([open]) => open.test(l));
      // An end marker on the opening line closes the block there (for the kinds that have one).
      if (!kind) htmlEnds.push('blank');
      else if (!kind[1].test(l.replace(kind[0], ''))) htmlEnds.push(kind[1]);
    }
  }
  return starts;
}

function blockSpans(text: string): Span[] {
  const tree = getProcessor().parse(text);
  const lines = text.split('\n');
  const out: Span[] = [];
  const visit = (nodes: readonly RootContent[]): void => {
    for (const node of nodes) {
      const pos = node.position;
      if (!pos) continue;
      const first = pos.start.line - 1;
      const last = pos.end.line - 1;
      switch (node.type) {
        case 'heading':
          if (last > first || !/^\s{0,3}#/.test(lines[first] ?? '')) out.push({ kind: 'setext', first, last, depth: node.depth });
          else out.push({ kind: 'atx', first, depth: node.depth });
          break;
        case 'code':
        case 'html':
          out.push({ kind: 'opaque', first, last });
          break;
        case 'table':
          out.push({ kind: 'table', first, last });
          break;
        case 'thematicBreak':
          out.push({ kind: 'opaque', first, last: first });
          break;
        default:
          if ('children' in node && Array.isArray(node.children)) visit(node.children as RootContent[]);
      }
    }
  };
  visit(tree.children);
  return out;
}

interface Skeleton {
  readonly lines: readonly string[];
  /** For each skeleton line, the first and last document line it stands for. */
  readonly from: Int32Array;
  readonly to: Int32Array;
}

/**
 * What remark sees: lines that can take part in a block construct other than a paragraph (and their
 * neighbours) as they are; every other line as `x` (a paragraph line) or empty. With `compress`, runs
 * of such lines shrink further: consecutive `x` lines are one paragraph line, consecutive empty lines
 * one empty line, and a long alternation of the two between constructs keeps its first two and last
 * three runs (what can continue the construct before it, and what the construct after it follows),
 * joining the middle into one or two lines. Paragraph counts never matter here, so the block
 * structure is the same as remark's on the uncompressed skeleton (a property test checks it); it is
 * what keeps a 500 KB draft to a few hundred skeleton lines. Null when no line is a candidate.
 */
function skeleton(lines: readonly string[], compress: boolean): Skeleton | null {
  const keep = new Uint8Array(lines.length);
  let any = false;
  for (let i = 0; i < lines.length; i++) {
    if (isConstructLine(lines[i]!)) {
      any = true;
      keep[i] = 1;
      if (i > 0) keep[i - 1] = 1;
      if (i + 1 < lines.length) keep[i + 1] = 1;
    }
  }
  if (!any) return null;
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const emit = (line: string, a: number, b: number): void => {
    out.push(line);
    from.push(a);
    to.push(b);
  };
  // Runs of one kind (x or empty) inside the current gap between kept lines.
  let runs: { blank: boolean; from: number; to: number }[] = [];
  const flush = (): void => {
    if (runs.length === 0) return;
    const line = (r: { blank: boolean }): string => (r.blank ? '' : 'x');
    if (runs.length <= 5) {
      for (const r of runs) emit(line(r), r.from, r.to);
    } else {
      const n = runs.length;
      const middle = n - 5; // runs[2] … runs[n - 4]
      emit(line(runs[0]!), runs[0]!.from, runs[0]!.to);
      emit(line(runs[1]!), runs[1]!.from, runs[1]!.to);
      // An odd number of alternating runs bounded by the other kind is one line of its first kind.
      const oddEnd = middle % 2 === 1 ? n - 4 : n - 5;
      emit(line(runs[2]!), runs[2]!.from, runs[oddEnd]!.to);
      if (oddEnd === n - 5) emit(line(runs[n - 4]!), runs[n - 4]!.from, runs[n - 4]!.to);
      for (let k = n - 3; k < n; k++) emit(line(runs[k]!), runs[k]!.from, runs[k]!.to);
    }
    runs = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (keep[i]) {
      flush();
      emit(l, i, i);
      continue;
    }
    const blank = l.trim() === '';
    if (!compress) {
      emit(blank ? l : 'x', i, i);
      continue;
    }
    const last = runs[runs.length - 1];
    if (last && last.blank === blank) last.to = i;
    else runs.push({ blank, from: i, to: i });
  }
  flush();
  return { lines: out, from: Int32Array.from(from), to: Int32Array.from(to) };
}
