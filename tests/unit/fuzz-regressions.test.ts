// Minimal regressions for what the fuzz properties (tests/fuzz/) found.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Token } from '../../server/src/service/morph/types';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import { createPolicyService, type PolicyService } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import { normalizeForMatch } from '../../server/src/service/text/normalize';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// kuromoji 0.1.2 throws inside its dictionary lookup ("Cannot read properties of null (reading 'length')")
// on a NUL or on a high surrogate without its low half. Drafts pasted from PDFs and broken editors contain both;
// the alignment tokenises normalised clause text, so normalisation must hand kuromoji well-formed text.
test('normalisation for matching leaves no NUL and no lone surrogate (kuromoji throws on them)', () => {
  for (const s of ['あ\uD800-', '\uD800', 'a\uDC00b', '\uDC00\uD800', 'x\u0000y', '\u0000', '第1条\u0000 本市は\uD83D']) {
    const n = normalizeForMatch(s);
    assert.ok(!LONE_SURROGATE.test(n) && !n.includes('\u0000'), JSON.stringify(n));
  }
  assert.equal(normalizeForMatch('𠮷野家の👨‍👩‍👧'), normalizeForMatch('𠮷野家の👨‍👩‍👧'.normalize('NFKC')), 'surrogate pairs are kept');
});

describe('the façade with the real kuromoji tokenizer', () => {
  let service: PolicyService;
  before(async () => {
    const tokenizer = await loadKuromojiTokenizer();
    service = createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => tokenizer });
  });

  // Shrunk by fast-check from the incremental property (seed 1): deleting the first '-' of the front matter
  // fence and typing a lone high surrogate there made getDiagnostics throw.
  test('getDiagnostics does not throw on a lone surrogate in a clause', () => {
    const text =
      'あ\uD800--\r\nkijun:\r\n  kind: 基本方針\r\n  organisation: 架空市\r\n---\r\n' +
      '第1章 本基本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持するため、本市が実施する情報セキュリティ対策について基本的な事項を定めることを目的とする。';
    const findings = service.getDiagnostics({ uri: 'file:///regression/surrogate.md', version: 1, getText: () => text });
    assert.ok(findings.some((f) => f.code === 'missing-item'), 'the alignment ran');
  });

  test('getDiagnostics does not throw on a NUL in a clause', () => {
    // Stray NULs in a text document (a binary file is not analysed at all: see inputLimit).
    const text = `第1条 情報資産を\u0000適切に管理しなければならない。\n第2条 職員等は、\u0000\n${'第3条 職員等は、情報セキュリティポリシーを遵守しなければならない。\n'.repeat(10)}`;
    const doc = { uri: 'file:///regression/nul.md', version: 1, getText: () => text };
    assert.doesNotThrow(() => service.getDiagnostics(doc));
    // The text follows no part of the guideline, so no missing items; the alignment itself did run.
    const alignment = service.getAlignment(doc);
    assert.ok(alignment, 'the alignment ran');
    assert.ok(alignment.raw.windows.length >= 2);
  });

  // Found by the façade property (seed 2): a scalar `kijun:` in the front matter made the not-applicable quick fix
  // throw in yaml's setIn (fixed in features/frontMatterEdit.ts, a2699a6).
  test('getCodeActions does not throw when `kijun:` in the front matter is a scalar', () => {
    const text = '---\nkijun: 情報資産を適切に管理しなければならない。\n---\n第1章 本基本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持するため、本市が実施する情報セキュリティ対策について基本的な事項を定めることを目的とする。';
    const d = { uri: 'file:///regression/scalar-kijun.md', version: 1, getText: () => text };
    const findings = service.getDiagnostics(d);
    assert.ok(findings.length > 0);
    for (const f of findings) assert.ok(Array.isArray(service.getCodeActions(d, f.range)));
  });
});

describe('the tokenizer on hostile input', () => {
  let tokenize: (text: string) => readonly Token[];
  before(async () => {
    const tokenizer = await loadKuromojiTokenizer();
    tokenize = (text) => tokenizer.tokenize(text);
  });

  // kuromoji 0.1.2's unknown-word grouping is quadratic in a run of one character class (ASCII letters, digits,
  // katakana, kanji, symbols): 4,000 letters took seconds and 20,000 exhausted the 4 GB heap, so one pasted
  // data: URI or a long ruler line could stall or kill the server. morph/kuromoji.ts now tokenises pieces of at
  // most 256 code units (its speed is in npm run bench; here, that the pieces cover the input exactly).
  test('a 20,000-character run of letters is tokenised in bounded pieces whose tokens cover the input exactly', () => {
    const text = `第1条 ${'a'.repeat(20_000)}、${'ア'.repeat(600)}\uD842\uDFB7${'漢'.repeat(300)}`;
    const tokens = tokenize(text);
    assert.equal(tokens.map((t) => t.surface).join(''), text);
    for (const t of tokens) assert.equal(text.slice(t.start, t.start + t.surface.length), t.surface);
    assert.ok(tokens.every((t) => t.surface.length <= 256), 'no token longer than a piece');
  });

});
