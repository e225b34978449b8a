import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capFindings, createPolicyService, FINDINGS_PER_RULE, FULL_ANALYSIS_LIMIT, inputLimit, PARSE_LIMIT } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import type { Tokenizer } from '../../server/src/service/morph/types';

// A tokenizer that records whether it was asked: limited inputs must never reach it.
function spyTokenizer(): Tokenizer & { calls: number } {
  const t = { calls: 0, tokenize: (text: string) => (t.calls++, [{ surface: text, base: text, pos: '名詞', pos1: '一般', start: 0 }]) };
  return t;
}

test('a binary file renamed .md is not analysed, and says so', () => {
  const tokenizer = spyTokenizer();
  let parses = 0;
  const service = createPolicyService({ catalog: loadCatalog(), parse: (t) => (parses++, parsePolicy(t)), tokenizer: () => tokenizer });
  const binary = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  assert.equal(inputLimit(binary), 'skip');
  const findings = service.getDiagnostics({ uri: 'file:///x/image.md', version: 1, getText: () => binary });
  assert.deepEqual(findings.map((f) => [f.code, f.severity, f.message]), [['analysis-limited', 'information', 'テキストではないファイルのようです。検査しません']]);
  assert.equal(parses, 0, 'the parser never sees it');
  assert.equal(tokenizer.calls, 0);
});

test('a very large document gets structure only, an even larger one nothing, each with a notice', () => {
  const tokenizer = spyTokenizer();
  const service = createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => tokenizer });
  const big = `第1条 ${'あ'.repeat(FULL_ANALYSIS_LIMIT)}\n第3条 参照は第9条。\n`;
  assert.equal(inputLimit(big), 'structure');
  const findings = service.getDiagnostics({ uri: 'file:///x/big.md', version: 1, getText: () => big });
  assert.ok(findings.some((f) => f.code === 'numbering-gap'), 'the structure is still checked');
  assert.ok(findings.some((f) => f.code === 'analysis-limited' && /構成（番号・参照）だけを検査/.test(f.message)));
  assert.equal(tokenizer.calls, 0, 'no alignment or roles beyond the limit');

  const huge = 'あ'.repeat(PARSE_LIMIT + 1);
  assert.equal(inputLimit(huge), 'skip');
  const none = service.getDiagnostics({ uri: 'file:///x/huge.md', version: 1, getText: () => huge });
  assert.deepEqual(none.map((f) => f.code), ['analysis-limited']);
  assert.match(none[0]!.message, /大きすぎる/);
  assert.equal(inputLimit('第1条 普通の草案です。'), 'full');
});

test('a pasted table of thousands of rows is read by the linear fallback, says so, and keeps its rows as table text', () => {
  const rows = Array.from({ length: 12_000 }, (_, i) => `| 区分${i} | 内容${i} |`);
  const text = ['# 対策基準', '', '## 1 情報資産の分類', '', '| 区分 | 内容 |', '|---|---|', ...rows, '', '## 2 物理的セキュリティ', '', '```', '## コードの中は見出しではない', '```', '', '(1) 管理区域を定める。', ''].join('\n');
  const parsed = parsePolicy(text);
  const notice = parsed.findings.find((f) => f.code === 'analysis-limited');
  assert.ok(notice && /簡易に判定/.test(notice.message), 'the fallback says so');
  const titles = parsed.provisions.flatMap(function walk(n): string[] {
    return [n.title ?? '', ...n.children.flatMap(walk)];
  });
  assert.ok(titles.some((t) => t.includes('情報資産の分類')) && titles.some((t) => t.includes('物理的セキュリティ')), 'headings outside the table are read');
  assert.ok(!titles.some((t) => t.includes('コードの中')), 'a heading inside fenced code is not');
  const section1 = parsed.provisions[0]!.children.find((n) => (n.title ?? '').includes('情報資産の分類'))!;
  assert.ok(section1.text.includes('区分11999'), 'table rows stay the text of their section');
  assert.ok(!section1.children.some((c) => (c.title ?? '').startsWith('区分')), 'no table row opens a provision');
});

test('one rule shows at most FINDINGS_PER_RULE findings, with a notice of how many there are', () => {
  const service = createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => undefined });
  const text = Array.from({ length: FINDINGS_PER_RULE + 300 }, () => '(1) 同じ番号の項目。').join('\n\n');
  const findings = service.getDiagnostics({ uri: 'file:///x/dup.md', version: 1, getText: () => text });
  const dups = findings.filter((f) => f.code === 'numbering-duplicate');
  assert.equal(dups.length, FINDINGS_PER_RULE);
  const notice = findings.find((f) => f.code === 'analysis-limited');
  assert.ok(notice, 'a notice');
  assert.match(notice!.message, /numbering-duplicate/);
  assert.match(notice!.message, /799 件/);
  assert.deepEqual(capFindings(dups), dups, 'at the limit nothing is dropped');
});
