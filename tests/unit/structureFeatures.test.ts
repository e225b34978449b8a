import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '../../server/src/service/parse/index';
import {
  definitionAt,
  documentLinks,
  documentSymbols,
  foldingRanges,
  referencesTo,
  selectionRanges,
  type PolicySelectionRange,
} from '../../server/src/service/features/structure';
import { renderOutline } from '../../server/src/service/features/outline';

const text = [
  '# 架空市情報セキュリティ対策基準', // 0
  '',
  '## 第1章 総則', // 2
  '',
  '（目的）', // 4
  '第1条 この基準は、目的を定める。', // 5
  '',
  '（定義）', // 7
  '第2条 次に掲げる用語の意義は、次のとおりとする。', // 8
  '- (1) 情報資産', // 9
  '- (2) 職員等', // 10
  '2 前条の規定は、第1条に定めるところによる。', // 11
  '',
  '## 第2章 組織', // 13
  '',
  '第3条 第1条の目的のため、CISO を置く。', // 15
].join('\n');
const parsed = parsePolicy(text);
const at = (needle: string, nth = 0): number => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  return i;
};

test('document symbols follow the policy structure', () => {
  const symbols = documentSymbols(parsed);
  assert.equal(symbols.length, 1);
  const title = symbols[0]!;
  assert.equal(title.name, '架空市情報セキュリティ対策基準');
  assert.deepEqual(
    title.children.map((c) => c.name),
    ['第1章 総則', '第2章 組織'],
  );
  const ch1 = title.children[0]!;
  assert.deepEqual(ch1.children.map((c) => c.name), ['第1条（目的）', '第2条（定義）']);
  assert.equal(ch1.symbolKind, 2);
  const art2 = ch1.children[1]!;
  assert.deepEqual(art2.children.map((c) => c.name), ['(1) 情報資産', '(2) 職員等', '第2項']);
  for (const s of [title, ch1, art2]) {
    assert.ok(s.range.start <= s.selectionRange.start && s.selectionRange.end <= s.range.end);
  }
  // The caption line opens the article's range; the selection is the 第N条 line.
  assert.equal(ch1.children[0]!.range.start, at('（目的）'));
  assert.equal(ch1.children[0]!.selectionRange.start, at('第1条'));
});

test('folding ranges span provisions over several lines', () => {
  const folds = foldingRanges(parsed);
  assert.ok(folds.some((f) => f.startLine === 2 && f.endLine === 11), JSON.stringify(folds));
  assert.ok(folds.some((f) => f.startLine === 8 && f.endLine === 11));
  assert.ok(folds.every((f) => f.endLine > f.startLine));
});

test('go to definition and document links resolve references', () => {
  const def = definitionAt(parsed, at('前条') + 1)!;
  assert.equal(text.slice(def.targetSelectionRange.start, def.targetSelectionRange.end), '第1条 この基準は、目的を定める。');
  assert.equal(definitionAt(parsed, at('CISO')), null);
  const links = documentLinks(parsed);
  assert.equal(links.length, 3);
  assert.ok(links.every((l) => l.tooltip === '第1条（目的）へ移動'));
});

test('find references to an article, from its number or from a reference', () => {
  const fromHead = referencesTo(parsed, at('第1条') + 1);
  assert.deepEqual(
    fromHead.map((r) => text.slice(r.start, r.end)),
    ['前条', '第1条', '第1条'],
  );
  const withDecl = referencesTo(parsed, at('第1条', 2), true);
  assert.equal(withDecl.length, 4);
  assert.equal(text.slice(withDecl[0]!.start, withDecl[0]!.end), '第1条');
});

test('selection ranges grow from the number to the provision and its parents', () => {
  const [sel] = selectionRanges(parsed, [at('(2)') + 1]);
  const chain: string[] = [];
  for (let s: PolicySelectionRange | undefined = sel; s; s = s.parent) chain.push(text.slice(s.range.start, s.range.end).split('\n')[0]!);
  assert.equal(chain[0], '(2)');
  assert.ok(chain.includes('- (2) 職員等'.slice(2)));
  assert.equal(chain.at(-1), '# 架空市情報セキュリティ対策基準');
  for (let s: PolicySelectionRange | undefined = sel; s?.parent; s = s.parent) {
    assert.ok(s.parent.range.start <= s.range.start && s.range.end <= s.parent.range.end);
  }
});

test('kijun outline renders JSON and text', () => {
  const json = JSON.parse(renderOutline(parsed, 'json'));
  const art1 = json[0].children[0].children[0];
  assert.deepEqual(Object.keys(art1).sort(), ['children', 'kind', 'number', 'range', 'title', 'value']);
  assert.equal(art1.kind, 'article');
  assert.equal(art1.number, '第1条');
  assert.equal(art1.title, '（目的）');
  assert.deepEqual(art1.range, { start: { line: 4, character: 0 }, end: { line: 5, character: 17 } });
  const lines = renderOutline(parsed, 'text').trimEnd().split('\n');
  assert.equal(lines[0], '架空市情報セキュリティ対策基準  L1');
  assert.equal(lines[2], '    第1条（目的）  L6');
  assert.equal(lines[5], '      (2) 職員等  L11');
});
