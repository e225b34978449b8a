/**
 * Defined terms: the 基本方針 2 定義 list, 「以下「X」という。」 and 「XとはYをいう。」 definitions inside the 例文
 * (guideline-map.md §9.1–9.2), and the 用語の定義 glossary (§9.3).
 */

import type { CatalogTerm } from '../../server/src/service/catalog/types';
import type { ExampleItem } from './examples';
import type { LineSpan } from './layout';
import { joinLines, rawRange, type RawLine } from './lines';

const definitionSection = '基本方針 2';
const hereinafter = /以下「([^」]+)」という/g;
const isDefinedAs = /^(.{1,20}?)とは、.*をいう。$/;
const parentheticalTerms = ['多要素認証'];

export function buildTerms(items: readonly ExampleItem[], lines: readonly RawLine[], glossary: LineSpan): CatalogTerm[] {
  return [...definitionList(items), ...inlineDefinitions(items), ...glossaryTerms(lines, glossary)];
}

function definitionList(items: readonly ExampleItem[]): CatalogTerm[] {
  return items
    .filter((i) => i.parent === definitionSection && i.title !== null)
    .map((i) => ({ term: i.title!, definition: i.text, itemId: i.id, sourceLine: i.sourceLine }));
}

/** The definition of an inline term is the sentence that introduces it. */
function inlineDefinitions(items: readonly ExampleItem[]): CatalogTerm[] {
  const out: CatalogTerm[] = [];
  for (const item of items) {
    const text = item.title === null ? item.text : `${item.title}\n${item.text}`;
    for (const sentence of sentences(text)) {
      const terms = [...sentence.matchAll(hereinafter)].map((m) => m[1]!);
      const definedAs = isDefinedAs.exec(sentence)?.[1];
      if (definedAs !== undefined) terms.push(definedAs);
      terms.push(...parentheticalTerms.filter((t) => sentence.includes(`（${t}）`)));
      for (const term of terms) out.push({ term, definition: sentence, itemId: item.id, sourceLine: item.sourceLine });
    }
  }
  return out;
}

/** Sentences end at 。 unless the 。 closes a parenthetical such as （以下「CISO」という。）. */
function sentences(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '（' || c === '(') depth++;
    else if ((c === '）' || c === ')') && depth > 0) depth--;
    else if ((c === '。' && depth === 0) || c === '\n') {
      const s = text.slice(start, c === '\n' ? i : i + 1).trim();
      if (s !== '') out.push(s);
      start = i + 1;
    }
  }
  const rest = text.slice(start).trim();
  if (rest !== '') out.push(rest);
  return out;
}

const entryStart = /^●「?([^」]+?)」?$/;
const kanaHeader = /^【[^】]+】$/;
const hyperlink = /^https?:\/\//;

/** Glossary entries are `●「X」` lines followed by their definition; stray hyperlink targets are dropped (§10). */
function glossaryTerms(lines: readonly RawLine[], span: LineSpan): CatalogTerm[] {
  const logical = joinLines(rawRange(lines, span.from + 1, span.to), (t) => entryStart.test(t) || kanaHeader.test(t) || hyperlink.test(t));
  const out: CatalogTerm[] = [];
  let current: { term: string; line: number; body: string[] } | null = null;
  const flush = () => {
    if (current) out.push({ term: current.term, definition: current.body.join('\n'), itemId: null, sourceLine: current.line });
  };
  for (const line of logical) {
    const entry = entryStart.exec(line.text);
    if (entry) {
      flush();
      // Latin entries spell out the abbreviation: `BCP（Busisness Continuity Plan：事業継続計画）` defines BCP.
      current = { term: entry[1]!.replace(/（.*）$/, '').trim(), line: line.line, body: [] };
    } else if (current && !kanaHeader.test(line.text) && !hyperlink.test(line.text)) {
      current.body.push(line.text);
    }
  }
  flush();
  return out;
}
