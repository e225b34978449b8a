/**
 * Cross-references inside the policy (第N条第M項, 前条, 前項, 同項, 次条, 第2章, 上記3, 「(1)の分類」)
 * resolved to provisions. References into other laws (…法律第57号）第2条) are recognised and skipped.
 */
import type { Finding, TextRange } from '../types';
import { parseNumeral } from '../text/numbering';
import type { ProvisionNode, Reference } from './types';
import { indexOfValue } from './sorted';

const N = '[0-9０-９]+|[〇一二三四五六七八九十百千]+';
const REF_RE = new RegExp(
  [
    `(?<rel>前各号|前条|次条|同条|前項|同項|次項)(?:第(?<relPara>${N})項)?(?:第(?<relItem>${N})号)?`,
    `第(?<art>${N})条(?<branch>(?:[のノ](?:${N}))*)(?:第(?<para>${N})項)?(?:第(?<item>${N})号)?`,
    `第(?<ownPara>${N})項(?:第(?<ownItem>${N})号)?`,
    `第(?<chapter>${N})章`,
    `[上下]記[ \\u3000]?(?<above>[0-9０-９]+(?:(?:[、，,]|及び|並びに|又は|若しくは)[0-9０-９]+)*)`,
    `[(（](?<paren>[0-9０-９]+)[)）](?=の)`,
  ].join('|'),
  'g',
);
const BRANCH_RE = new RegExp(`[のノ](${N})`, 'g');
/** Text right before 第N条 that makes it a reference into another enactment. */
const EXTERNAL_BEFORE_RE = /(?:法|法律|条例|規則|政令|省令|府令|規程|規約|要綱|要領|令|憲章|協定|定款|[）)」])[ \u3000]*$/;
const TOC_LINE_RE = /[（(]第[^）)]*条[－ー―‐〜～~-]第[^）)]*条[）)]\s*$|(?:[…‥]+|[.．・]{3,})\s*[0-9０-９]+\s*$/;

export interface ReferenceResult {
  readonly references: Reference[];
  readonly findings: Finding[];
}

/** A match of REF_RE inside one line, relative to the line's start. */
export interface LineReference {
  readonly at: number;
  readonly text: string;
  readonly groups: Readonly<Record<string, string | undefined>>;
}

/** A line of the text (splitLines) that keeps the references found in it. */
export interface ReferenceLine {
  readonly text: string;
  references: readonly LineReference[] | null;
}

/** The lines of the text (splitLines) and where each starts. */
export interface ReferenceLines {
  readonly lines: readonly ReferenceLine[];
  readonly starts: ArrayLike<number>;
}

const NO_REFERENCES: readonly LineReference[] = [];

/** REF_RE's matches in one line (none of its patterns spans a line break). */
function lineReferences(line: string): readonly LineReference[] {
  REF_RE.lastIndex = 0;
  let out: LineReference[] | null = null;
  let m: RegExpExecArray | null;
  while ((m = REF_RE.exec(line))) (out ??= []).push({ at: m.index, text: m[0], groups: m.groups ?? {} });
  return out ?? NO_REFERENCES;
}

/** REF_RE's matches from `bodyStart` on: per line, kept with the line across parses, when `lines` are given and nothing is masked. */
function* matches(text: string, scanned: string, bodyStart: number, split: ReferenceLines | undefined): Generator<LineReference> {
  if (split && scanned === text) {
    const { lines, starts } = split;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const start = starts[i]!;
      const found = (line.references ??= lineReferences(line.text));
      for (let k = 0; k < found.length; k++) {
        const r = found[k]!;
        yield start === 0 ? r : { at: start + r.at, text: r.text, groups: r.groups };
      }
    }
    return;
  }
  REF_RE.lastIndex = bodyStart;
  let m: RegExpExecArray | null;
  while ((m = REF_RE.exec(scanned))) yield { at: m.index, text: m[0], groups: m.groups ?? {} };
}

/**
 * The references of the text from `bodyStart` on, resolved against the provisions. `lines`, when given,
 * are the text's lines from `bodyStart` (splitLines), which keep what REF_RE found in them.
 */
