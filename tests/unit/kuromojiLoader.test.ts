/**
 * The fast dictionary loader (server/src/morph/dictionary.ts) against kuromoji's own builder: the same
 * tokens, field for field, and the same target maps key for key. The tokenizer the service gets (pieces,
 * segment cache) against kuromoji's tokenize on the same pieces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chunks, defaultDictionaryPath, kuromojiTokenizer, loadRawTokenizer, splitByPunctuation, tokenOf } from '../../server/src/morph/kuromoji';
import type { Token } from '../../server/src/service/morph/types';
import { lazyTargetMap } from '../../server/src/morph/targetMap';
import { wordsOf } from '../../server/src/service/morph/words';
import { loadCatalog } from '../../server/src/service/catalog';
import { CORPUS_SKIP, hasCorpus, readCorpus } from '../helpers/corpus';
import { rng } from '../../scripts/rng';

/* eslint-disable @typescript-eslint/no-require-imports -- kuromoji's internal modules have no typings */
const TokenInfoDictionary = require('kuromoji/src/dict/TokenInfoDictionary') as new () => {
  target_map: Record<string, number[]>;
  loadTargetMap(buffer: Uint8Array): unknown;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const dicPath = defaultDictionaryPath();
const loaded = Promise.all([loadRawTokenizer(dicPath, 'stock'), loadRawTokenizer(dicPath, 'fast')]);

function paragraphs(text: string, max: number): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .slice(0, max);
}

async function assertSameTokens(texts: readonly string[]): Promise<number> {
  const [stock, fast] = await loaded;
  let tokens = 0;
  for (const text of texts) {
    const expected = stock.tokenize(text);
    assert.deepEqual(fast.tokenize(text), expected, `tokens differ for: ${text.slice(0, 60)}`);
    tokens += expected.length;
  }
  return tokens;
}

test('the fast loader gives the stock tokens for every 例文 and title of the catalog', async () => {
  const texts = loadCatalog().items.flatMap((i) => [i.title ?? '', i.text]).filter((t) => t.length > 0);
  const tokens = await assertSameTokens(texts);
  assert.ok(tokens > 10_000, `only ${tokens} tokens compared`);
});

test('the fast loader gives the stock tokens for unknown words of every character class', async () => {
  const tokens = await assertSameTokens([
    'CSIRTとISMSとSOC2の監査',
    'ｱｲｳｴｵ　ﾊﾟｽﾜｰﾄﾞ１２３４５ＡＢＣ',
    'クラウドサービスプロバイダーのマルチテナント環境',
    '𠮷野家で🍣を食べた。',
    '①②③㊿ ⅰⅱⅲ (ア)（イ） 第3条の2 1.1.1',
    'a'.repeat(200),
    '情報資産の機密性、完全性及び可用性を維持する。ただし、この限りでない。',
    ' \t\n',
    '𠮷𠮷𠮷の🍣🍣、🇯🇵と😀😀😀。ｱｲｳ𠮷ｴｵ',
    'ＩＳＭＳ認証（ＩＳＯ／ＩＥＣ２７００１）を取得する。',
    '“引用”と‘引用’と「括弧」、【推奨事項】',
    'メールアドレスはinfo@example.jpです。URLはhttps://example.jp/a?b=c',
  ]);
  assert.ok(tokens > 50);
});

test('the fast loader does as the stock one with broken surrogates: the same tokens, or the same error', async () => {
  const [stock, fast] = await loaded;
  const outcome = (t: { tokenize(s: string): unknown }, s: string) => {
    try {
      return { tokens: t.tokenize(s) };
    } catch (e) {
      return { error: e instanceof Error ? e.constructor.name : String(e) };
    }
  };
  for (const text of ['あ\uD800い', '情報\uDC00資産', '末尾\uD83D', '\uDC00\uD800', '\uD83D\uDE00\uD83D', 'ab\uD800']) {
    assert.deepEqual(outcome(fast, text), outcome(stock, text), JSON.stringify(text));
  }
});

