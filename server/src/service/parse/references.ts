/**
 * Cross-references inside the policy (第N条第M項, 前条, 前項, 同項, 次条, 第2章, 上記3, 「(1)の分類」)
 * resolved to provisions. References into other laws (…法律第57号）第2条) are recognised and skipped.
 */
import type { Finding, TextRange } from '../types';
import { parseNumeral } from '../text/numbering';
import type { ProvisionNode, Reference } from './types';

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

interface Indexed {
  readonly node: ProvisionNode;
  readonly parent: ProvisionNode | null;
}

export interface ReferenceResult {
  readonly references: Reference[];
  readonly findings: Finding[];
}

export function resolveReferences(
  text: string,
  provisions: readonly ProvisionNode[],
  bodyStart: number,
): ReferenceResult {
  const flat: Indexed[] = [];
  const parentOf = new Map<ProvisionNode, ProvisionNode | null>();
  const walk = (nodes: readonly ProvisionNode[], parent: ProvisionNode | null): void => {
    for (const n of nodes) {
      flat.push({ node: n, parent });
      parentOf.set(n, parent);
      walk(n.children, n);
    }
  };
  walk(provisions, null);
  const articles = flat.filter((x) => x.node.kind === 'article').map((x) => x.node);
  const chapters = flat.filter((x) => x.node.kind === 'chapter').map((x) => x.node);
  const sections = flat.filter((x) => x.node.kind === 'section' && x.node.style === 'arabic').map((x) => x.node);
  const ownNumbers = new Set<number>();
  for (const x of flat) if (x.node.numberRange) ownNumbers.add(x.node.numberRange.start);

  const containerAt = (offset: number): ProvisionNode | null => {
    let level: readonly ProvisionNode[] = provisions;
    let found: ProvisionNode | null = null;
    for (;;) {
      const hit = findContaining(level, offset);
      if (!hit) return found;
      found = hit;
      level = hit.children;
    }
  };
  const ancestor = (n: ProvisionNode | null, kind: ProvisionNode['kind']): ProvisionNode | null => {
    for (let c = n; c; c = parentOf.get(c) ?? null) if (c.kind === kind) return c;
    return null;
  };
  const paragraphOf = (article: ProvisionNode, k: number): ProvisionNode | null =>
    k === 1 ? article : (article.children.find((c) => c.kind === 'paragraph' && c.number?.[0] === k) ?? null);
  const itemOf = (p: ProvisionNode, k: number): ProvisionNode | null =>
    p.children.find((c) => c.kind === 'item' && c.number?.[0] === k) ?? null;
  const sameNumber = (a: readonly number[] | null, b: readonly number[]): boolean =>
    !!a && a.length === b.length && a.every((v, i) => v === b[i]);

  const references: Reference[] = [];
  const findings: Finding[] = [];
  let lastArticle: { target: ProvisionNode | null; article: ProvisionNode | null } | null = null;
  let lastParagraph: ProvisionNode | null = null;

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
  REF_RE.lastIndex = bodyStart;
  let m: RegExpExecArray | null;
  while ((m = REF_RE.exec(scanned))) {
    const start = m.index;
    const end = start + m[0].length;
    const range = { start, end };
    const t = m[0];
    if (ownNumbers.has(start)) continue;
    const lineStart = Math.max(text.lastIndexOf('\n', start), text.lastIndexOf('\r', start)) + 1;
    let lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = text.length;
    if (TOC_LINE_RE.test(text.slice(lineStart, lineEnd))) continue;
    const container = containerAt(start);
    const article = ancestor(container, 'article');
    const before = text.slice(Math.max(lineStart, start - 12), start);

    const g = m.groups ?? {};
    const rel = g['rel'];
    if (rel !== undefined) {
      let target: ProvisionNode | null = null;
      let report = true;
      if (rel === '前条' || rel === '次条') {
        if (!article) continue;
        const i = articles.indexOf(article);
        target = articles[rel === '前条' ? i - 1 : i + 1] ?? null;
        lastArticle = { target, article };
      } else if (rel === '同条') {
        if (!lastArticle || lastArticle.article !== article || !lastArticle.target) continue;
        target = lastArticle.target;
        report = false;
      } else if (rel === '前項' || rel === '次項') {
        if (!article) continue;
        const k = ancestor(container, 'paragraph')?.number?.[0] ?? 1;
        target = paragraphOf(article, rel === '前項' ? k - 1 : k + 1);
        lastParagraph = target;
      } else if (rel === '同項') {
        if (!lastParagraph || ancestor(lastParagraph, 'article') !== article) continue;
        target = lastParagraph;
        report = false;
      } else continue;
      if (target && g['relPara'] !== undefined && target.kind === 'article') {
        target = paragraphOf(target, parseNumeral(g['relPara']) ?? 0);
        if (target) lastParagraph = target;
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
      let target = articles.find((a) => sameNumber(a.number, num)) ?? null;
      if (target && g['para'] !== undefined) {
        target = paragraphOf(target, parseNumeral(g['para']) ?? 0);
        if (target) lastParagraph = target;
      }
      if (target && g['item'] !== undefined) target = itemOf(target, parseNumeral(g['item']) ?? 0);
      lastArticle = { target: target ? (ancestor(target, 'article') ?? target) : null, article };
      add(t, range, target, articles.length > 0);
      continue;
    }
    if (g['ownPara'] !== undefined) {
      if (!article) continue;
      let target = paragraphOf(article, parseNumeral(g['ownPara']) ?? 0);
      if (target) lastParagraph = target;
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
      for (let c: ProvisionNode | null = container; c && !target; c = parentOf.get(c) ?? null) {
        const scope = c.children.concat(parentOf.get(c)?.children ?? []);
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
  if (!/<!--|`|~~~/.test(text)) return text;
  return text.replace(/<!--[\s\S]*?(?:-->|$(?![\s\S]))|^(```|~~~)[^\n]*\n[\s\S]*?(?:^\1[^\n]*$|$(?![\s\S]))|`[^`\n]+`/gm, (m) => m.replace(/[^\r\n]/g, ' '));
}
