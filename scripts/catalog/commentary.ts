/**
 * Attaches the 第3編 解説 to sections and (n) items. Each 解説 section repeats the section heading (with `X.Y.`
 * for sub-sections), then 【趣旨】 (対策基準 only), a verbatim 【例文】 copy and `(解説)`; the (解説) is sub-headed by
 * the 例文's own (n) titles (guideline-map.md §5).
 */

import type { Commentary } from '../../server/src/service/catalog/types';
import type { ExampleItem } from './examples';
import type { LineSpan } from './layout';
import { joinLines, rawRange, type LogicalLine, type RawLine } from './lines';
import { toAsciiDigits } from './markers';
import { sameTitle, type PartSpec, type SectionSpec } from './sections';

const purposeMarker = /^【趣旨】$/;
const exampleMarker = /^【例文】$/;
const commentaryMarker = /^[(（]解説[)）]$/;
const subHeading = /^[(（]([０-９0-9]+)[)）]\s*(.{1,80}[^。])$/;
const blockStart = /^([(（][０-９0-9]+[)）]|[①-⑳]|[（(][ァ-ヶ][）)]|（注[０-９0-9]*）|[(（]注[)）]|・|●|図表\s*\d)/;

/** 解説-only headings that end the previous section's 解説 without belonging to any 例文 section. */
const unattachedHeadings = ['宣言書の形式'];

export function attachCommentary(
  lines: readonly RawLine[],
  spec: PartSpec,
  span: LineSpan,
  items: readonly ExampleItem[],
): Map<string, Commentary> {
  const found = new Map<string, Commentary>();
  for (const block of sectionBlocks(lines, spec, span)) {
    const parsed = parseSectionCommentary(lines, block);
    if (parsed === null) continue;
    found.set(block.section.id, parsed.section);
    const numbered = items.filter((i) => i.parent === block.section.id && i.level === 'item');
    for (const [id, commentary] of subCommentaries(parsed.body, numbered)) found.set(id, commentary);
  }
  return found;
}

interface CommentaryBlock {
  readonly section: SectionSpec;
  readonly from: number;
  readonly to: number;
}

/** Locates each 例文 section's heading in 第3編, in table order; a block runs to the next heading. */
function sectionBlocks(lines: readonly RawLine[], spec: PartSpec, span: LineSpan): CommentaryBlock[] {
  const starts: { section: SectionSpec | null; line: number }[] = [];
  let cursor = span.from;
  for (const section of spec.sections) {
    const found = rawRange(lines, cursor, span.to).find((l) => isCommentaryHeading(l.text, section));
    if (!found) throw new Error(`解説: heading 「${section.title}」 not found after line ${cursor}`);
    starts.push({ section, line: found.line });
    cursor = found.line + 1;
  }
  for (const title of unattachedHeadings) {
    const found = rawRange(lines, cursor, span.to).find((l) => sameTitle(l.text, title));
    if (found) starts.push({ section: null, line: found.line });
  }
  const blocks: CommentaryBlock[] = [];
  starts.forEach((start, i) => {
    if (start.section === null) return;
    const next = starts[i + 1];
    blocks.push({ section: start.section, from: start.line + 1, to: next ? next.line - 1 : span.to });
  });
  return blocks;
}

function isCommentaryHeading(text: string, section: SectionSpec): boolean {
  if (section.parent === null) return sameTitle(text, section.title);
  const prefix = new RegExp(`^\\s*${section.id.replace('.', '\\.')}\\.?\\s*`);
  return prefix.test(text) && sameTitle(text.replace(prefix, ''), section.title);
}

function parseSectionCommentary(
  lines: readonly RawLine[],
  block: CommentaryBlock,
): { section: Commentary; body: LogicalLine[] } | null {
  const raw = rawRange(lines, block.from, block.to);
  const at = (re: RegExp) => raw.find((l) => re.test(l.text.trim()));
  const purposeLine = at(purposeMarker);
  const exampleLine = at(exampleMarker);
  const commentaryLine = at(commentaryMarker);
  if (!purposeLine && !commentaryLine) return null;
  const purpose =
    purposeLine && exampleLine ? joinParagraphs(join(rawRange(lines, purposeLine.line + 1, exampleLine.line - 1))) : undefined;
  const body = commentaryLine ? join(rawRange(lines, commentaryLine.line + 1, block.to)) : [];
  const section: Commentary = {
    ...(purpose !== undefined ? { purpose } : {}),
    text: joinParagraphs(body),
    sourceLine: (purposeLine ?? commentaryLine)!.line,
  };
  return { section, body };
}

/** Splits the (解説) at sub-headings numbered like the section's (n) items, matched in order. */
function subCommentaries(body: readonly LogicalLine[], numbered: readonly ExampleItem[]): Map<string, Commentary> {
  const headings = body
    .map((line, index) => ({ index, line, number: subHeadingNumber(line.text) }))
    .filter((h): h is { index: number; line: LogicalLine; number: number } => h.number !== null);
  const out = new Map<string, Commentary>();
  let cursor = 0;
  for (const item of numbered) {
    const wanted = Number(/\((\d+)\)$/.exec(item.id)?.[1]);
    const start = headings.findIndex((h, i) => i >= cursor && h.number === wanted);
    if (start < 0) continue;
    const heading = headings[start]!;
    const end = headings.find((h, i) => i > start && h.number > wanted);
    const text = joinParagraphs(body.slice(heading.index + 1, end ? end.index : body.length));
    out.set(item.id, { text, sourceLine: heading.line.line });
    cursor = start + 1;
  }
  return out;
}

function subHeadingNumber(text: string): number | null {
  const m = subHeading.exec(text);
  return m ? Number(toAsciiDigits(m[1]!)) : null;
}

function join(raw: readonly RawLine[]): LogicalLine[] {
  return joinLines(raw, (t) => blockStart.test(t));
}

function joinParagraphs(lines: readonly LogicalLine[]): string {
  return lines.map((l) => l.text).join('\n');
}
