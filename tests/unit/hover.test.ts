import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commentaryFor, loadCatalog } from '../../server/src/service/catalog';
import { adaptWording } from '../../server/src/service/features/adapt';
import { diffChars, renderDiffMarkdown } from '../../server/src/service/features/diff';
import { docOf, featureService, guidelineStandards, offsetOf, sampleText, structureOnlyService, tokenizerCalls } from './featuresFixture';

test('a reference hovers with the text it points to, even before alignment is ready', () => {
  const s = structureOnlyService();
  const doc = docOf(sampleText);
  const h = s.getHover(doc, offsetOf(sampleText, '前条に定める', 1));
  assert.ok(h);
  assert.deepEqual(h.range, { start: offsetOf(sampleText, '前条に定める'), end: offsetOf(sampleText, '前条に定める') + 2 });
  assert.match(h.markdown, /^\*\*第4条（最高情報セキュリティ責任者）\*\*\n\n> /);
  assert.match(h.markdown, /> 2 CISOは、本町における全てのネットワーク/);
  // Without the dictionary a clause has nothing to show (yet).
  assert.equal(s.getHover(doc, offsetOf(sampleText, '2 CISOは', 3)), null);
});

test('a clause hovers with its guideline item, mandatory or 推奨事項, the 例文 diff and the 解説', async () => {
  const s = await featureService();
  const doc = docOf(sampleText);
  const at = offsetOf(sampleText, '2 CISOは', 9); // on the wording, not on the role name (roles hover on their own)
  const h = s.getHover(doc, at);
  assert.ok(h);
  const lineStart = sampleText.lastIndexOf('\n', at) + 1;
  assert.equal(h.range.start, lineStart, 'the range is the clause line');
  const md = h.markdown;
  assert.match(md, /^\*\*ガイドライン 1\\\(1\\\)①\*\* — 必須・一致度 \d+%/);
  assert.match(md, /対策基準 › 1 組織体制 › /);
  // The 例文 says 本市; adapted to 本町 it agrees with the clause, so only the omitted first sentence is struck.
  assert.match(md, /> ~~副町長を~~CISO~~とする。CISO~~は、本町における全てのネットワーク/);
  assert.doesNotMatch(md, /本市/);
  const commentary = commentaryFor(s.catalog, '1(1)①')!;
  assert.ok(md.includes(`**解説** ${commentary.text.slice(0, 20)}`));
});

test('a 推奨事項 clause says whether its adoption is marked', async () => {
  const s = await featureService();
  const text = guidelineStandards;
  const doc = docOf(text);
  const md = s.getHover(doc, offsetOf(text, '②CISO は、必要に応じ', 9))!.markdown;
  assert.match(md, /^\*\*ガイドライン 1\\\(1\\\)②\*\* — 推奨事項（採用を明記済み）/);
  assert.match(md, /例文どおりです/);
});

test('a heading mapped to a guideline section hovers with the section coverage and 趣旨', async () => {
  const s = await featureService();
  const doc = docOf(sampleText);
  const h = s.getHover(doc, offsetOf(sampleText, '第2章 組織体制', 2))!;
  assert.match(h.markdown, /^\*\*ガイドライン 1 組織体制\*\* — \d+\/\d+ 項目/);
  assert.match(h.markdown, /\*\*趣旨\*\* 組織として、情報セキュリティ対策を確実に実施するには/);
});

test('hover reuses the cached alignment of the version: no analysis per request', async () => {
  const s = await featureService();
  const doc = docOf(guidelineStandards);
  s.getDiagnostics(doc);
  const before = tokenizerCalls.count;
  for (let i = 0; i < 20; i++) assert.ok(s.getHover(doc, offsetOf(guidelineStandards, '①情報システム管理者は、所管する情報システムの運用', 3 + i)));
  assert.equal(tokenizerCalls.count, before);
});

test('the diff shows additions in bold and deletions struck, as word-sized runs', () => {
  const ops = diffChars('職員等は、パスワードを管理しなければならない。', '職員等は、パスワードを適切に管理しなければならない。');
  assert.deepEqual(ops, [
    { kind: 'equal', text: '職員等は、パスワードを' },
    { kind: 'insert', text: '適切に' },
    { kind: 'equal', text: '管理しなければならない。' },
  ]);
  assert.equal(renderDiffMarkdown(ops), '職員等は、パスワードを**適切に**管理しなければならない。');
  // 「管理者」→「責任者」 is one replacement, not 管理 → 責任 around a shared 者.
  const replaced = diffChars('情報セキュリティ管理者は', '情報セキュリティ責任者は');
  assert.equal(renderDiffMarkdown(replaced), '情報セキュリティ~~管理~~**責任**者は');
  assert.deepEqual(diffChars('同じ', '同じ'), [{ kind: 'equal', text: '同じ' }]);
});

test('delimiters next to punctuation between CJK letters are padded so that CommonMark still renders them', () => {
  const md = renderDiffMarkdown(diffChars('情報資産を管理する。', '情報資産を、適正に管理する。'));
  assert.equal(md, '情報資産を **、適正に**管理する。');
  const struck = renderDiffMarkdown(diffChars('責任者は、速やかに報告する。', '責任者は速やかに報告する。'));
  assert.equal(struck, '責任者は ~~、~~ 速やかに報告する。');
  assert.equal(renderDiffMarkdown([{ kind: 'equal', text: 'a*b_[c]' }]), 'a\\*b\\_\\[c\\]');
});

test('例文 are adapted to the body: 本市, 副市長 and renamed roles', () => {
  const catalog = loadCatalog();
  const town = { selfReference: '本町', renames: [] };
  assert.equal(adaptWording('副市長を CISO とする。本市の市長は', catalog, town), '副町長を CISO とする。本町の町長は');
  assert.equal(adaptWording('本市の', catalog, { selfReference: '本協議会', renames: [] }), '本協議会の');
  const renamed = { selfReference: null, renames: [['セキュリティ統括責任者', '最高情報セキュリティ責任者']] as const };
  assert.equal(
    adaptWording('最高情報セキュリティ責任者は、統括情報セキュリティ責任者を置く。', catalog, renamed),
    'セキュリティ統括責任者は、統括情報セキュリティ責任者を置く。',
  );
});
