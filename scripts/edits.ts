/**
 * One-character edits as a drafter makes them, for the benchmark's edit measurements and the tests that
 * replay them: the same sequence for the same seed (scripts/rng.ts).
 */

/** What the edits insert or write over: kana, kanji, a digit, punctuation, a space and a line break. */
export const EDIT_ALPHABET: readonly string[] = ['あ', '市', '1', '、', 'ア', ' ', '。', '\n'];

export type EditKind = 'insert' | 'delete' | 'replace';

/** One random one-character edit of `text`: an insertion (half), a deletion or a replacement. */
export function randomEdit(text: string, random: () => number): { readonly text: string; readonly kind: EditKind } {
  const at = Math.floor(random() * text.length);
  const r = random();
  const ch = EDIT_ALPHABET[Math.floor(random() * EDIT_ALPHABET.length)]!;
  if (r < 0.5) return { text: text.slice(0, at) + ch + text.slice(at), kind: 'insert' };
  if (r < 0.75) return { text: text.slice(0, at) + text.slice(at + 1), kind: 'delete' };
  return { text: text.slice(0, at) + ch + text.slice(at + 1), kind: 'replace' };
}
