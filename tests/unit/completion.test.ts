import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docOf, featureService, sampleText, tokenizerCalls } from './featuresFixture';

const withLine = (line: string): string => `${sampleText.trimEnd()}\n\n${line}`;

test('a keyword completes to matching 例文 clauses, adapted to the draft', async () => {
  const s = await featureService();
  const text = withLine('パスワード');
  const items = s.getCompletions(docOf(text), text.length);
  const clauses = items.filter((i) => i.kind === 'clause');
  assert.ok(clauses.length > 0 && clauses.length <= 8);
  const first = clauses.find((c) => c.label.startsWith('5.4(3)①'))!;
  assert.ok(first, JSON.stringify(clauses.map((c) => c.label)));
  assert.deepEqual(first.range, { start: text.length - 'パスワード'.length, end: text.length });
  assert.equal(first.newText, 'パスワードは、他者に知られないように管理しなければならない。');
  assert.match(first.detail, /必須/);
  assert.ok(first.filterText.startsWith('パスワード'), 'the typed keyword matches the filter text');

  // 本市 becomes the draft's 本町; a 推奨事項 is inserted marked.
  const self = s.getCompletions(docOf(withLine('情報資産の分類')), withLine('情報資産の分類').length).find((c) => c.newText.includes('本町'));
  assert.ok(self);
  assert.ok(!self.newText.includes('本市'));
  // A draft that never names itself but declares its type gets its self-reference from the type.
  const ward = '---\nkijun:\n  organisationType: 区\n---\n\n# 対策基準\n\n情報資産の分類';
  assert.ok(s.getCompletions(docOf(ward), ward.length).some((c) => c.newText.includes('本区')));
  const rec = s.getCompletions(docOf(withLine('最高情報セキュリティアドバイザー')), withLine('最高情報セキュリティアドバイザー').length).find((c) => c.label.startsWith('1(1)②'));
  assert.ok(rec?.newText.endsWith('【推奨事項】'));
});

test('a provision number before the keyword stays; the keyword after punctuation is what is completed', async () => {
  const s = await featureService();
  for (const [line, keyword] of [['③USB', 'USB'], ['(1) 持ち出し', '持ち出し'], ['職員等は、持ち出し', '持ち出し']] as const) {
    const text = withLine(line);
    const items = s.getCompletions(docOf(text), text.length).filter((i) => i.kind === 'clause');
    assert.ok(items.length > 0, line);
    for (const i of items) assert.equal(text.slice(i.range.start, i.range.end), keyword, line);
  }
});

test('role names and terms complete inside a clause, with the draft’s own defined names', async () => {
  const s = await featureService();
  const text = withLine('3 統括');
  const roles = s.getCompletions(docOf(text), text.length).filter((i) => i.kind === 'role');
  assert.equal(roles[0]?.label, '統括情報セキュリティ責任者');
  assert.equal(text.slice(roles[0]!.range.start, roles[0]!.range.end), '統括');
  // Defined by the sample itself with 以下「基本方針」という.
  const defined = withLine('この基準は、基本');
  assert.ok(s.getCompletions(docOf(defined), defined.length).some((i) => i.label === '基本方針' && i.detail === 'この草案で定義した名称'));
  const term = withLine('情報資産の機密');
  assert.ok(s.getCompletions(docOf(term), term.length).some((i) => i.kind === 'term' && i.label === '機密性'));
});

test('nothing is offered in the front matter or for an empty word, and completion stays cheap while typing', async () => {
  const s = await featureService();
  assert.deepEqual(s.getCompletions(docOf(sampleText), sampleText.indexOf('organisation') + 4), []);
  const blank = withLine('');
  assert.deepEqual(s.getCompletions(docOf(blank), blank.length), []);
  // Completion after an edit neither aligns nor tokenises: it reads the text, the last parse and the catalog index.
  const text = withLine('ログ');
  const doc = docOf(text);
  s.getDiagnostics(doc);
  const edited = { ...doc, version: 2, getText: () => `${text}の取得` };
  const before = tokenizerCalls.count;
  assert.ok(s.getCompletions(edited, text.length + 3).length > 0);
  assert.equal(tokenizerCalls.count, before);
});