test('the fast loader gives the stock tokens for the real policies', { skip: !hasCorpus('tsukuba-smartcity-policy.txt') && CORPUS_SKIP }, async () => {
  const texts = paragraphs(readCorpus('tsukuba-smartcity-policy.txt'), 150);
  if (hasCorpus('omuta-basic-policy.txt')) texts.push(...paragraphs(readCorpus('omuta-basic-policy.txt'), 60));
  const tokens = await assertSameTokens(texts);
  assert.ok(tokens > 5_000, `only ${tokens} tokens compared`);
});

function stockTargetMap(bytes: Uint8Array): Record<string, number[]> {
  const d = new TokenInfoDictionary();
  d.loadTargetMap(bytes);
  return d.target_map;
}

function assertSameTargetMap(bytes: Uint8Array, absent: readonly number[]): number {
  const expected = stockTargetMap(bytes);
  const lazy = lazyTargetMap(bytes);
  const keys = Object.keys(expected);
  for (const key of keys) {
    assert.ok(key in lazy, `key ${key} missing`);
    assert.deepEqual(lazy[Number(key)], expected[key], `ids of key ${key}`);
  }
  for (const key of absent) {
    assert.equal(key in expected, false, `test data: ${key} is a key`);
    assert.equal(lazy[key], undefined, `key ${key} should be absent`);
    assert.equal(key in lazy, false);
  }
  return keys.length;
}

test('the lazy target map equals the one kuromoji builds, for the shipped tid_map.dat and unk_map.dat', () => {
  const read = (name: string) => new Uint8Array(gunzipSync(readFileSync(path.join(dicPath, name))));
  const keys = assertSameTargetMap(read('tid_map.dat.gz'), [-1, 392_126, 10_000_000]);
  assert.ok(keys > 300_000, `only ${keys} keys`);
  assert.ok(assertSameTargetMap(read('unk_map.dat.gz'), [-1, 1000]) > 5);
});

test('the lazy target map reads odd records as kuromoji does: a repeated key appends, n ≤ 0 adds nothing, ints past the end are 0', () => {
  const ints = (xs: readonly number[]): Uint8Array => {
    const b = new Uint8Array(xs.length * 4);
    const v = new DataView(b.buffer);
    xs.forEach((x, i) => v.setInt32(i * 4, x, true));
    return b;
  };
  // count, then: 7 → [1, 2]; 3 → []; 9 → [-5]; 7 → [4]; -2 → [8]; 12 → [5, <2 bytes>] (truncated).
  const body = ints([6, 7, 2, 1, 2, 3, 0, 9, 1, -5, 7, 1, 4, 3, -1, -2, 1, 8, 12, 2, 5]);
  const truncated = new Uint8Array(body.length + 2);
  truncated.set(body);
  truncated[body.length] = 0x11;
  assertSameTargetMap(truncated, [3, 0, 100]);
  const lazy = lazyTargetMap(truncated);
  assert.deepEqual(lazy[7], [1, 2, 4]);
  assert.deepEqual(lazy[-2], [8]);
  assert.deepEqual(lazy[12], [5, 0]);
  assert.equal(lazy[3], undefined);
  // An empty record of zeros before more records is not the file's zero padding; zeros after the last are.
  const inner = ints([2, 0, 0, 5, 1, 9, 0, 0, 0, 0, 0, 0]);
  assertSameTargetMap(inner, [0, 1]);
  assert.deepEqual(lazyTargetMap(inner)[5], [9]);
});

