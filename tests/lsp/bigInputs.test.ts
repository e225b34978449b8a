// Big and odd inputs over the protocol (issue 8): a 10 MB file, one 1 MB line, a binary file renamed .md and
// a pasted table of 20,000 rows each get an answer with a visible notice, and the server keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { msg, open, pull, readyServer, root, stopServer, type Harness } from './harness';

describe('big and odd inputs', () => {
  let h: Harness;
  before(async () => {
    ({ h } = await readyServer());
  });
  after(async () => {
    await stopServer(h);
  });

  const cases: [string, () => string, RegExp][] = [
    ['10 MB of text', () => '本市の職員は、情報資産を適切に管理しなければならない。\n'.repeat(400_000), /大きすぎるため検査しません/],
    ['one line of 1,000,000 characters', () => `第1条 ${'あ'.repeat(1_000_000)}\n`, /構成（番号・参照）だけを検査/],
    ['a binary file renamed .md', () => Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256)).toString('latin1'), /テキストではないファイル/],
    ['a pasted table of 20,000 rows', () => ['# 対策基準', '', '## 1 分類', '', '| 区分 | 内容 |', '|---|---|', ...Array.from({ length: 20_000 }, (_, i) => `| 区分${i} | 内容${i} |`), ''].join('\n'), /簡易に判定/],
  ];
  for (const [name, make, notice] of cases) {
    it(`${name}: answered with a notice`, async () => {
      const uri = pathToFileURL(join(root, 'policy', `odd-${name.replace(/\W+/g, '-')}.md`)).href;
      open(h, uri, make());
      const report = await pull(h, uri);
      assert.ok(report.items.some((d) => notice.test(msg(d))), `notice: ${report.items.slice(0, 3).map(msg).join(' / ')}`);
    });
  }

  it('and a normal draft opened afterwards is analysed as usual', async () => {
    const uri = pathToFileURL(join(root, 'policy', 'after-odd.md')).href;
    open(h, uri, '---\nkijun:\n  kind: 対策基準\n---\n\n第1条 総括情報セキュリティ責任者は、計画を定める。\n\n第3条 前条の計画を実施する。\n');
    const report = await pull(h, uri);
    assert.ok(report.items.some((d) => /第2条/.test(msg(d))), 'the numbering gap is found');
  });
});
