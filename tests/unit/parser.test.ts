import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '../../server/src/service/parse/index';
import type { ParsedPolicy, ProvisionNode } from '../../server/src/service/parse/types';

function all(nodes: readonly ProvisionNode[], out: ProvisionNode[] = []): ProvisionNode[] {
  for (const n of nodes) {
    out.push(n);
    all(n.children, out);
  }
  return out;
}

function assertRangesInside(p: ParsedPolicy): void {
  const len = p.text.length;
  const ok = (r: { start: number; end: number } | null, what: string): void => {
    if (!r) return;
    assert.ok(0 <= r.start && r.start <= r.end && r.end <= len, `${what} ${r.start}-${r.end} of ${len}`);
  };
  for (const n of all(p.provisions)) {
    ok(n.range, 'range');
    ok(n.headRange, 'headRange');
    ok(n.numberRange, 'numberRange');
    assert.ok(n.range.start <= n.headRange.start && n.headRange.end <= n.range.end, 'head inside range');
    for (const c of n.children) assert.ok(n.range.start <= c.range.start && c.range.end <= n.range.end, 'child inside');
  }
  for (const f of p.findings) ok(f.range, `finding ${f.code}`);
  for (const r of p.references) ok(r.range, 'reference');
  ok(p.frontMatter.range, 'front matter');
}

test('never throws on odd input, and every range lies inside the text', () => {
  const inputs = [
    '',
    '\n',
    '---\n',
    '---\nkind: 基本方針\n---\n',
    '---\nkind: 基本方針\n---',
    '---\n: : :\n---\n第1条 x',
    '第1条 目的\r\n2 前項\r\n(1) 項目\r\n',
    '第1条 目的\r2 次\r',
    '\u0000\u0001\uFFFD\uD800第\u0000条 ①\u0007',
    '- '.repeat(10_000) + '① x',
    Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i % 40)}- (${i}) x`).join('\n'),
    '```\n第1条 x\n```\n第2条 y',
    '<table><tr><td>第1条</td></tr></table>\n\n第1条 z',
    '| a | b |\n|---|---|\n| 第1条 | x |\n',
    '（目的）',
    '（目的）\n（定義）\n',
    '第一条の 前条 次条 前項 同項 同条 第1条第2項第3号 上記3 「(1)の分類」',
    '# \n## 第\n### 第1章\n第1条\n附則\n附則',
  ];
  for (const text of inputs) {
    const p = parsePolicy(text);
    assert.equal(p.text, text);
    assertRangesInside(p);
    assert.ok(!p.findings.some((f) => f.code === 'internal-error'), JSON.stringify(text.slice(0, 40)));
  }
});

test('Markdown headings, list items and bare lines give the same provisions', () => {
  const md = parsePolicy('# 基本方針\n\n## 第1章 総則\n\n### 第1条（目的）\n\n本文。\n\n- 2 第二項。\n  - (1) 号。\n');
  const bare = parsePolicy('第1章 総則\n\n(目的)\n第1条 本文。\n2 第二項。\n(1) 号。\n');
  const shape = (p: ParsedPolicy): unknown =>
    all(p.provisions)
      .filter((n) => n.kind !== 'heading')
      .map((n) => [n.kind, n.number, n.title]);
  assert.deepEqual(shape(md), shape(bare));
  assert.deepEqual(shape(bare), [
    ['chapter', [1], '総則'],
    ['article', [1], '（目的）'],
    ['paragraph', [2], null],
    ['item', [1], null],
  ]);
  const art = all(md.provisions).find((n) => n.kind === 'article')!;
  assert.equal(art.text, '本文。');
});

test('kanji, branch numbers, イロハ and references resolve', () => {
  const text = [
    '第一条 目的を定める。',
    '第二条 次に掲げるもの。',
    '一 情報資産',
    ' イ 情報システム',
    ' ロ 記録媒体',
    '二 職員等',
    '第二条の二 前条第一号ロの規定による。',
    '第三条 前条の規定。',
    '２ 前項の規定にかかわらず、同項の例による。',
  ].join('\n');
  const p = parsePolicy(text);
  const nodes = all(p.provisions);
  const iroha = nodes.filter((n) => n.style === 'iroha');
  assert.deepEqual(iroha.map((n) => [n.numberText, n.number]), [['イ', [1]], ['ロ', [2]]]);
  const branch = nodes.find((n) => n.numberText === '第二条の二')!;
  assert.deepEqual(branch.number, [2, 2]);
  assert.deepEqual(p.findings, []);
  const byText = (t: string) => p.references.find((r) => r.text === t)!;
  assert.equal(byText('前条第一号').target?.numberText, '一');
  const previousOfThird = p.references.filter((r) => r.text === '前条').at(-1)!;
  assert.equal(previousOfThird.target, branch);
  assert.equal(byText('前項').target?.numberText, '第三条');
  assert.equal(byText('同項').target?.numberText, '第三条');
});

test('TOC lines (range and dot leaders) create no provisions', () => {
  const p = parsePolicy('目次\n\n- 第1章 総則（第1条－第2条）\n第1条 目的……1\n第2条 定義・・・・2\n\n第1章 総則\n\n第1条 x\n\n第2条 y\n');
  const nodes = all(p.provisions);
  assert.deepEqual(nodes.map((n) => n.numberText), ['第1章', '第1条', '第2条']);
  assert.deepEqual(p.findings, []);
});

test('front matter gives kind and organisation; without it they are inferred', () => {
  const fm = parsePolicy('---\nkijun:\n  kind: 対策基準\n  organisation: 架空町\n---\n第1条 本町は、…\n');
  assert.equal(fm.kind, 'standards');
  assert.equal(fm.organisationName, '架空町');
  assert.equal(fm.organisationType, '町');
  assert.equal(fm.selfReference, '本町');
  assert.deepEqual(fm.frontMatter.range, { start: 0, end: fm.text.indexOf('\n---') + 4 });
  const inferred = parsePolicy('# 架空区情報セキュリティ基本方針\n\n1 目的\n\n本区の情報資産を守る。\n');
  assert.equal(inferred.kind, 'basic-policy');
  assert.equal(inferred.organisationName, '架空区');
  assert.equal(inferred.organisationType, '区');
  assert.equal(inferred.selfReference, '本区');
});
