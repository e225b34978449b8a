// The façade's prepare(): the first analysis of a large document done in short slices between other
// messages. It must pause often, stop when cancelled, and change nothing about the findings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import { createPolicyService } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import { renderGuidelineDraft } from '../../scripts/guidelineDraft';

const catalog = loadCatalog();
// The guideline's 例文 as a draft, with a few edits so that it has findings of several kinds.
const draft = renderGuidelineDraft(catalog, 'standards')
  .replace('統括情報セキュリティ責任者は、CISO を補佐しなければならない。', '総括情報セキュリティ責任者は、CISO を補佐しなければならない。')
  .replace(/\n\(２\) 統括情報セキュリティ責任者\n/, '\n(３) 統括情報セキュリティ責任者\n')
  .replace(/\n③CISO は、情報セキュリティインシデントに対処するための体制[^\n]*\n/, '\n');

test('prepare pauses between slices, and the findings after it are those of a plain analysis', async () => {
  const tokenizer = await loadKuromojiTokenizer();
  const plain = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => tokenizer }).getDiagnostics({ uri: 'file:///plain.md', version: 1, getText: () => draft });
  const codes = new Set(plain.map((f) => f.code));
  for (const code of ['undefined-role', 'numbering-gap', 'missing-item']) assert.ok(codes.has(code), `the draft has a ${code} finding`);

  // A new tokenizer object: its caches are empty, so prepare has all the tokenising to do.
  const fresh = await loadKuromojiTokenizer();
  const service = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => fresh });
  const doc = { uri: 'file:///prepared.md', version: 1, getText: () => draft };
  let pauses = 0;
  await service.prepare(doc, { isCancellationRequested: false }, async () => {
    pauses++;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }, 1);
  assert.ok(pauses > 10, `the work was cut into slices (${pauses} pauses)`);
  assert.deepEqual(service.getDiagnostics(doc), plain);
});

test('prepare stops at the first pause after cancellation, and a later analysis is still complete', async () => {
  const tokenizer = await loadKuromojiTokenizer();
  const service = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => tokenizer });
  const doc = { uri: 'file:///cancelled.md', version: 1, getText: () => draft };
  const token = { isCancellationRequested: false };
  let pauses = 0;
  await service.prepare(doc, token, async () => {
    pauses++;
    if (pauses === 3) token.isCancellationRequested = true;
  }, 0);
  assert.equal(pauses, 3, 'no pause after cancellation');
  const after = service.getDiagnostics(doc);
  const reference = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => tokenizer }).getDiagnostics({ uri: 'file:///ref.md', version: 1, getText: () => draft });
  assert.deepEqual(after, reference);
});

test('prepare does nothing (and never throws) before the tokenizer is loaded or for an oversized document', async () => {
  const service = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => undefined });
  let pauses = 0;
  await service.prepare({ uri: 'file:///x.md', version: 1, getText: () => draft }, { isCancellationRequested: false }, async () => void pauses++, 0);
  assert.equal(pauses, 0);
  const tokenizer = await loadKuromojiTokenizer();
  const big = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => tokenizer });
  await big.prepare({ uri: 'file:///big.md', version: 1, getText: () => 'あ'.repeat(1_100_000) }, { isCancellationRequested: false }, async () => void pauses++, 0);
  assert.equal(pauses, 0);
});

test('after a keystroke prepare leaves the work to the caches; after a large paste it slices again', async () => {
  const tokenizer = await loadKuromojiTokenizer();
  const service = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => tokenizer });
  const uri = 'file:///typing.md';
  service.getDiagnostics({ uri, version: 1, getText: () => draft });
  const pausesFor = async (version: number, text: string): Promise<number> => {
    let pauses = 0;
    await service.prepare({ uri, version, getText: () => text }, { isCancellationRequested: false }, async () => void pauses++, 0);
    return pauses;
  };
  const typed = draft.replace('本市の全てのネットワーク', '本市の全てのネットワークあ');
  assert.equal(await pausesFor(2, typed), 0, 'one character: nothing to prepare');
  const pasted = `${typed}\n\n${renderGuidelineDraft(catalog, 'basic-policy')}`;
  assert.ok((await pausesFor(3, pasted)) > 0, 'a pasted policy is prepared in slices');
  const reference = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => tokenizer }).getDiagnostics({ uri: 'file:///ref2.md', version: 1, getText: () => pasted });
  assert.deepEqual(service.getDiagnostics({ uri, version: 3, getText: () => pasted }), reference);
});
