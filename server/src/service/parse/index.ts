/**
 * parsePolicy: text → provision tree (編/章/節/条/項/号/… or outline 1/(1)/ア/…), references and structure findings.
 * Never throws. The Markdown layer (remark) marks headings and opaque blocks; a line-oriented numbering
 * grammar then builds the tree with a stack of open provisions.
 */
import type { Finding, TextRange } from '../types';
import { detached } from '../text/detach';
import { matchMarker, type Marker, type MarkerFamily } from '../text/numbering';
import { identify, readFrontMatter } from './frontMatter';
import { isConstructLine, markdownLayer, type MarkdownLayer } from './markdown';
import { resolveReferences, type LineReference } from './references';
import { sameNumber } from './shape';
import { indexByKey, indexOfValue } from './sorted';
import { numberingFindings } from '../rules/structure/numbering';
import type { FrontMatter, ParsedPolicy, ProvisionKind, ProvisionNode, NumberStyle } from './types';

export type { ParsedPolicy, ProvisionNode } from './types';

/** Mutable provision while the tree is being built; frozen into a ProvisionNode at the end. */
export interface Draft {
  kind: ProvisionKind;
  style: NumberStyle;
  family: MarkerFamily | 'heading';
  /** Siblings with the same list key form one numbered list. */
  listKey: string;
  numberText: string | null;
  number: readonly number[] | null;
  kana: string | null;
  title: string | null;
  /** A short head line that becomes the title if body text follows it. */
  titleCandidate: string | null;
  start: number;
  headStart: number;
  headEnd: number;
  end: number;
  /** Where the number token starts and ends (-1 when there is none): a range object is made only for a new node. */
  numberStart: number;
  numberEnd: number;
  textParts: string[];
  children: Draft[];
  headingDepth: number | null;
  rank: number;
  /** Whether the draft joined a list of another style (then it gets a mixed-style finding). */
  mixed: boolean;
}

/** The rank of the families that nest by kind (編 > 章 > 節 > 条); the others nest by their order of appearance. */
function fixedRank(family: MarkerFamily): number {
  switch (family) {
    case 'supplementary':
      return 0.5;
    case 'part':
      return 1;
    case 'chapter':
      return 2;
    case 'section-kanji':
      return 3;
    case 'article':
      return 4;
    default:
      return DYNAMIC_RANK;
  }
}
const PARAGRAPH_RANK = 5;
const ITEM_RANK = 6;
const DYNAMIC_RANK = 100;
const PLAIN_HEADING_DEPTH = 7;

const LINE_RE = /\r\n|\n|\r/g;
const FOOTER_RE = /^\s*[ⅰⅱⅲⅳ]-\s*\d+\s*$/;
const TOC_RE = /[（(]第[0-9０-９〇一二三四五六七八九十百]+条[^）)]{0,12}[－ー―‐〜～~-]第[0-9０-９〇一二三四五六七八九十百]+条[）)]\s*$|(?:[…‥]{1,}|[.．・]{3,})\s*[0-9０-９]+\s*$/;
const CAPTION_RE = /^[(（]([^()（）\s][^()（）]{0,39})[)）]\s*$/;
const INLINE_CAPTION_RE = /^[(（]([^()（）\s][^()（）]{0,39})[)）][ \u3000]*/;
const BULLET_RE = /^(?:[-*+][ \t\u3000]+)+/;
/** A block that ends in one of these is finished: text after a blank line starts a new one (else a page break split it). */
const BLOCK_END: ReadonlySet<number> = new Set([...'。．.:：」』）)】'].map((c) => c.charCodeAt(0)));

export function parsePolicy(text: string): ParsedPolicy {
  const fm = safe(() => readFrontMatter(text), null);
  const frontMatter: FrontMatter = fm?.frontMatter ?? { data: null, range: null };
  const findings: Finding[] = [...(fm?.findings ?? [])];
  let roots: Draft[] = [];
  let parsedLines: Lines | null = null;
  try {
    ({ roots, lines: parsedLines } = buildTree(text, fm?.bodyStart ?? 0, findings));
  } catch (e) {
    findings.push(internalError(e, 'structure'));
  }
  let provisions: ProvisionNode[] = [];
  try {
    findings.push(...numberingFindings(roots));
    const prev = lastProvisions;
    const ctx: FreezeContext = { text, prev: prev?.order ?? [], delta: prev ? text.length - prev.length : 0, order: [] };
    frozenStack.length = 0;
    provisions = roots.map((d) => freeze(d, ctx));
    lastProvisions = { length: text.length, order: ctx.order };
  } catch (e) {
    findings.push(internalError(e, 'numbering'));
  } finally {
    frozenStack.length = 0;
  }
  releaseDrafts();
  let references: ParsedPolicy['references'] = [];
  try {
    const resolved = resolveReferences(text, provisions, fm?.bodyStart ?? 0, parsedLines ?? undefined);
    references = resolved.references;
    findings.push(...resolved.findings);
  } catch (e) {
    findings.push(internalError(e, 'references'));
  }
  const identity = safe(
    () =>
      identify(
        frontMatter,
        text.slice(fm?.bodyStart ?? 0),
        { articles: countArticles(provisions) },
        parsedLines ? { lines: parsedLines.lines, starts: parsedLines.starts, bodyStart: fm?.bodyStart ?? 0 } : undefined,
      ),
    { kind: 'unknown' as const, organisationName: null, organisationType: null, selfReference: null },
  );
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return {
    text,
    frontMatter,
    kind: identity.kind,
    organisationName: identity.organisationName,
    organisationType: identity.organisationType,
    selfReference: identity.selfReference,
    provisions,
    references,
    findings,
  };
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

function internalError(e: unknown, stage: string): Finding {
  const detail = e instanceof Error ? e.message : String(e);
  return {
    code: 'internal-error',
    severity: 'information',
    message: `構造の解析を完了できませんでした（${stage}: ${detail}）`,
    range: { start: 0, end: 0 },
  };
}

function countArticles(nodes: readonly ProvisionNode[]): number {
  let n = 0;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind === 'article') n++;
    if (node.children.length > 0) n += countArticles(node.children);
  }
  return n;
}