test('the fast loader keeps every character class of unk_invoke.dat and drops only the nameless ones its zero padding made', async () => {
  type Classes = { map: { class_id: number; class_name: string; is_always_invoke: number; is_grouping: number; max_length: number }[]; lookup_table: Record<string, number> };
  const classes = (t: unknown): Classes =>
    (t as { unknown_dictionary: { character_definition: { invoke_definition_map: Classes } } }).unknown_dictionary.character_definition.invoke_definition_map;
  const [stock, fast] = (await loaded).map(classes) as [Classes, Classes];
  const named = stock.map.filter((c) => c.class_name !== '');
  assert.deepEqual(
    named.map((c) => c.class_name),
    ['DEFAULT', 'SPACE', 'KANJI', 'SYMBOL', 'NUMERIC', 'ALPHA', 'HIRAGANA', 'KATAKANA', 'KANJINUMERIC', 'GREEK', 'CYRILLIC'],
  );
  assert.deepEqual(fast.map, named);
  assert.ok(stock.map.slice(named.length).every((c) => c.class_name === '' && c.max_length === 0 && c.is_grouping === 0 && c.is_always_invoke === 0));
  const { ['']: _padding, ...lookup } = stock.lookup_table;
  assert.deepEqual(fast.lookup_table, lookup);
});

/** What the service's tokenizer must give: kuromoji's tokenize of each piece, mapped field by field. */
async function referenceTokens(text: string): Promise<Token[]> {
  const [stock] = await loaded;
  const out: Token[] = [];
  for (const [from, piece] of chunks(text)) {
    for (const t of stock.tokenize(piece)) out.push(tokenOf(t, from - 1));
  }
  return out;
}

test('the segment-cached tokenizer gives kuromoji\'s tokens and positions, on first use and from the cache', async () => {
  const tokenizer = kuromojiTokenizer((await loaded)[1], true);
  const texts = [
    '情報資産の機密性、完全性及び可用性を維持する。ただし、この限りでない。',
    'ただし、この限りでない。情報資産の機密性、完全性及び可用性を維持する。',
    '！！。？！、…。」「、、。。ＡＢＣ。ＤＥＦ、ｶﾀｶﾅ。',
    '。',
    '、',
    '',
    'CISO',
    `${'あ'.repeat(300)}、${'情報'.repeat(200)}。`,
    '𠮷野家。𠮷野家、🍣。',
    ...loadCatalog().items.slice(0, 300).map((i) => i.text),
  ];
  if (hasCorpus('tsukuba-smartcity-policy.txt')) texts.push(...paragraphs(readCorpus('tsukuba-smartcity-policy.txt'), 80));
  for (const round of ['first', 'cached']) {
    for (const text of texts) assert.deepEqual(tokenizer.tokenize(text), await referenceTokens(text), `${round}: ${text.slice(0, 40)}`);
  }
  const uncached = kuromojiTokenizer((await loaded)[1], false);
  for (const text of texts.slice(0, 20)) assert.deepEqual(uncached.tokenize(text), await referenceTokens(text), `uncached: ${text.slice(0, 40)}`);
  // Over the stock loader's tokenizer (no segmentWords: the cache converts kuromoji's tokens).
  const overStock = kuromojiTokenizer((await loaded)[0], true);
  for (const round of ['first', 'cached']) {
    for (const text of texts.slice(0, 20)) assert.deepEqual(overStock.tokenize(text), await referenceTokens(text), `stock ${round}: ${text.slice(0, 40)}`);
  }
});

