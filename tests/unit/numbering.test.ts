import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  circledValue,
  formatNumber,
  kanaOrderOf,
  kanaValue,
  matchMarker,
  parseArabic,
  parseKanjiNumeral,
  toCircled,
  toHalfWidth,
  toKanjiNumeral,
} from '../../server/src/service/text/numbering';

test('kanji numerals', () => {
  const table: [string, number | null][] = [
    ['一', 1], ['九', 9], ['十', 10], ['十一', 11], ['十二', 12], ['二十', 20], ['九十九', 99], ['百', 100],
    ['百七', 107], ['百二十三', 123], ['千', 1000], ['一〇', 10], ['二〇', 20],
    ['', null], ['十十', null], ['一二十', null], ['〇一', null], ['条', null], ['1', null],
  ];
  for (const [s, v] of table) assert.equal(parseKanjiNumeral(s), v, s);
  for (let n = 1; n <= 120; n++) assert.equal(parseKanjiNumeral(toKanjiNumeral(n)), n, String(n));
});

test('arabic numbers: full-width and extraction spaces', () => {
  const table: [string, number | null][] = [
    ['1', 1], ['１２', 12], ['1 1', 11], ['１ ７', 17], ['', null], ['a', null], ['1.2', null],
  ];
  for (const [s, v] of table) assert.equal(parseArabic(s), v, s);
  assert.equal(toHalfWidth('（１２）ＡＢ　x'), '(12)AB x');
});

test('circled numbers beyond ⑳', () => {
  assert.equal(circledValue('①'), 1);
  assert.equal(circledValue('⑳'), 20);
  assert.equal(circledValue('㉑'), 21);
  assert.equal(circledValue('㊿'), 50);
  assert.equal(circledValue('a'), null);
  for (let n = 1; n <= 50; n++) assert.equal(circledValue(toCircled(n)), n);
});

test('アイウ vs イロハ order', () => {
  assert.equal(kanaValue('ア', 'gojuon'), 1);
  assert.equal(kanaValue('イ', 'gojuon'), 2);
  assert.equal(kanaValue('イ', 'iroha'), 1);
  assert.equal(kanaValue('ハ', 'iroha'), 3);
  assert.equal(kanaValue('ロ', 'gojuon'), 43);
  assert.equal(kanaOrderOf(['ア', 'イ', 'ウ']), 'gojuon');
  assert.equal(kanaOrderOf(['イ', 'ロ', 'ハ']), 'iroha');
  assert.equal(kanaOrderOf(['イ']), 'iroha');
  assert.equal(kanaOrderOf(['イ', 'ウ']), 'gojuon');
});

test('markers: valid forms', () => {
  const table: [string, string, string, number[]][] = [
    // line, family, numberText, number
    ['第1条 目的', 'article', '第1条', [1]],
    ['第十二条　この規程は', 'article', '第十二条', [12]],
    ['第三条の二 前条', 'article', '第三条の二', [3, 2]],
    ['第3条の2の1 x', 'article', '第3条の2の1', [3, 2, 1]],
    ['第１０７条（評価）', 'article', '第１０７条', [107]],
    ['第2章 組織体制', 'chapter', '第2章', [2]],
    ['第一編 総則', 'part', '第一編', [1]],
    ['第2節 x', 'section-kanji', '第2節', [2]],
    ['附則', 'supplementary', '附則', []],
    ['附 則', 'supplementary', '附 則', []],
    ['2 CISO は、', 'arabic', '2', [2]],
    ['２　職員は', 'arabic', '２', [2]],
    ['10. 実施手順', 'arabic', '10.', [10]],
    ['1.1 範囲', 'dotted2', '1.1', [1, 1]],
    ['５．４． ID', 'dotted2', '５．４．', [5, 4]],
    ['1.2.3 x', 'dotted3', '1.2.3', [1, 2, 3]],
    ['(1) 情報', 'paren-arabic', '(1)', [1]],
    ['（１）情報', 'paren-arabic', '（１）', [1]],
    ['(２）LGWAN', 'paren-arabic', '(２）', [2]],
    ['(1 1) 情報資産', 'paren-arabic', '(1 1)', [11]],
    ['（一）定義', 'paren-kanji', '（一）', [1]],
    ['一 情報資産', 'kanji', '一', [1]],
    ['①ネットワーク', 'circled', '①', [1]],
    ['① 地方公務員法', 'circled', '①', [1]],
    ['ア 機密性', 'katakana', 'ア', [1]],
    ['ウ　可用性', 'katakana', 'ウ', [3]],
    ['(ア) x', 'paren-katakana', '(ア)', [1]],
    ['（イ）x', 'paren-katakana', '（イ）', [2]],
  ];
  for (const [line, family, numberText, number] of table) {
    const m = matchMarker(line);
    assert.ok(m, line);
    assert.equal(m.family, family, line);
    assert.equal(m.numberText, numberText, line);
    assert.deepEqual(m.number, number, line);
  }
});

test('markers: ordinary text is not a marker', () => {
  for (const line of [
    '第三者に提供する', '2 名以上で作業する', '1 階に設置する', '平成 15年', 'アクセス制御', '一般社団法人',
    '(目的)', '（注）情報', 'CISO は', '2', '第1条', '１日', '(a) x',
  ]) {
    const m = matchMarker(line);
    assert.ok(m === null || m.family === 'paren-latin' || (line === '第1条' && m.family === 'article'), line);
  }
  assert.equal(matchMarker('2')?.family, undefined);
  const withFootnote = matchMarker('第5条¹ 本文');
  assert.equal(withFootnote?.restStart, 5); // 第5条 ¹ and the space are skipped
});

test('formatNumber writes each style', () => {
  assert.equal(formatNumber('article', [4]), '第4条');
  assert.equal(formatNumber('article', [3, 2]), '第3条の2');
  assert.equal(formatNumber('paren-arabic', [11]), '(11)');
  assert.equal(formatNumber('circled', [3]), '③');
  assert.equal(formatNumber('katakana', [4]), 'エ');
  assert.equal(formatNumber('iroha', [4]), 'ニ');
  assert.equal(formatNumber('paren-kanji', [2]), '（二）');
  assert.equal(formatNumber('dotted', [6, 2]), '6.2');
});

test('a number before a counter is prose, before a heading word it is a number', () => {
  const headings: [string, string][] = [
    ['5 人的セキュリティ', '5'], // 人的 is a word, not 5人
    ['2 分類', '2'],
    ['3 個人情報の取扱い', '3'],
    ['4 部局の長', '4'],
    ['6 項目の見直し', '6'],
  ];
  for (const [text, number] of headings) assert.equal(matchMarker(text, 0)?.numberText, number, text);
  const prose = ['2 名以上で作業する', '1 階に設けてはならない', '10 月 1 日から施行する', '3 回以上', '5 人で構成する'];
  for (const text of prose) assert.equal(matchMarker(text, 0), null, text);
});