export function resolveReferences(
  text: string,
  provisions: readonly ProvisionNode[],
  bodyStart: number,
  lines?: ReferenceLines,
): ReferenceResult {
  // One pass over the tree: the lists the references resolve against and the numbers' offsets.
  const articles: ProvisionNode[] = [];
  const chapters: ProvisionNode[] = [];
  const sections: ProvisionNode[] = [];
  const ownNumbers: number[] = [];
  let numbersSorted = true;
  const walk = (nodes: readonly ProvisionNode[]): void => {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (n.kind === 'article') articles.push(n);
      else if (n.kind === 'chapter') chapters.push(n);
      else if (n.kind === 'section' && n.style === 'arabic') sections.push(n);
      // In document order (a number lies in its provision's head line, before its children's): sorted.
      if (n.numberRange) {
        if (ownNumbers.length > 0 && n.numberRange.start <= ownNumbers[ownNumbers.length - 1]!) numbersSorted = false;
        ownNumbers.push(n.numberRange.start);
      }
      if (n.children.length > 0) walk(n.children);
    }
  };
  walk(provisions);
  const unsortedNumbers = numbersSorted ? null : new Set(ownNumbers);
  const ownNumber = (x: number): boolean => (unsortedNumbers ? unsortedNumbers.has(x) : indexOfValue(ownNumbers, x) >= 0);
  /** An article's index among the articles, and the first article of each number (what `find` would return). */
  let articleIndex: Map<ProvisionNode, number> | null = null;
  let articleByNumber: Map<string, ProvisionNode> | null = null;
  const indexOfArticle = (a: ProvisionNode): number => {
    if (!articleIndex) {
      articleIndex = new Map();
      for (let i = 0; i < articles.length; i++) articleIndex.set(articles[i]!, i);
    }
    return articleIndex.get(a) ?? -1;
  };
  const articleNumbered = (num: readonly number[]): ProvisionNode | null => {
    if (!articleByNumber) {
      articleByNumber = new Map();
      for (const a of articles) {
        if (!a.number) continue;
        const k = a.number.join(',');
        if (!articleByNumber.has(k)) articleByNumber.set(k, a);
      }
    }
    return articleByNumber.get(num.join(',')) ?? null;
  };

  /** The provisions containing `offset`, outermost first (each one's parent is the one before it). */
  const pathAt = (offset: number): ProvisionNode[] => {
    const path: ProvisionNode[] = [];
    let level: readonly ProvisionNode[] = provisions;
    for (;;) {
      const hit = findContaining(level, offset);
      if (!hit) return path;
      path.push(hit);
      level = hit.children;
    }
  };
  /** The innermost provision of `path` of that kind. */
  const ancestor = (path: readonly ProvisionNode[], kind: ProvisionNode['kind']): ProvisionNode | null => {
    for (let i = path.length - 1; i >= 0; i--) if (path[i]!.kind === kind) return path[i]!;
    return null;
  };
  const paragraphOf = (article: ProvisionNode, k: number): ProvisionNode | null =>
    k === 1 ? article : (article.children.find((c) => c.kind === 'paragraph' && c.number?.[0] === k) ?? null);
  const itemOf = (p: ProvisionNode, k: number): ProvisionNode | null =>
    p.children.find((c) => c.kind === 'item' && c.number?.[0] === k) ?? null;

  const references: Reference[] = [];
  const findings: Finding[] = [];
  let lastArticle: { target: ProvisionNode | null; article: ProvisionNode | null } | null = null;
  let lastParagraph: ProvisionNode | null = null;
  /** The article `lastParagraph` belongs to (a paragraph is a child of its article, or the article itself). */
  let lastParagraphArticle: ProvisionNode | null = null;
  const setLastParagraph = (p: ProvisionNode, article: ProvisionNode): void => {
    lastParagraph = p;
    lastParagraphArticle = article;
  };

  const add = (t: string, range: TextRange, target: ProvisionNode | null, report: boolean, label?: string): void => {
    references.push({ text: t, range, target });
    if (!target && report) {
      findings.push({
        code: 'unresolved-reference',
        severity: 'warning',
        message: `${label ?? t}がありません（「${t}」を参照しています）`,
        range,
      });
    }
  };

  // Comments and code are not policy text: blank them out (keeping offsets) before looking for references.
  const scanned = maskNonText(text);
  const lineStartOf = (at: number): number => {
    // The last \n or \r at or before `at` (scanning back only as far as the line, never the whole text).
    let i = at;
    for (; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
    }
    return i + 1;
  };
  for (const m of matches(text, scanned, bodyStart, lines)) {
    const start = m.at;
    const end = start + m.text.length;
    const range = { start, end };
    const t = m.text;
    // A provision's own number (第3条 heading its article) is no reference.
    if (ownNumber(start)) continue;
    const lineStart = lineStartOf(start);
    let lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = text.length;
    if (TOC_LINE_RE.test(text.slice(lineStart, lineEnd))) continue;
    const path = pathAt(start);
    const container = path.length > 0 ? path[path.length - 1]! : null;
    const article = ancestor(path, 'article');
    const before = text.slice(Math.max(lineStart, start - 12), start);

    const g = m.groups;
    const rel = g['rel'];
    if (rel !== undefined) {
      let target: ProvisionNode | null = null;
      let report = true;
      if (rel === '前条' || rel === '次条') {
        if (!article) continue;
        const i = indexOfArticle(article);
        target = articles[rel === '前条' ? i - 1 : i + 1] ?? null;
        lastArticle = { target, article };
      } else if (rel === '同条') {
        if (!lastArticle || lastArticle.article !== article || !lastArticle.target) continue;
        target = lastArticle.target;
        report = false;
      } else if (rel === '前項' || rel === '次項') {
        if (!article) continue;
        const k = ancestor(path, 'paragraph')?.number?.[0] ?? 1;
        target = paragraphOf(article, rel === '前項' ? k - 1 : k + 1);
        lastParagraph = target;
        lastParagraphArticle = article;
      } else if (rel === '同項') {
        if (!lastParagraph || lastParagraphArticle !== article) continue;
        target = lastParagraph;
        report = false;
      } else continue;
      if (target && g['relPara'] !== undefined && target.kind === 'article') {
        const a: ProvisionNode = target;
        target = paragraphOf(a, parseNumeral(g['relPara']) ?? 0);
        if (target) setLastParagraph(target, a);
      }
      if (target && g['relItem'] !== undefined) target = itemOf(target, parseNumeral(g['relItem']) ?? 0);
      add(t, range, target, report);
      continue;
    }
    if (g['art'] !== undefined) {
      const n = parseNumeral(g['art']);
      if (n === null) continue;
      if (EXTERNAL_BEFORE_RE.test(before)) {
        lastArticle = { target: null, article };
        continue;
      }
      const num = [n];
      for (const b of (g['branch'] ?? '').matchAll(BRANCH_RE)) num.push(parseNumeral(b[1]!) ?? 0);
      const found = articleNumbered(num);
      let target = found;
      if (found && g['para'] !== undefined) {
        target = paragraphOf(found, parseNumeral(g['para']) ?? 0);
        if (target) setLastParagraph(target, found);
      }
      if (target && g['item'] !== undefined) target = itemOf(target, parseNumeral(g['item']) ?? 0);
      // Whatever the target, it lies in (or is) the article found.
      lastArticle = { target: target ? found : null, article };
      add(t, range, target, articles.length > 0);
      continue;
    }
    if (g['ownPara'] !== undefined) {
      if (!article) continue;
      let target = paragraphOf(article, parseNumeral(g['ownPara']) ?? 0);
      if (target) setLastParagraph(target, article);
      if (target && g['ownItem'] !== undefined) target = itemOf(target, parseNumeral(g['ownItem']) ?? 0);
      add(t, range, target, true);
      continue;
    }
    if (g['chapter'] !== undefined) {
      if (EXTERNAL_BEFORE_RE.test(before) && !/[（(]$/.test(before)) continue;
      const n = parseNumeral(g['chapter']);
      const target = chapters.find((c) => c.number?.[0] === n) ?? null;
      add(t, range, target, chapters.length > 0);
      continue;
    }
    const above = g['above'];
    if (above !== undefined) {
      const base = start + t.indexOf(above);
      for (const part of above.matchAll(/[0-9０-９]+/g)) {
        const n = parseNumeral(part[0]);
        const s = base + part.index;
        const target = sections.find((c) => c.number?.[0] === n) ?? null;
        const r = part.index === 0 ? { start, end: s + part[0].length } : { start: s, end: s + part[0].length };
        add(text.slice(r.start, r.end), r, target, sections.length > 0, `見出し${n}`);
      }
      continue;
    }
    if (g['paren'] !== undefined) {
      const n = parseNumeral(g['paren']);
      if (n === null) continue;
      // 「(1)の分類」: the nearest (n) item with that number, looking outwards from where the text is.
      let target: ProvisionNode | null = null;
      for (let i = path.length - 1; i >= 0 && !target; i--) {
        const c = path[i]!;
        const scope = c.children.concat(i > 0 ? path[i - 1]!.children : []);
        target = scope.find((x) => x.style === 'paren-arabic' && x.number?.[0] === n && x !== container) ?? null;
      }
      if (target) add(t, range, target, false);
    }
  }
  return { references, findings };
}

function findContaining(nodes: readonly ProvisionNode[], offset: number): ProvisionNode | null {
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = nodes[mid]!;
    if (offset < n.range.start) hi = mid - 1;
    else if (offset >= n.range.end) lo = mid + 1;
    else return n;
  }
  return null;
}

/** The text with HTML comments, fenced code blocks and inline code replaced by spaces of the same length. */
export function maskNonText(text: string): string {
  if (!text.includes('`') && !text.includes('<!--') && !text.includes('~~~')) return text;
  return text.replace(/<!--[\s\S]*?(?:-->|$(?![\s\S]))|^(```|~~~)[^\n]*\n[\s\S]*?(?:^\1[^\n]*$|$(?![\s\S]))|`[^`\n]+`/gm, (m) => m.replace(/[^\r\n]/g, ' '));
}
