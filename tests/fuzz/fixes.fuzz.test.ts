// Fixed-seed fuzzing of the quick fixes on random drafts (real kuromoji): every fix the service offers touches
// only its own ranges, the result parses, and the same fix is gone (or a no-op) afterwards. See assertFixSafe
// in properties.ts; the corpus and the guideline's 例文 draft get the same check in tests/unit.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import type { PolicyService, Tokenizer } from '../../server/src/service';
import { assertFixSafe, assertFixesSafe, fixesProperty, memoised, newService } from './properties';

const SEED = 20_251_123;

describe('quick fixes under random drafts (real kuromoji)', () => {
  let tokenizer: Tokenizer;
  let service: PolicyService;
  before(async () => {
    tokenizer = memoised(await loadKuromojiTokenizer());
    service = newService(tokenizer);
  });

  test('every offered fix is safe and idempotent (fixed seed, 25 drafts, up to 6 fixes each)', { timeout: 600_000 }, () => {
    const seen = { checked: 0, titles: new Set<string>() };
    fc.assert(fixesProperty(service, 6, seen), { seed: SEED, numRuns: 25 });
    console.log(`# ${seen.checked} fixes checked: ${[...seen.titles].join(', ')}`);
    // Not vacuous: the drafts get the fixes of alignment and of numbering.
    assert.ok(seen.checked >= 30, `${seen.checked} fixes checked`);
    for (const kind of ['挿入', '対象外', '以降の番号を振り直す']) assert.ok(seen.titles.has(kind), `no ${kind} fix in the sample: ${[...seen.titles].join(', ')}`);
  });

  test('the checker fails a fix that is not safe (so the property can fail)', () => {
    const text = '---\nkijun: {}\n---\n\n### 第1条（目的）\n\n本文\n\n### 第3条（定義）\n\n本文\n';
    const d = { uri: 'file:///fuzz/checker.md', version: 1, getText: () => text };
    const [renumber] = service.getCodeActions(d, { start: 0, end: text.length }).filter((a) => a.title === '以降の番号を振り直す');
    assert.ok(renumber);
    assert.doesNotThrow(() => assertFixSafe(service, d, renumber));
    const at = text.indexOf('第3条');
    const finding = renumber.finding;
    // An insertion that is offered again after it is applied (inserts forever).
    const repeating = { ...renumber, title: '本文を挿入', finding: { ...finding, guidelineId: 'x' }, edits: [{ range: { start: at, end: at }, newText: '本文' }] };
    const again = newService(tokenizer);
    const wrapped: PolicyService = { ...again, getDiagnostics: (doc) => [...again.getDiagnostics(doc), repeating.finding], getCodeActions: () => [repeating] };
    assert.throws(() => assertFixSafe(wrapped, d, repeating), /offered again on the fixed text/);
    // Edits that overlap, split a CRLF, delete in an insertion, or change nothing.
    assert.throws(() => assertFixSafe(service, d, { ...renumber, edits: [{ range: { start: at, end: at + 3 }, newText: 'x' }, { range: { start: at + 1, end: at + 2 }, newText: 'y' }] }), /overlapping/);
    const crlf = { uri: 'file:///fuzz/crlf.md', version: 1, getText: () => text.replace(/\n/g, '\r\n') };
    const lf = crlf.getText().indexOf('\n');
    assert.throws(() => assertFixSafe(service, crlf, { ...renumber, edits: [{ range: { start: lf, end: lf }, newText: 'x' }] }), /splits a CRLF/);
    assert.throws(() => assertFixSafe(service, d, { ...renumber, title: 'ガイドライン 1 の例文を挿入', edits: [{ range: { start: at, end: at + 1 }, newText: 'x' }] }), /an insertion deletes/);
    assert.throws(() => assertFixSafe(service, d, { ...renumber, edits: [{ range: { start: at, end: at + 3 }, newText: '第3条' }] }), /changes nothing/);
  });

  test('a draft with many fixes spreads the limited checks over the kinds of fix', () => {
    const text = '---\nkijun:\n  kind: 対策基準\n---\n\n第1条 職員等は、情報資産を適切に管理するよう努める。\n\n第3条 本文\n';
    const d = { uri: 'file:///fuzz/kinds.md', version: 1, getText: () => text };
    // One renumbering and nine 対象外 declarations (sections 1–9) are offered; two checks see both kinds.
    const r = assertFixesSafe(service, d, 2);
    assert.equal(r.checked, 2);
    assert.ok(r.offered >= 10, String(r.offered));
    assert.deepEqual([...r.titles].sort(), ['以降の番号を振り直す', '対象外'].sort());
  });
});