/**
 * One line's text and what is kept with it across parses. It holds no offsets: a line an edit moved is the
 * same object, only its entries in the Lines' offset arrays change.
 */
export interface Line {
  readonly text: string;
  /** The line's classification for the heading depth `infoDepth` (see lineInfo), kept with the line across parses. */
  info: LineInfo | null;
  infoDepth: number | null;
  /** The references found in the line, relative to its start (resolveReferences). */
  references: readonly LineReference[] | null;
}

/** The lines of a text from some offset on, and where each starts and ends (without its line break). */
export interface Lines {
  readonly lines: readonly Line[];
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** The last text split, for reusing the lines an edit did not touch (same objects: cache look-ups compare them at once). */
let lastSplit: { readonly text: string; readonly from: number; readonly lines: Lines } | null = null;

/**
 * The lines from `from` on (split at \r\n, \n or \r). After an edit, the lines before it and after it are
 * those of the previous text (the same objects, their offsets moved by the edit): equal to splitting the
 * whole text (tests/unit/parseCaches.test.ts).
 */
export function splitLines(text: string, from: number): Lines {
  const prev = lastSplit;
  const lines = prev && prev.from === from ? splitAfterEdit(prev.text, prev.lines, text, from) : scanLines(text, from);
  lastSplit = { text, from, lines };
  return lines;
}

/**
 * The line text[start, end), read afresh. Its text is detached: lines are carried to later parses, and a
 * slice would keep this version's whole text alive with them (text/detach.ts).
 */
function newLine(text: string, start: number, end: number): Line {
  return { text: detached(text.slice(start, end)), info: null, infoDepth: null, references: null };
}

/** Lines read afresh and their offsets, after the first `keep` lines of `prev` (unchanged), made into Lines at the end. */
class LinesBuilder {
  readonly #lines: Line[] = [];
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];

  constructor(
    readonly prev: Lines | null = null,
    readonly keep = 0,
  ) {}

  add(line: Line, start: number, end: number): void {
    this.#lines.push(line);
    this.#starts.push(start);
    this.#ends.push(end);
  }

