// Fixed-seed fuzzing of the language service façade with the real kuromoji tokenizer (loaded once):
// every answer keeps its ranges inside the text, nothing throws, the same text gives the same findings,
// and a draft built by a sequence of edits (same uri, increasing versions) ends with the findings a fresh
// service gives for the final text. Deterministic: seeds and run counts are fixed; `npm run fuzz` runs long.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import type { PolicyService, Tokenizer } from '../../server/src/service';
import { facadeProperty, incrementalProperty, memoised, newService } from './properties';

const SEED = 20_251_122;

describe('the façade under random drafts (real kuromoji)', () => {
  let tokenizer: Tokenizer;
  let service: PolicyService;
  before(async () => {
    // Memoised per text: transparent (kuromoji is deterministic) and it makes a fresh service cheap.
    tokenizer = memoised(await loadKuromojiTokenizer());
    service = newService(tokenizer);
    assert.ok(service.isAlignmentReady());
  });

  test('no throw, every range inside the text, same text same findings (fixed seed, 30 drafts)', () => {
    fc.assert(facadeProperty(service), { seed: SEED, numRuns: 30 });
  });

  test('incremental equals full: edits through one service end where a fresh service starts (fixed seed, 12 sequences)', () => {
    fc.assert(incrementalProperty(service, () => newService(tokenizer)), { seed: SEED + 1, numRuns: 12 });
  });

  test('the property sees alignment findings and quick fixes, not only structure', () => {
    const d = { uri: 'file:///fuzz/check.md', version: 1, getText: () => '---\nkijun:\n  kind: 対策基準\n---\n第1条 職員等は、情報資産を適切に管理するよう努める。\n' };
    const findings = service.getDiagnostics(d);
    assert.ok(findings.some((f) => f.code === 'missing-item'));
    assert.ok(service.getCodeActions(d, { start: 0, end: d.getText().length }).length > 0);
  });
});
