/**
 * A copy of `s` that does not keep the string it was cut from alive.
 *
 * In V8 a slice of 13 characters or more is a *sliced string*: a view that holds its parent, here the
 * whole text of one version of the document (the benchmark's 500 KB draft is 187,000 code units, 0.37
 * MB). A slice kept across versions (a line or a provision text the next parse reuses, a cache key) so
 * keeps every version it was cut from: ~0.4 MB more per keystroke on the 500 KB draft, for as long as
 * the server runs. Strings kept past the analysis of their version are detached where they are made.
 *
 * `' ' + s` is a rope of the two; slicing a rope first flattens it into a new string of s.length + 1
 * code units, so the result's parent is that copy, not `s`'s. A short string is a copy already.
 */
export function detached(s: string): string {
  return s.length < SLICED_MIN_LENGTH ? s : (' ' + s).slice(1);
}

/** V8's SlicedString::kMinLength: shorter substrings are copied. */
const SLICED_MIN_LENGTH = 13;