  /** The lines, with the lines of `prev` from index `at` on appended, their offsets moved by `delta`. */
  done(at = -1, delta = 0): Lines {
    const prev = this.prev;
    const keep = prev ? this.keep : 0;
    const fresh = this.#lines.length;
    const tail = prev && at >= 0 ? prev.lines.length - at : 0;
    const starts = new Int32Array(keep + fresh + tail);
    const ends = new Int32Array(keep + fresh + tail);
    if (prev && keep > 0) {
      starts.set(prev.starts.subarray(0, keep));
      ends.set(prev.ends.subarray(0, keep));
    }
    for (let i = 0; i < fresh; i++) {
      starts[keep + i] = this.#starts[i]!;
      ends[keep + i] = this.#ends[i]!;
    }
    for (let i = 0; i < tail; i++) {
      starts[keep + fresh + i] = prev!.starts[at + i]! + delta;
      ends[keep + fresh + i] = prev!.ends[at + i]! + delta;
    }
    const lines = prev && (keep > 0 || tail > 0) ? prev.lines.slice(0, keep).concat(this.#lines, tail > 0 ? prev.lines.slice(at) : []) : this.#lines;
    return { lines, starts, ends };
  }
}

/** The lines of `text` from the line start `from` to the end. */
function scanLines(text: string, from: number): Lines {
  const out = new LinesBuilder();
  let start = from;
  LINE_RE.lastIndex = start;
  let m: RegExpExecArray | null;
  while ((m = LINE_RE.exec(text))) {
    out.add(newLine(text, start, m.index), start, m.index);
    start = m.index + m[0].length;
  }
  out.add(newLine(text, start, text.length), start, text.length);
  return out.done();
}

const COMPARE_BLOCK = 1024;

function splitAfterEdit(old: string, prev: Lines, text: string, from: number): Lines {
  if (old === text) return prev;
  const oldLines = prev.lines;
  const oldLen = old.length;
  const newLen = text.length;
  const max = Math.min(oldLen, newLen);
  // The common start and end, compared a block at a time (native string equality), then character by character.
  let p = 0;
  while (p + COMPARE_BLOCK <= max && old.slice(p, p + COMPARE_BLOCK) === text.slice(p, p + COMPARE_BLOCK)) p += COMPARE_BLOCK;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s + COMPARE_BLOCK <= max - p && old.slice(oldLen - s - COMPARE_BLOCK, oldLen - s) === text.slice(newLen - s - COMPARE_BLOCK, newLen - s)) s += COMPARE_BLOCK;
  while (s < max - p && old.charCodeAt(oldLen - 1 - s) === text.charCodeAt(newLen - 1 - s)) s++;
  // A line is kept when it and its line break, and the character after (\r then \n), are unchanged.
  let k = 0;
  while (k + 1 < oldLines.length && prev.starts[k + 1]! < p) k++;
  const out = new LinesBuilder(prev, k);
  let start = k === 0 ? from : prev.starts[k]!;
  const delta = newLen - oldLen;
  const suffixStart = newLen - s;
  LINE_RE.lastIndex = start;
  let m: RegExpExecArray | null;
  while ((m = LINE_RE.exec(text))) {
    out.add(newLine(text, start, m.index), start, m.index);
    start = m.index + m[0].length;
    if (start >= suffixStart) {
      // From a line start inside the unchanged end, the old text was split at the same places.
      // The old text's line at this place (moved by the edit), if one starts there.
      const j = indexOfValue(prev.starts, start - delta);
      if (j >= 0) return out.done(j, delta);
    }
  }
  out.add(newLine(text, start, text.length), start, text.length);
  return out.done();
}


/** The last Markdown layer and the lines it was read from. */
let lastMd: { readonly lines: readonly Line[]; readonly layer: MarkdownLayer; readonly perLine: LineMarks } | null = null;

/** The layer per line, for the tree walk: heading depth (0 = none), and OPAQUE / TABLE_ROW bits. */
interface LineMarks {
  readonly depth: Uint8Array;
  readonly flags: Uint8Array;
}
const OPAQUE = 1;
const TABLE_ROW = 2;

/** The Markdown layer of the lines: the last one again when the edit cannot have changed it (see sameSkeleton). */
export function markdownOf(lines: readonly Line[]): MarkdownLayer {
  return marksOf(lines).layer;
}

function marksOf(lines: readonly Line[]): { readonly layer: MarkdownLayer; readonly perLine: LineMarks } {
  const prev = lastMd;
  if (prev && sameSkeleton(prev.lines, lines)) {
    lastMd = { lines, layer: prev.layer, perLine: prev.perLine };
    return lastMd;
  }
  const layer = markdownLayer(lines.map((l) => l.text));
  const depth = new Uint8Array(lines.length);
  const flags = new Uint8Array(lines.length);
  for (const [i, d] of layer.headingDepth) depth[i] = d;
  for (const i of layer.opaque) flags[i]! |= OPAQUE;
  for (const i of layer.tableRows) flags[i]! |= TABLE_ROW;
  lastMd = { lines, layer, perLine: { depth, flags } };
  return lastMd;
}

/**
 * Whether two texts' lines give remark the same skeleton (markdown.ts): as many lines, and every line that
 * differs a paragraph line in both, between lines that are no construct's in either (the skeleton keeps a
 * construct's neighbours as written, and reads any other line as an `x` or a blank one). Unchanged lines
 * are the same strings after an edit (splitLines), so this compares pointers but for the edited lines.
 */
function sameSkeleton(a: readonly Line[], b: readonly Line[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!.text;
    const y = b[i]!.text;
    if (x === y) continue;
    if (isBlank(x) || isBlank(y) || isConstructLine(x) || isConstructLine(y)) return false;
    if (i > 0 && (isConstructLine(a[i - 1]!.text) || isConstructLine(b[i - 1]!.text))) return false;
    if (i + 1 < a.length && (isConstructLine(a[i + 1]!.text) || isConstructLine(b[i + 1]!.text))) return false;
  }
  return true;
}

/** Only white space (what `trim()` removes), tested without allocating a trimmed copy. */
const BLANK_RE = /^\s*$/;

function isBlank(s: string): boolean {
  return BLANK_RE.test(s);
}

/** An unnumbered, space-indented short line standing alone: a heading in text extracted from PDF (guideline). */
function isPlainHeading(lines: readonly Line[], i: number): boolean {
  const raw = lines[i]!.text;
  const lead = /^( {1,2})\S/.exec(raw);
  if (!lead || !/ $/.test(raw)) return false;
  const body = raw.trim();
  if (body.length === 0 || body.length > 30 || /[。．：:]/.test(body)) return false;
  const prevBlank = i === 0 || isBlank(lines[i - 1]!.text);
  const nextBlank = i + 1 >= lines.length || isBlank(lines[i + 1]!.text);
  return nextBlank && (prevBlank || lead[1] === '  ');
}

