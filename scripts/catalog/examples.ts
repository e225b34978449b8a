/**
 * Turns the 例文 text of one part into catalog items: part → section → sub-section → (n) → ① → （ア） → ・,
 * plus unnumbered paragraphs and the rows of the 2 (1) classification tables.
 */

import type { CatalogItem, CatalogLevel } from '../../server/src/service/catalog/types';
import { joinLines, rawRange, type LogicalLine, type RawLine } from './lines';
import type { LineSpan } from './layout';
import {
  isNote,
  isTableFurniture,
  markerDepth,
  markerLevel,
  matchMarker,
  takeRecommendedMark,
  type Marker,
} from './markers';
import { sameTitle, type PartSpec, type SectionSpec } from './sections';

/** A catalog item before commentary is attached. */
export type ExampleItem = Omit<CatalogItem, 'commentary'>;

interface Draft {
  id: string;
  parent: string | null;
  level: CatalogLevel;
  section: string;
  sectionTitle: string;
  number: string | null;
  title: string | null;
  paragraphs: string[];
  recommendedMark: boolean;
  sourceLine: number;
  depth: number;
  children: number;
}

const sectionDepth = 0;

export function parseExamples(lines: readonly RawLine[], spec: PartSpec, span: LineSpan): ExampleItem[] {
  const logical = joinLines(rawRange(lines, span.from, span.to), (t) => startsBlock(spec, t));
  const [heading, ...body] = logical;
  if (!heading || !sameTitle(heading.text, spec.heading)) throw new Error(`${spec.id}: part heading expected first`);
  const part = newDraft({ id: spec.id, parent: null, level: 'part', sectionId: spec.id, sectionTitle: spec.title }, heading.line);
  part.title = spec.title;
  const drafts: Draft[] = [part];
  const blocks = splitSections(spec, body);
  addParagraphs(part, blocks.preamble);
  for (const block of blocks.sections) drafts.push(...parseSection(block));
  const byId = new Map(drafts.map((d) => [d.id, d]));
  return drafts.map((d) => finish(d, spec, byId));
}

interface SectionBlock {
  readonly spec: SectionSpec;
  readonly line: number;
  readonly lines: LogicalLine[];
}

/** Finds the section headings in the fixed order of the section table; everything before the first is preamble. */
function splitSections(spec: PartSpec, body: readonly LogicalLine[]): { preamble: LogicalLine[]; sections: SectionBlock[] } {
  const preamble: LogicalLine[] = [];
  const sections: SectionBlock[] = [];
  let next = 0;
  for (const line of body) {
    const expected = spec.sections[next];
    if (expected && sameTitle(line.text, expected.title)) {
      sections.push({ spec: expected, line: line.line, lines: [] });
      next++;
    } else if (sections.length === 0) {
      preamble.push(line);
    } else {
      sections[sections.length - 1]!.lines.push(line);
    }
  }
  if (next !== spec.sections.length) {
    throw new Error(`${spec.id}: section heading 「${spec.sections[next]!.title}」 not found`);
  }
  return { preamble, sections };
}

function parseSection(block: SectionBlock): Draft[] {
  const section = newDraft(
    {
      id: block.spec.id,
      parent: block.spec.parent,
      level: block.spec.parent === null ? 'section' : 'subsection',
      sectionId: block.spec.id,
      sectionTitle: block.spec.title,
    },
    block.line,
  );
  section.title = block.spec.title;
  const drafts: Draft[] = [section];
  const open: Draft[] = [section];
  const lines = block.lines.filter((l) => !isTableFurniture(l.text));
  const noteAt = lines.findIndex((l) => isNote(l.text));
  const content = noteAt < 0 ? lines : lines.slice(0, noteAt);
  content.forEach((line, i) => {
    const marker = matchMarker(line.text);
    if (marker === null) {
      appendText(drafts, open, section, line);
      return;
    }
    while (open.length > 1 && open[open.length - 1]!.depth >= markerDepth[marker.kind]) open.pop();
    const parent = open[open.length - 1]!;
    const item = itemFromMarker(marker, parent, section, line, content[i + 1]);
    drafts.push(item);
    open.push(item);
  });
  return drafts;
}

