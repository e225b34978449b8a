/**
 * The numbering markers of the 例文 as they appear in the extracted text (guideline-map.md §2.3, §10):
 * `(１)` with full-width digits (also `（１）` and the mixed `(２）`), `①` with an optional space, `（ア）`, `・`,
 * plus the rows of the 2 (1) classification tables, which behave like list items.
 */

import type { CatalogLevel } from '../../server/src/service/catalog/types';

export type MarkerKind = 'item' | 'subitem' | 'subsubitem' | 'row' | 'bullet';

export interface Marker {
  readonly kind: MarkerKind;
  /** The number as written, or null for table rows. */
  readonly number: string | null;
  /** What the marker adds to its parent's id: `(3)`, `②`, `(ウ)`, `#機密性3`; bullets get theirs from their position. */
  readonly idPart: string | null;
  /** Fixed title (table rows: the class name). */
  readonly title: string | null;
  /** Text after the marker. */
  readonly rest: string;
}

/** Nesting depth of each marker kind below a section; a marker closes every open item of equal or greater depth. */
export const markerDepth: Readonly<Record<MarkerKind, number>> = {
  item: 1,
  subitem: 2,
  subsubitem: 3,
  row: 3,
  bullet: 4,
};

export const markerLevel: Readonly<Record<MarkerKind, CatalogLevel>> = {
  item: 'item',
  subitem: 'subitem',
  subsubitem: 'subsubitem',
  row: 'paragraph',
  bullet: 'bullet',
};

// `(１)の分類に基づき` is a cross-reference, not a marker, so a following の rules the match out.
const parenNumber = /^([(（])([０-９0-9]+)([)）])\s*(?!の)(.*)$/;
const circled = /^([①-⑳])\s*(.*)$/;
const parenKana = /^([（(])([ァ-ヶ])([）)])\s*(.*)$/;
const bullet = /^・\s*(.*)$/;
const tableRow = /^(機密性|完全性|可用性)([１-３])\s+(.*)$/;
const tableCaption = /^(機密性|完全性|可用性)による情報資産の分類$/;
const tableHeader = /^分類\s+分類基準\s+取扱制限$/;
const note = /^（注）/;

export function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

export function matchMarker(text: string): Marker | null {
  let m = parenNumber.exec(text);
  if (m) {
    const [, open, digits, close, rest] = m as unknown as [string, string, string, string, string];
    return { kind: 'item', number: open + digits + close, idPart: `(${toAsciiDigits(digits)})`, title: null, rest };
  }
  m = circled.exec(text);
  if (m) return { kind: 'subitem', number: m[1]!, idPart: m[1]!, title: null, rest: m[2]! };
  m = parenKana.exec(text);
  if (m) {
    const [, open, kana, close, rest] = m as unknown as [string, string, string, string, string];
    return { kind: 'subsubitem', number: open + kana + close, idPart: `(${kana})`, title: null, rest };
  }
  m = bullet.exec(text);
  if (m) return { kind: 'bullet', number: '・', idPart: null, title: null, rest: m[1]! };
  m = tableRow.exec(text);
  if (m) {
    const [, axis, level, rest] = m as unknown as [string, string, string, string];
    return { kind: 'row', number: null, idPart: `#${axis}${toAsciiDigits(level)}`, title: axis + level, rest };
  }
  return null;
}

/** Table captions and header rows of the 2 (1) tables: layout, not 例文 text. */
export function isTableFurniture(text: string): boolean {
  return tableCaption.test(text) || tableHeader.test(text);
}

/** The 基本方針 （注） (L1290) is an editorial note about the 例文, not part of it. */
export function isNote(text: string): boolean {
  return note.test(text);
}

const recommendedMark = /【推奨事項】$/;

/** Splits off a trailing 【推奨事項】; the mark always ends its item's text (guideline-map.md §4). */
export function takeRecommendedMark(text: string): { text: string; marked: boolean } {
  if (!recommendedMark.test(text)) return { text, marked: false };
  return { text: text.replace(recommendedMark, '').trimEnd(), marked: true };
}