/** What one line is, apart from its neighbours: cached per (line text, heading depth) across parses. */
interface LineInfo {
  /** Blank, or a page footer of extracted text. */
  readonly skip: boolean;
  /** Only white space. */
  readonly blank: boolean;
  readonly bullet: boolean;
  /** Where the content starts after indentation, `#`, `>` and a bullet. */
  readonly contentStart: number;
  readonly contentTrim: string;
  /** A table-of-contents line (dot leaders, page ranges). */
  readonly toc: boolean;
  /** The caption's words when the line is a caption `（目的）`. */
  readonly caption: string | null;
  readonly marker: Marker | null;
  /** The marker opens a provision. */
  readonly usable: boolean;
  /** After the marker, trimmed ('' without one), whether it holds 。, and the marker's number as written, trimmed. */
  readonly rest: string;
  readonly restStop: boolean;
  readonly numberTrim: string;
}

const lineInfoCache = new Map<string, LineInfo>();
/** Distinct lines of a few large drafts; the cache is dropped whole when it grows past this. */
const LINE_INFO_LIMIT = 100_000;

function lineInfo(raw: string, depth: number | null): LineInfo {
  const key = depth === null ? raw : `${depth}\u0001${raw}`;
  let info = lineInfoCache.get(key);
  if (info) return info;
  info = classifyLine(raw, depth);
  if (lineInfoCache.size >= LINE_INFO_LIMIT) lineInfoCache.clear();
  lineInfoCache.set(key, info);
  return info;
}

