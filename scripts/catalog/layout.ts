/**
 * Where the parts of the guideline are. None of the 編 title pages survived extraction, so the boundaries are the
 * headings that did (guideline-map.md §1): the two 例文 part headings in 第2編, the two chapter headings of 第3編,
 * the glossary heading and the 付録1 column header.
 */

import type { GuidelinePart } from '../../server/src/service/catalog/types';
import type { RawLine } from './lines';
import { appendixStart, glossaryHeading, parts, sameTitle } from './sections';

export interface LineSpan {
  readonly from: number;
  readonly to: number;
}

export interface Layout {
  readonly examples: Readonly<Record<GuidelinePart, LineSpan>>;
  readonly commentary: Readonly<Record<GuidelinePart, LineSpan>>;
  readonly glossary: LineSpan;
}

export function locateLayout(lines: readonly RawLine[]): Layout {
  const [basic, standards] = parts as [(typeof parts)[number], (typeof parts)[number]];
  const basicStart = findHeading(lines, basic.heading, 1);
  const standardsStart = findHeading(lines, standards.heading, basicStart);
  const basicCommentary = findHeading(lines, basic.commentaryHeading, standardsStart);
  const standardsCommentary = findHeading(lines, standards.commentaryHeading, basicCommentary);
  const glossary = findHeading(lines, glossaryHeading, standardsCommentary);
  const appendix = lines.findIndex((l) => l.line > glossary && appendixStart.test(l.text));
  if (appendix < 0) throw new Error('guideline text: 付録1 column header not found after the glossary');
  return {
    examples: {
      'basic-policy': { from: basicStart, to: standardsStart - 1 },
      standards: { from: standardsStart, to: basicCommentary - 1 },
    },
    commentary: {
      'basic-policy': { from: basicCommentary, to: standardsCommentary - 1 },
      standards: { from: standardsCommentary, to: glossary - 1 },
    },
    glossary: { from: glossary, to: lines[appendix]!.line - 1 },
  };
}

function findHeading(lines: readonly RawLine[], title: string, after: number): number {
  const found = lines.find((l) => l.line >= after && sameTitle(l.text, title));
  if (!found) throw new Error(`guideline text: heading 「${title}」 not found after line ${after}`);
  return found.line;
}