test('without positions (and as words and starts) the tokenizer gives the same words, hands on those it keeps, and its positioned tokens are its own', async () => {
  const withoutStart = (tokens: readonly Token[]) => tokens.map(({ surface, base, pos, pos1 }) => ({ surface, base, pos, pos1 }));
  const tokenizer = kuromojiTokenizer((await loaded)[1], true);
  const texts = [...loadCatalog().items.slice(0, 200).map((i) => i.text), '𠮷野家。🍣、CISO及びＣＳＩＲＴ', `${'情報'.repeat(200)}。`];
  let words = 0;
  for (const text of texts) {
    const expected = withoutStart(await referenceTokens(text));
    const bare = tokenizer.tokenize(text, { positions: false });
    assert.deepEqual(withoutStart(bare), expected, text.slice(0, 40));
    assert.deepEqual(withoutStart(tokenizer.tokenize(text, { positions: false })), expected, `again: ${text.slice(0, 40)}`);
    // As words and starts: the same words, and the starts of the positioned tokens; so too through the
    // fallback of a tokenizer that has only tokenize.
    const positioned = tokenizer.tokenize(text);
    for (const w of [tokenizer.tokenizeWords!(text), wordsOf({ tokenize: (t) => tokenizer.tokenize(t) }, text)]) {
      assert.deepEqual(withoutStart(w.words), expected, `words: ${text.slice(0, 40)}`);
      assert.deepEqual(w.starts, positioned.map((t) => t.start), `starts: ${text.slice(0, 40)}`);
    }
    words += bare.length;
  }
  assert.ok(words > 5_000, `only ${words} words compared`);
  // A known word is one object wherever it occurs without positions; positioned tokens are new each call,
  // so a caller keeping them keeps nothing of the cache.
  const bare = tokenizer.tokenize('情報資産の管理、情報資産の分類。', { positions: false });
  const info = bare.filter((t) => t.surface === '情報');
  assert.equal(info.length, 2);
  assert.equal(info[0], info[1]);
  const a = tokenizer.tokenize('情報資産の管理。');
  const b = tokenizer.tokenize('情報資産の管理。');
  assert.deepEqual(a, b);
  assert.ok(a.every((t, i) => t !== b[i] && !bare.includes(t)));
});

test('segmentWords (one pass of lattice and Viterbi search) gives kuromoji\'s tokens for random segments of every character class', async () => {
  const [stock, fastRaw] = await loaded;
  // The segment's tokens as its words at its starts.
  const fast = {
    tokenizeSegment: (s: string): Token[] => {
      const w = fastRaw.segmentWords!(s);
      return w.words.map((t, i) => ({ surface: t.surface, base: t.base, pos: t.pos, pos1: t.pos1, start: w.starts[i]! }));
    },
  };
  const random = rng(11);
  const alphabet = [...'あいうえおかきくけこのはをにで情報資産管理者責任統括アイウエオカキクケコーｱｲｳﾊﾟABCabcxyz0123１２３ 　\t・－〜()（）「」【】①②ⅰⅱ𠮷🍣\uDC00'];
  // 0-based in the segment: kuromoji's word_position − 1.
  const reference = (s: string): Token[] => stock.tokenizeForSentence(s, []).map((t) => tokenOf(t, -1));
  let tokens = 0;
  for (let i = 0; i < 3_000; i++) {
    let s = '';
    const n = 1 + Math.floor(random() * 40);
    for (let k = 0; k < n; k++) s += alphabet[Math.floor(random() * alphabet.length)];
    const expected = reference(s);
    assert.deepEqual(fast.tokenizeSegment!(s), expected, JSON.stringify(s));
    tokens += expected.length;
  }
  // A broken surrogate goes kuromoji's own way: the same tokens, or the same error.
  const outcome = (f: (s: string) => unknown, s: string) => {
    try {
      return { tokens: f(s) };
    } catch (e) {
      return { error: e instanceof Error ? e.constructor.name : String(e) };
    }
  };
  for (const s of ['あ\uD800い', '末尾\uD83D', '\uD83D\uDE00\uD83Dか', '\uDC00\uD800']) {
    assert.deepEqual(outcome(fast.tokenizeSegment!, s), outcome(reference, s), JSON.stringify(s));
  }
  assert.ok(tokens > 20_000, `only ${tokens} tokens compared`);
});

test('splitByPunctuation cuts after every 、 and 。 as kuromoji does', () => {
  assert.deepEqual(splitByPunctuation('あ、い。う'), ['あ、', 'い。', 'う']);
  assert.deepEqual(splitByPunctuation('。。、'), ['。', '。', '、']);
  assert.deepEqual(splitByPunctuation(''), []);
  assert.deepEqual(splitByPunctuation('あいう'), ['あいう']);
});