function classifyLine(raw: string, depth: number | null): LineInfo {
  const none = { skip: true, blank: false, bullet: false, contentStart: 0, contentTrim: '', toc: false, caption: null, marker: null, usable: false, rest: '', restStop: false, numberTrim: '' };
  if (isBlank(raw)) return { ...none, blank: true };
  if (FOOTER_RE.test(raw)) return none;
  const bullet = BULLET_RE.test(raw.trimStart());
  const lead = /^[ \t\u3000]*/.exec(raw)![0].length;
  let contentStart = lead;
  if (depth !== null) {
    const h = /^#{1,6}[ \t]*/.exec(raw.slice(lead));
    if (h) contentStart += h[0].length;
  } else {
    const q = /^(?:>[ \t]?)+/.exec(raw.slice(contentStart));
    if (q) contentStart += q[0].length;
    const b = BULLET_RE.exec(raw.slice(contentStart));
    if (b) contentStart += b[0].length;
  }
  const content = raw.slice(contentStart);
  const contentTrim = (depth !== null ? content.replace(/[ \t]+#+[ \t]*$/, '') : content).trim();
  if (contentTrim.length === 0) return { ...none, skip: false, bullet, contentStart };
  const toc = TOC_RE.test(contentTrim) && !/。/.test(contentTrim);
  const captionMatch = depth === null ? CAPTION_RE.exec(contentTrim) : null;
  const found = matchMarker(raw, contentStart);
  // One object shape for every marker (matchMarker spreads several literals): the tree walk reads these
  // fields for every numbered line of every analysis.
  const marker: Marker | null = found
    ? { family: found.family, style: found.style, numberText: found.numberText, number: Object.freeze(found.number.slice()), kana: found.kana, start: found.start, end: found.end, restStart: found.restStart }
    : null;
  const usable = marker !== null && marker.family !== 'paren-latin' && !raw.slice(marker.restStart).includes('\t');
  const rest = marker ? raw.slice(marker.restStart).trim() : '';
  return {
    skip: false,
    blank: false,
    bullet,
    contentStart,
    contentTrim,
    toc,
    caption: captionMatch ? captionMatch[1]!.trim() : null,
    marker,
    usable,
    rest,
    restStop: rest.includes('。'),
    numberTrim: marker ? marker.numberText.trim() : '',
  };
}

function buildTree(text: string, bodyStart: number, notes: Finding[] = []): { roots: Draft[]; lines: Lines } {
  draftsUsed = 0;
  const split = splitLines(text, bodyStart);
  const { lines, starts, ends } = split;
  const { layer: md, perLine } = marksOf(lines);
  if (md.simplified) {
    notes.push({
      code: 'analysis-limited',
      severity: 'information',
      message: 'Markdown のブロック構造（表・コード・見出しなど）が大きすぎるため、見出し・コードブロック・「|」で始まる表の行だけを簡易に判定しています',
      range: { start: 0, end: 0 },
    });
  }
  const roots: Draft[] = [];
  const stack: Draft[] = [];
  let pendingCaption: { start: number; end: number; title: string } | null = null;
  /** Last draft whose head line may still turn into a title. */
  let titlePending: Draft | null = null;

  const extend = (end: number): void => {
    // Indexed loops over the stack here and below: this runs for every line, and an iterator is an allocation.
    for (let k = 0; k < stack.length; k++) if (stack[k]!.end < end) stack[k]!.end = end;
  };
  /** Whether the current line starts a new block (after a blank line, or a list item), not a wrapped line. */
  let newBlock = true;
  const attachText = (end: number, body: string): void => {
    const top = stack[stack.length - 1];
    if (titlePending) {
      titlePending.title = titlePending.titleCandidate;
      titlePending.titleCandidate = null;
      titlePending = null;
    }
    if (!top) return;
    // Separate blocks (paragraphs, list items, table rows) stay apart; hard-wrapped lines join seamlessly.
    // The break is a part of its own: parts stay flat strings (a `\n${body}` rope is flattened by every read of its ends).
    if (body.length > 0) {
      if (newBlock && top.textParts.length > 0) addPart(top, '\n');
      addPart(top, body);
    }
    extend(end);
  };
  const flushCaption = (): void => {
    if (!pendingCaption) return;
    const c = pendingCaption;
    pendingCaption = null;
    attachText(c.end, detached(text.slice(c.start, c.end).trim()));
  };
  /** A short head line is a title when body text or a sub-provision follows it, else it is the item's text. */
  const settleTitle = (asTitle = false): void => {
    if (titlePending && asTitle) {
      titlePending.title = titlePending.titleCandidate;
      titlePending.titleCandidate = null;
      titlePending = null;
    }
    if (titlePending) {
      if (titlePending.titleCandidate !== null) {
        if (titlePending.textParts === NO_PARTS) titlePending.textParts = [titlePending.titleCandidate];
        else titlePending.textParts.unshift(titlePending.titleCandidate);
      }
      titlePending.titleCandidate = null;
      titlePending = null;
    }
  };
  const push = (d: Draft): void => {
    const parent = stack[stack.length - 1];
    if (!parent) roots.push(d);
    else if (parent.children === NO_DRAFTS) parent.children = [d];
    else parent.children.push(d);
    stack.push(d);
    extend(d.end);
  };
  const popTo = (index: number): void => {
    stack.length = Math.max(0, index);
  };
  const articleOpen = (): boolean => {
    for (let k = 0; k < stack.length; k++) if (stack[k]!.family === 'article') return true;
    return false;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineStart = starts[i]!;
    const lineEnd = ends[i]!;
    const raw = line.text;
    const depth = perLine.depth[i]! === 0 ? null : perLine.depth[i]!;
    const marks = perLine.flags[i]!;
    let info = line.info;
    if (info === null || line.infoDepth !== depth) {
      line.info = info = lineInfo(raw, depth);
      line.infoDepth = depth;
    }
    if (info.skip) continue;
    // After a blank line, text continues the previous block when that block stopped mid-sentence: a page
    // break in text extracted from PDF (…個別具体 / 的な手順等…).
    const lastPart = stack[stack.length - 1]?.textParts.at(-1) ?? '';
    newBlock =
      info.bullet ||
      (marks & TABLE_ROW) !== 0 ||
      // The line before was classified in the step before (whatever its heading depth, blankness is the text's).
      ((i === 0 || lines[i - 1]!.info!.blank) && (lastPart === '' || BLOCK_END.has(lastPart.charCodeAt(lastPart.length - 1))));
    if ((marks & OPAQUE) !== 0) {
      flushCaption();
      attachText(lineEnd, (marks & TABLE_ROW) !== 0 ? raw.trim() : '');
      continue;
    }
    const { contentStart, contentTrim, caption, marker, usable } = info;
    if (contentTrim.length === 0) continue;

    if (info.toc) {
      flushCaption();
      attachText(lineEnd, '');
      continue;
    }
    if (caption !== null && (!marker || marker.family === 'paren-latin')) {
      flushCaption();
      settleTitle();
      pendingCaption = { start: lineStart + contentStart, end: lineEnd, title: `（${caption}）` };
      continue;
    }
    if (!usable) {
      if (depth !== null || isPlainHeading(lines, i)) {
        flushCaption();
        settleTitle();
        const d = depth ?? PLAIN_HEADING_DEPTH;
        while (stack.length > 0) {
          const top = stack[stack.length - 1]!;
          if (top.headingDepth !== null && top.headingDepth < d) break;
          stack.pop();
        }
        const headStart = lineStart + contentStart;
        push(
          draft({
            kind: 'heading',
            style: 'none',
            family: 'heading',
            listKey: 'heading',
            title: contentTrim,
            start: headStart,
            headStart,
            headEnd: lineEnd,
            headingDepth: d,
            rank: -1,
          }),
        );
        continue;
      }
      if (pendingCaption) flushCaption();
      attachText(lineEnd, contentTrim);
      continue;
    }

    // A numbered line.
    const m = marker!;
    const inArticle = articleOpen();
    let rank = fixedRank(m.family);
    let kind: ProvisionKind;
    let listKey: string = m.family;
    if (m.family === 'article') kind = 'article';
    else if (m.family === 'chapter') kind = 'chapter';
    else if (m.family === 'part') kind = 'part';
    else if (m.family === 'section-kanji') kind = 'section';
    else if (m.family === 'supplementary') kind = 'supplementary';
    else if (inArticle && m.family === 'arabic') {
      kind = 'paragraph';
      rank = PARAGRAPH_RANK;
      listKey = 'paragraph';
    } else if (inArticle && (m.family === 'paren-arabic' || m.family === 'kanji' || m.family === 'paren-kanji')) {
      kind = 'item';
      rank = ITEM_RANK;
      listKey = 'item';
    } else kind = 'item'; // refined below by depth

    let mixed = false;
    if (rank < DYNAMIC_RANK) {
      let j = -1;
      for (let k = 0; k < stack.length && j < 0; k++) if (stack[k]!.rank >= rank) j = k;
      if (j < 0 && depth !== null) {
        j = stack.length;
        while (j > 0 && stack[j - 1]!.family === 'heading' && stack[j - 1]!.headingDepth! >= depth) j--;
      }
      if (j >= 0) popTo(j);
    } else {
      let same = -1;
      for (let k = stack.length - 1; k >= 0; k--) {
        const d = stack[k]!;
        if (d.rank < DYNAMIC_RANK) break;
        if (d.listKey === listKey) {
          same = k;
          break;
        }
      }
      if (same >= 0) popTo(same);
      else {
        const v = m.number[0]!;
        let cont = -1;
        // A number of another style continues a list only when it directly follows that list's last
        // member (①② then (3)): looking deeper would let ② after "(7) 委員会" continue the section list "1".
        if (v > 1 && !(m.family === 'katakana' && m.kana === 'イ')) {
          const k = stack.length - 1;
          const d = stack[k];
          if (d && d.rank >= DYNAMIC_RANK && d.number && d.number.length === 1 && d.number[0] === v - 1 && d.family !== 'dotted2' && d.family !== 'dotted3') {
            cont = k;
          }
        }
        if (cont >= 0) {
          listKey = stack[cont]!.listKey;
          mixed = true;
          popTo(cont);
        } else if (depth !== null) {
          // A numbered heading closes deeper headings and anything not from a heading.
          let j = stack.length;
          while (j > 0) {
            const top = stack[j - 1]!;
            if (top.headingDepth !== null && top.headingDepth < depth) break;
            j--;
          }
          popTo(j);
        }
      }
      let dynDepth = 0;
      for (let k = 0; k < stack.length; k++) if (stack[k]!.rank >= DYNAMIC_RANK || stack[k]!.rank === ITEM_RANK) dynDepth++;
      if (!inArticle && dynDepth === 0 && (m.family === 'arabic' || m.family === 'dotted2' || m.family === 'dotted3'))
        kind = m.family === 'arabic' ? 'section' : 'subsection';
      else if (!inArticle && m.family.startsWith('dotted')) kind = 'subsection';
      else {
        let level = 0;
        for (let k = 0; k < stack.length; k++) {
          const kind = stack[k]!.kind;
          if (kind === 'item' || kind === 'subitem1' || kind === 'subitem2' || kind === 'subitem3') level++;
        }
        kind = level === 0 ? 'item' : level === 1 ? 'subitem1' : level === 2 ? 'subitem2' : 'subitem3';
      }
    }

    settleTitle(titlePending !== null && stack.includes(titlePending));
    const headStart = lineStart + m.start;
    let start = headStart;
    let title: string | null = null;
    let restStart = m.restStart;
    let titleCandidate: string | null = null;
    // Per line text, from the line's info: these ran for every numbered line of every parse.
    const rest = info.rest;
    const short = rest.length > 0 && rest.length <= 60 && !info.restStop;
    if (m.family === 'article') {
      if (pendingCaption && pendingCaption.end <= headStart) {
        start = pendingCaption.start;
        title = pendingCaption.title;
        pendingCaption = null;
      }
      const ic = INLINE_CAPTION_RE.exec(raw.slice(restStart));
      if (ic && title === null) {
        title = `（${ic[1]!.trim()}）`;
        restStart += ic[0].length;
      }
    } else if (kind === 'chapter' || kind === 'part' || kind === 'section' || kind === 'subsection' || kind === 'supplementary') {
      if (short) title = rest;
    } else if (depth !== null) {
      if (rest.length > 0) title = rest;
    } else if (short) {
      titleCandidate = rest;
    }
    flushCaption();
    const ownText =
      m.family === 'article' || (title === null && titleCandidate === null) ? (restStart === m.restStart ? rest : raw.slice(restStart).trim()) : '';
    const d = draft({
      kind,
      style: m.style,
      family: m.family,
      listKey,
      title,
      start,
      headStart,
      headEnd: lineEnd,
      headingDepth: depth,
      rank,
    });
    d.numberText = info.numberTrim;
    // The marker's array (cached with the line): the tree never changes a number in place (settleKana replaces it).
    d.number = m.number;
    d.kana = m.kana ?? null;
    d.numberStart = lineStart + m.start;
    d.numberEnd = lineStart + m.end;
    d.mixed = mixed;
    d.titleCandidate = titleCandidate;
    if (ownText.length > 0) addPart(d, ownText);
    push(d);
    if (titleCandidate !== null) titlePending = d;
  }
  settleTitle();
  flushCaption();
  return { roots, lines: split };
}

/**
 * Shared empty lists until a draft gets its first part or child (most provisions have no children and one
 * part): an array literal grows to 17 slots at its first push. Frozen, so a push that bypasses this throws.
 */
const NO_PARTS = Object.freeze([]) as unknown as string[];
const NO_DRAFTS = Object.freeze([]) as unknown as Draft[];

function addPart(d: Draft, part: string): void {
  if (d.textParts === NO_PARTS) d.textParts = [part];
  else d.textParts.push(part);
}

/**
 * The drafts of the last parse, handed out again by the next one. A draft lives only while its parse runs
 * (the tree is frozen into new or reused nodes, and findings copy its offsets), so every parse of a long
 * draft made a few thousand objects of twenty fields that died at once; on this machine their allocation
 * cost more than the walk that fills them (fresh pages, and the survivors a collection copies mid-parse).
 * At most DRAFT_POOL_LIMIT are kept; buildTree starts handing them out from the first.
 */
const draftPool: Draft[] = [];
let draftsUsed = 0;
const DRAFT_POOL_LIMIT = 20_000;

/** Drops what the pooled drafts of this parse hold (their parts and children): nothing of a parse outlives it in the pool. */
function releaseDrafts(): void {
  for (let i = 0; i < draftsUsed; i++) {
    const d = draftPool[i]!;
    d.textParts = NO_PARTS;
    d.children = NO_DRAFTS;
    d.title = null;
    d.titleCandidate = null;
    d.numberText = null;
    d.number = null;
    d.kana = null;
  }
  draftsUsed = 0;
}

function draft(p: {
  kind: ProvisionKind;
  style: NumberStyle;
  family: MarkerFamily | 'heading';
  listKey: string;
  title: string | null;
  start: number;
  headStart: number;
  headEnd: number;
  headingDepth: number | null;
  rank: number;
}): Draft {
  const reused = draftsUsed < draftPool.length ? draftPool[draftsUsed] : undefined;
  if (reused) {
    draftsUsed++;
    // Every field, as the literal below sets it: nothing of the draft's last parse is left.
    reused.kind = p.kind;
    reused.style = p.style;
    reused.family = p.family;
    reused.listKey = p.listKey;
    reused.numberText = null;
    reused.number = null;
    reused.kana = null;
    reused.title = p.title;
    reused.titleCandidate = null;
    reused.start = p.start;
    reused.headStart = p.headStart;
    reused.headEnd = p.headEnd;
    reused.end = p.headEnd;
    reused.numberStart = -1;
    reused.numberEnd = -1;
    reused.textParts = NO_PARTS;
    reused.children = NO_DRAFTS;
    reused.headingDepth = p.headingDepth;
    reused.rank = p.rank;
    reused.mixed = false;
    return reused;
  }
  // One literal with every field: drafts share a single object shape (a spread made each one a dictionary).
  const d: Draft = {
    kind: p.kind,
    style: p.style,
    family: p.family,
    listKey: p.listKey,
    numberText: null,
    number: null,
    kana: null,
    title: p.title,
    titleCandidate: null,
    start: p.start,
    headStart: p.headStart,
    headEnd: p.headEnd,
    end: p.headEnd,
    numberStart: -1,
    numberEnd: -1,
    textParts: NO_PARTS,
    children: NO_DRAFTS,
    headingDepth: p.headingDepth,
    rank: p.rank,
    mixed: false,
  };
  if (draftPool.length < DRAFT_POOL_LIMIT) {
    draftPool.push(d);
    draftsUsed++;
  }
  return d;
}

const ALNUM = /[A-Za-z0-9]/;

function joinParts(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.length === 0 ? '' : parts[0]!;
  const out: string[] = [];
  let last = '';
  for (const p of parts) {
    // Compare with the previous part's last character: reading the end of the growing text (a regex
    // anchored at $, or charAt on the concatenation) made a provision of 10,000 table rows quadratic.
    if (last !== '' && ALNUM.test(last) && ALNUM.test(p.charAt(0))) out.push(' ');
    out.push(p);
    if (p.length > 0) last = p.charAt(p.length - 1);
  }
  return out.join('');
}

/** Whether joinParts(parts) would be `text`, told without joining them. */
function joinsTo(parts: readonly string[], text: string): boolean {
  if (parts.length <= 1) return parts.length === 0 ? text === '' : parts[0] === text;
  let at = 0;
  let last = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (last !== '' && ALNUM.test(last) && ALNUM.test(p.charAt(0))) {
      if (text.charCodeAt(at) !== 0x20) return false;
      at++;
    }
    if (!text.startsWith(p, at)) return false;
    at += p.length;
    if (p.length > 0) last = p.charAt(p.length - 1);
  }
  return at === text.length;
}

/**
 * The provisions of the last parse in document order (by start), for reusing what an edit left as it was.
 * Provisions are frozen values, so any equal one may stand for another: reuse never changes a result.
 */
let lastProvisions: { readonly length: number; readonly order: readonly ProvisionNode[] } | null = null;

interface FreezeContext {
  readonly text: string;
  /** The previous parse's provisions in document order. */
  readonly prev: readonly ProvisionNode[];
  /** How much longer the text is than the previous one: where provisions after an edit moved to. */
  readonly delta: number;
  /** This parse's provisions in document order (parents before children), filled as they are frozen. */
  readonly order: ProvisionNode[];
}

const PENDING = null as unknown as ProvisionNode;
/** The children of every leaf (frozen: nothing can add to it). */
const NO_NODES = Object.freeze([]) as unknown as ProvisionNode[];

/**
 * A draft as an immutable provision. When the previous parse had the same provision at the same place (or,
 * after the edit, moved by its length), its strings and number are reused, and the node itself when its
 * children are the same nodes too: unchanged provisions keep their identity across an edit, and the texts
 * that later stages key their caches by are the same strings (compared by pointer, hashed once).
 */
function freeze(d: Draft, ctx: FreezeContext): ProvisionNode {
  const at = ctx.order.length;
  ctx.order.push(PENDING);
  // The children are frozen onto a shared stack, and copied into an array of their own only for a new node:
  // most provisions are handed on as they were, with their own list of children.
  const mark = frozenStack.length;
  let end = Math.max(d.end, d.headEnd);
  for (let i = 0; i < d.children.length; i++) {
    const c = freeze(d.children[i]!, ctx);
    frozenStack.push(c);
    if (c.range.end > end) end = c.range.end;
  }
  end = Math.min(end, ctx.text.length);
  let node: ProvisionNode | undefined;
  let base = provisionAt(ctx.prev, d.start);
  let shift = 0;
  if (!base || !sameOwn(base, d, end, 0)) {
    base = ctx.delta !== 0 ? provisionAt(ctx.prev, d.start - ctx.delta) : undefined;
    shift = ctx.delta;
    if (base && !sameOwn(base, d, end, shift)) base = undefined;
  }
  // sameOwn compared the number of children; the node itself is handed on only if they are the same nodes.
  if (base && shift === 0 && sameNodesAt(base.children, frozenStack, mark)) node = base;
  else {
    const children = frozenStack.length === mark ? NO_NODES : Object.freeze(frozenStack.slice(mark));
    node = base
      ? Object.freeze({
          kind: base.kind,
          style: base.style,
          numberText: base.numberText,
          number: base.number,
          title: base.title,
          range: { start: d.start, end },
          headRange: { start: d.headStart, end: d.headEnd },
          numberRange: numberRangeOf(d),
          text: base.text,
          children,
        })
      : Object.freeze({
          kind: d.kind,
          style: d.style,
          numberText: d.numberText,
          // The line's marker's (frozen, kept with the line): the same array from parse to parse, compared at once.
          number: d.number === null ? null : Object.isFrozen(d.number) ? d.number : Object.freeze(d.number.slice()),
          title: d.title,
          range: { start: d.start, end },
          headRange: { start: d.headStart, end: d.headEnd },
          numberRange: numberRangeOf(d),
          text: joinParts(d.textParts),
          children,
        });
  }
  frozenStack.length = mark;
  ctx.order[at] = node;
  return node;
}

/** The frozen children of the drafts being frozen, innermost last (see freeze). */
const frozenStack: ProvisionNode[] = [];

/** The draft's number token as a range, or null. */
function numberRangeOf(d: Draft): TextRange | null {
  return d.numberStart < 0 ? null : { start: d.numberStart, end: d.numberEnd };
}

/** Whether `a` holds the nodes of `stack` from `from` on (sameOwn compared their number). */
function sameNodesAt(a: readonly ProvisionNode[], stack: readonly ProvisionNode[], from: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== stack[from + i]) return false;
  return true;
}

/** The provision of `order` (sorted by start) that starts at `start`. */
function provisionAt(order: readonly ProvisionNode[], start: number): ProvisionNode | undefined {
  const i = indexByKey(order, startOf, start);
  return i < 0 ? undefined : order[i];
}

/** A provision's start, the key of provisionAt's search (one function, not a closure per look-up). */
const startOf = (p: ProvisionNode): number => p.range.start;

/** Whether `p`, moved by `shift`, is what the draft freezes to, children aside (their number included). */
function sameOwn(p: ProvisionNode, d: Draft, end: number, shift: number): boolean {
  return (
    p.kind === d.kind &&
    p.style === d.style &&
    p.numberText === d.numberText &&
    p.title === d.title &&
    p.children.length === d.children.length &&
    p.range.start + shift === d.start &&
    p.range.end + shift === end &&
    p.headRange.start + shift === d.headStart &&
    p.headRange.end + shift === d.headEnd &&
    (p.numberRange === null ? d.numberStart < 0 : p.numberRange.start + shift === d.numberStart && p.numberRange.end + shift === d.numberEnd) &&
    sameNumber(p.number, d.number) &&
    joinsTo(d.textParts, p.text)
  );
}

export type { Marker };
