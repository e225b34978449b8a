// Fixed-seed fuzzing of parsePolicy (fast-check): random Markdown mixed with Japanese policy numbering,
// hostile characters and line ends (see arbitraries.ts). Deterministic: the seed and the run count are fixed.
// `npm run fuzz` runs the same property long with a random seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parsePolicy } from '../../server/src/service/parse';
import { draftOf } from './arbitraries';
import { parserProperty } from './properties';

const SEED = 20_251_122;

test('parsePolicy never throws, keeps every range inside the text and is deterministic (fixed seed, 300 drafts)', () => {
  fc.assert(parserProperty, { seed: SEED, numRuns: 300 });
});

test('the generator reaches the interesting shapes (so the property is not vacuous)', () => {
  const texts = fc.sample(draftOf(true), { seed: SEED, numRuns: 200 });
  const parsed = texts.map((t) => parsePolicy(t));
  const count = (pred: (t: string) => boolean): number => texts.filter(pred).length;
  const nodes = parsed.flatMap((p) => {
    const out: string[] = [];
    const walk = (ns: typeof p.provisions): void => ns.forEach((n) => (out.push(n.style), walk(n.children)));
    walk(p.provisions);
    return out;
  });
  const styles = new Set(nodes);
  for (const style of ['article', 'chapter', 'arabic', 'paren-arabic', 'circled', 'katakana', 'kanji', 'paren-kanji', 'dotted', 'paren-katakana']) {
    assert.ok(styles.has(style as never), `no ${style} provision in the sample`);
  }
  assert.ok(parsed.some((p) => p.references.some((r) => r.target !== null)), 'no resolved reference');
  assert.ok(parsed.some((p) => p.frontMatter.data !== null), 'no valid front matter');
  assert.ok(parsed.some((p) => p.findings.some((f) => f.code === 'invalid-front-matter')), 'no broken front matter');
  assert.ok(count((t) => t.includes('\r\n')) > 0 && count((t) => /\r(?!\n)/.test(t)) > 0, 'CRLF and CR line ends');
  assert.ok(count((t) => t.startsWith('\uFEFF')) > 0, 'BOM');
  assert.ok(count((t) => t.includes('\u0000')) > 0, 'NUL');
  assert.ok(count((t) => /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(t)) > 0, 'surrogate pairs');
  assert.ok(count((t) => /[\u0300-\u036f\u3099\u309a]/.test(t)) > 0, 'combining characters');
  assert.ok(count((t) => t.split(/\r\n|\n|\r/).some((l) => l.length >= 1_000)) > 0, 'very long lines');
  assert.ok(count((t) => t.includes('|---|') || t.includes('<div>')) > 0, 'tables and HTML');
});

test('a failing property reports its seed and a shrunk counterexample', () => {
  // The harness itself: a deliberately false property over the same generator must fail and shrink.
  const details = fc.check(
    fc.property(draftOf(false), (text) => !text.includes('第')),
    { seed: SEED, numRuns: 200 },
  );
  assert.equal(details.failed, true);
  assert.equal(details.seed, SEED);
  const [shrunk] = details.counterexample!;
  assert.ok(shrunk.length < 120 && shrunk.includes('第'), `not shrunk: ${JSON.stringify(shrunk)}`);
});
