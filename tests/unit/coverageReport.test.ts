import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCoverage } from '../../server/src/service/align/report';
import { renderGuidelineDraft } from '../../scripts/guidelineDraft';
import { alignmentFixture } from '../helpers/alignment';

test('the 対応表 renders as JSON, CSV (with a BOM for Excel), Markdown and text', async () => {
  const f = await alignmentFixture();
  const text = renderGuidelineDraft(f.catalog, 'standards', new Set(['5.4(3)③'])).replace('kijun:\n', 'kijun:\n  not-applicable:\n    "3": 三層の構えは採用しない\n');
  const { parsed, result } = f.analyze(text);

  const json = JSON.parse(renderCoverage('draft.md', result.coverage, parsed, f.catalog, 'json')) as {
    file: string;
    kind: string;
    items: { id: string; status: string; recommended: boolean; matches: { range: { start: { line: number } }; score: number }[]; reason?: string }[];
    summary: { missing: number };
  };
  assert.equal(json.file, 'draft.md');
  assert.equal(json.kind, 'standards');
  assert.equal(json.summary.missing, 1);
  const missing = json.items.find((i) => i.id === '5.4(3)③')!;
  assert.deepEqual([missing.status, missing.matches.length], ['missing', 0]);
  const covered = json.items.find((i) => i.id === '5.4(3)①')!;
  assert.equal(covered.status, 'covered');
  assert.equal(parsed.text.split('\n')[covered.matches[0]!.range.start.line], '①パスワードは、他者に知られないように管理しなければならない。');
  assert.equal(json.items.find((i) => i.id === '3(1)①')!.reason, '三層の構えは採用しない');

  const csv = renderCoverage('draft.md', result.coverage, parsed, f.catalog, 'csv');
  assert.ok(csv.startsWith('\uFEFF項目,節,節の見出し,内容,区分,状態,対応箇所,一致度,理由\r\n'));
  assert.match(csv, /\r\n5\.4\(3\)③,5\.4,ID 及びパスワード等の管理,パスワードは十分な長さとし[^,]*,必須,未対応,,,\r\n/);
  assert.match(csv, /\r\n1\(1\)②,1,組織体制,CISOは、[^,]*,推奨,対応,\d+行,\d\.\d\d,\r\n/);

  const md = renderCoverage('draft.md', result.coverage, parsed, f.catalog, 'md');
  assert.match(md, /^# 対応表: draft\.md/);
  assert.match(md, /\n## 5\.4 ID 及びパスワード等の管理\n\n\| 項目 \| 内容 \| 区分 \| 状態 \| 対応箇所 \| 理由 \|/);
  assert.match(md, /\n\| 3\(1\)① \| [^|]+ \| 必須 \| 対象外 \| [^|]* \| 三層の構えは採用しない \|/);

  const txt = renderCoverage('draft.md', result.coverage, parsed, f.catalog, 'text');
  assert.match(txt, /未対応 1/);
  assert.match(txt, /\n {2}✘ 5\.4\(3\)③ /);
});