function itemFromMarker(marker: Marker, parent: Draft, section: Draft, line: LogicalLine, next: LogicalLine | undefined): Draft {
  parent.children++;
  const idPart = marker.idPart ?? `#b${parent.children}`;
  const item = newDraft(
    { id: parent.id + idPart, parent: parent.id, level: markerLevel[marker.kind], sectionId: section.section, sectionTitle: section.sectionTitle },
    line.line,
  );
  item.number = marker.number;
  item.depth = markerDepth[marker.kind];
  const { text, marked } = takeRecommendedMark(marker.rest);
  item.recommendedMark = marked;
  if (marker.title !== null) {
    item.title = marker.title;
    item.paragraphs.push(text);
  } else if (isTitle(marker, text, next)) {
    item.title = text;
  } else {
    item.paragraphs.push(text);
  }
  return item;
}

/**
 * An item line is a title when it does not end a sentence and the item goes on below it (a body or deeper items).
 * List fragments such as 7.5 ①–⑦ also lack a 。 but are followed by a sibling, so they stay text.
 */
function isTitle(marker: Marker, text: string, next: LogicalLine | undefined): boolean {
  if (marker.kind === 'bullet' || text.endsWith('。')) return false;
  if (next === undefined) return false;
  const nextMarker = matchMarker(next.text);
  return nextMarker === null || markerDepth[nextMarker.kind] > markerDepth[marker.kind];
}

function appendText(drafts: Draft[], open: Draft[], section: Draft, line: LogicalLine): void {
  const target = open[open.length - 1]!;
  const { text, marked } = takeRecommendedMark(line.text);
  if (target === section) {
    section.children++;
    const paragraph = newDraft(
      { id: `${section.id}#p${section.children}`, parent: section.id, level: 'paragraph', sectionId: section.section, sectionTitle: section.sectionTitle },
      line.line,
    );
    paragraph.paragraphs.push(text);
    paragraph.recommendedMark = marked;
    paragraph.depth = markerDepth.bullet + 1;
    drafts.push(paragraph);
    return;
  }
  target.paragraphs.push(text);
  if (marked) target.recommendedMark = true;
}

function addParagraphs(part: Draft, lines: readonly LogicalLine[]): void {
  for (const line of lines) part.paragraphs.push(line.text);
}

function startsBlock(spec: PartSpec, text: string): boolean {
  return (
    matchMarker(text) !== null ||
    isTableFurniture(text) ||
    isNote(text) ||
    sameTitle(text, spec.heading) ||
    spec.sections.some((s) => sameTitle(text, s.title))
  );
}

function newDraft(
  base: { id: string; parent: string | null; level: CatalogLevel; sectionId: string; sectionTitle: string },
  line: number,
): Draft {
  return {
    id: base.id,
    parent: base.parent,
    level: base.level,
    section: base.sectionId,
    sectionTitle: base.sectionTitle,
    number: null,
    title: null,
    paragraphs: [],
    recommendedMark: false,
    sourceLine: line,
    depth: sectionDepth,
    children: 0,
  };
}

/** Inherits 【推奨事項】 down the tree: a child of an optional clause is only needed when the clause is adopted. */
function finish(draft: Draft, spec: PartSpec, byId: ReadonlyMap<string, Draft>): ExampleItem {
  let recommended = draft.recommendedMark;
  for (let p = draft.parent; !recommended && p !== null; p = byId.get(p)?.parent ?? null) {
    recommended = byId.get(p)?.recommendedMark ?? false;
  }
  return {
    id: draft.id,
    part: spec.part,
    parent: draft.parent,
    level: draft.level,
    section: draft.section,
    sectionTitle: draft.sectionTitle,
    number: draft.number,
    title: draft.title,
    text: draft.paragraphs.join('\n'),
    recommended,
    recommendedMark: draft.recommendedMark,
    sourceLine: draft.sourceLine,
  };
}
