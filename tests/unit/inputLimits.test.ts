import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyService, FULL_ANALYSIS_LIMIT, inputLimit, PARSE_LIMIT } from '../../server/src/service';
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
