/**
 * Raw-line handling for guideline.txt: the PDF extraction puts every text line on its own line followed by an
 * empty line, marks hard line ends with a trailing ASCII space, and leaves a few page footers behind
 * (guideline-map.md §2.2, §10).
 */

/** A raw line of guideline.txt with its 1-based line number. */
export interface RawLine {
  readonly line: number;
  readonly text: string;
}

/** A line after soft wraps are undone: one paragraph, title, list item or heading. */
export interface LogicalLine {
  /** 1-based line of the first raw line. */
  readonly line: number;
  readonly text: string;
}

const pageFooter = /^\s*[ⅰⅱⅲⅳ]-\s*\d+\s*$/;
const asciiWordEnd = /[A-Za-z0-9]$/;
const asciiWordStart = /^[A-Za-z0-9]/;

export function splitRawLines(source: string): RawLine[] {
  return source.split(/\r\n|\r|\n/).map((text, i) => ({ line: i + 1, text }));
}

/** Raw lines `from`..`to` (1-based, inclusive). */
export function rawRange(lines: readonly RawLine[], from: number, to: number): RawLine[] {
  return lines.slice(from - 1, to);
}

export function isPageFooter(text: string): boolean {
  return pageFooter.test(text);
}

/** Lines that carry text: blank and whitespace-only spacer lines and page footers are dropped. */
export function contentLines(lines: readonly RawLine[]): RawLine[] {
  return lines.filter((l) => l.text.trim() !== '' && !isPageFooter(l.text));
}

/**
 * Joins soft-wrapped raw lines into logical lines.
 * A line without a trailing space continues on the next content line. `startsBlock` lets the caller force a break
 * before lines that open a new item: three 。-ended lines lack the trailing space although the next line is a new
 * block (e.g. L1288 before （注）).
 */
export function joinLines(lines: readonly RawLine[], startsBlock: (trimmed: string) => boolean): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: { line: number; text: string } | null = null;
  let open = false;
  for (const raw of contentLines(lines)) {
    const trimmed = raw.text.trim();
    if (current !== null && open && !startsBlock(trimmed)) {
      current.text = joinWrapped(current.text, trimmed);
    } else {
      if (current !== null) out.push(current);
      current = { line: raw.line, text: trimmed };
    }
    open = !/ $/.test(raw.text) || isWrappedEnglish(trimmed, raw.text);
  }
  if (current !== null) out.push(current);
  return out;
}

/** PDF wrapping inside an English phrase leaves the word space at the line end (L1323 `Computer␣`). */
function isWrappedEnglish(trimmed: string, raw: string): boolean {
  return / $/.test(raw) && /[A-Za-z0-9]$/.test(trimmed) && /[（(:：][^）)]*$/.test(trimmed);
}

function joinWrapped(left: string, right: string): string {
  return asciiWordEnd.test(left) && asciiWordStart.test(right) ? `${left} ${right}` : left + right;
}
