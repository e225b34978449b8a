/**
 * bigramsOf (every clause's and every 例文's bigram features) against its definition: the code points of
 * the text that are not punctuation, symbols, numbers or whitespace, each adjacent pair of them, except
 * pairs of two hiragana.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bigramsOf } from '../../server/src/service/align/features';
import { loadCatalog } from '../../server/src/service/catalog';
import { normalizeForMatch } from '../../server/src/service/text/normalize';

function definition(text: string): Set<string> {
  const out = new Set<string>();
  const chars = Array.from(text).filter((c) => !/[\p{P}\p{S}\p{N}\s]/u.test(c));
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = chars[i]! + chars[i + 1]!;
    if (!/^[\u3041-\u309f]+$/u.test(pair)) out.add(pair);
  }
  return out;
}

test('bigramsOf: the bigrams of every normalised 例文 and title, as defined', () => {
  let texts = 0;
  for (const item of loadCatalog().items) {
    for (const text of [item.text, item.title ?? '']) {
      const normalized = normalizeForMatch(text);
      assert.deepEqual(bigramsOf(normalized), definition(normalized), normalized.slice(0, 40));
      texts++;
    }
  }
  assert.ok(texts > 1000);
});

test('bigramsOf: as defined on hand-picked and random text (surrogate pairs, lone surrogates, kana, symbols)', () => {
  for (const text of ['', 'あ', 'あい', 'あア', '情報、資産。', '𠮷野家の🍣', 'a\uD800b', '\uDC00\uDC00', 'ゝゞゟ゠', '１２３abc ＡＢＣ', 'ぁ゙ゔ']) {
    assert.deepEqual(bigramsOf(text), definition(text), JSON.stringify(text));
  }
  const char = fc.oneof(
    fc.integer({ min: 0x3000, max: 0x30ff }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x4e00, max: 0x4e80 }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('、', '。', ' ', '1', 'a', '！', '𠮷', '🍣', '\uD800', '\uDC00', '・', '〜'),
  );
  fc.assert(
    fc.property(fc.array(char, { maxLength: 30 }), (cs) => {
      const text = cs.join('');
      assert.deepEqual(bigramsOf(text), definition(text));
    }),
    { seed: 7, numRuns: 500 },
  );
});
