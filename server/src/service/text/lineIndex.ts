import type { TextRange } from '../types';

export interface Position {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 code unit offset in the line. */
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/**
 * The one place where UTF-16 offsets become line/character positions and back.
 * Line breaks are \r\n, \n and \r, as in LSP.
 */
export class LineIndex {
  readonly #lineStarts: number[];
  readonly #length: number;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.#lineStarts = starts;
    this.#length = text.length;
  }

  get lineCount(): number {
    return this.#lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.#length));
    let lo = 0;
    let hi = this.#lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.#lineStarts[lo]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.#lineStarts.length) return this.#length;
    const start = this.#lineStarts[position.line]!;
    let lineEnd = position.line + 1 < this.#lineStarts.length ? this.#lineStarts[position.line + 1]! : this.#length;
    // A character past the end of the line means the end of the line, before its line break.
    if (lineEnd > start && this.#text.charCodeAt(lineEnd - 1) === 10) lineEnd--;
    if (lineEnd > start && this.#text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    return Math.max(start, Math.min(start + Math.max(0, position.character), lineEnd));
  }

  rangeOf(range: TextRange): Range {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }

  /** Start offset of a 0-based line (clamped). */
  lineStart(line: number): number {
    return this.#lineStarts[Math.max(0, Math.min(line, this.#lineStarts.length - 1))]!;
  }
}
