/**
 * Drafts for properties over whole documents: the guideline's 例文 written as drafts and the real policies
 * of the corpus (when it is beside the repository), and seeded edit sequences over them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCorpus, readCorpus, repoRoot } from './corpus';

/** [name, text]: the 例文 drafts, then the corpus policies that are present. */
export function referenceDrafts(): [string, string][] {
  const out: [string, string][] = [
    ['例文 standards', readFileSync(join(repoRoot, 'tests', 'fixtures', 'guideline-draft', 'standards.md'), 'utf8')],
    ['例文 basic-policy', readFileSync(join(repoRoot, 'tests', 'fixtures', 'guideline-draft', 'basic-policy.md'), 'utf8')],
  ];
  for (const name of ['tsukuba-smartcity-policy.txt', 'omuta-basic-policy.txt']) if (hasCorpus(name)) out.push([name, readCorpus(name)]);
  return out;
}

/**
 * `count` random edits of `text`, each version yielded: an insertion of one of `pieces`, a deletion of up
 * to `maxDelete` characters, or a piece written over the text (seeded, so every run edits alike).
 */
export function* editSequence(text: string, pieces: readonly string[], seed: number, count: number, maxDelete: number): Generator<string> {
  let s = seed;
  const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < count; i++) {
    const at = Math.floor(rnd() * text.length);
    const r = rnd();
    const piece = pieces[Math.floor(rnd() * pieces.length)]!;
    text = r < 0.55 ? text.slice(0, at) + piece + text.slice(at) : r < 0.8 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * maxDelete)) : text.slice(0, at) + piece + text.slice(at + piece.length);
    yield text;
  }
}
