// The server's message loop stays free during a large document's first analysis (issue 7): the pull
// tokenises in short slices, so structure requests sent meanwhile are answered before it finishes, and an
// edit supersedes it instead of queueing behind it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { rng } from '../../scripts/rng';
import { change, open, readyServer, root, ServerCancelled, stopServer, type Harness } from './harness';

/** A large draft of distinct sentences (no two alike, so that nothing is served from a cache). */
function bigDraft(seed: number, sections: number): string {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const nouns = ['情報資産', '端末', '記録媒体', '外部委託事業者', '管理区域', 'ネットワーク', '認証情報', '庁舎', '文書', '監査記録', '利用者', '業務システム'];
  const verbs = ['管理しなければならない', '確認しなければならない', '記録する', '報告しなければならない', '定めるものとする', '保管しなければならない'];
  const kanji = '安全対策整備運用監視評価改善教育訓練点検保守更新廃棄暗号通信接続制限許可承認届出調査分析記録保存';
  const word = (): string => Array.from({ length: 2 + Math.floor(random() * 3) }, () => kanji[Math.floor(random() * kanji.length)]).join('');
  const out = ['---', 'kijun:', '  kind: 対策基準', '---', '', '# 情報セキュリティ対策基準', ''];
  for (let s = 1; s <= sections; s++) {
    out.push(`## ${s} ${word()}${word()}`, '');
    for (let i = 1; i <= 12; i++) {
      out.push(`(${i}) 職員は、${pick(nouns)}の${word()}について、${word()}及び${word()}を${pick(verbs)}。${word()}の${pick(nouns)}は、${word()}に${pick(verbs)}。`, '');
    }
  }
  return out.join('\n');
}

describe('a large first analysis does not hold the message loop', () => {
  let h: Harness;
  before(async () => {
    ({ h } = await readyServer());
  });
  after(async () => {
    await stopServer(h);
  });

  it('answers document symbols while the first pull of a large draft is still being analysed', async () => {
    const uri = pathToFileURL(join(root, 'big-responsive.md')).href;
    // About 5,400 clauses of fresh text: an analysis long enough for several requests to come between its
    // slices however fast it gets (with 3,600 it once took too little time for three).
    const text = bigDraft(7, 450);
    open(h, uri, text);
    let pullDone = false;
    const pulled = h.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }).then((r) => {
      pullDone = true;
      return r;
    });
    // Past the pull's debounce (250 ms), any answer that comes back before the pull's was served between
    // two of its slices: a synchronous analysis would answer them all after it.
    await new Promise((r) => setTimeout(r, 350));
    let answeredDuring = 0;
    while (!pullDone) {
      const symbols = await h.conn.sendRequest<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.ok(Array.isArray(symbols) && symbols.length > 0);
      if (!pullDone) answeredDuring++;
      await new Promise((r) => setTimeout(r, 5));
    }
    const report = (await pulled) as { items: unknown[] };
    assert.ok(Array.isArray(report.items));
    assert.ok(answeredDuring >= 3, `symbol requests answered during the analysis: ${answeredDuring}`);
  });

  it('an edit during the first analysis supersedes it: the pull asks to be retriggered, the next pull completes', async () => {
    const uri = pathToFileURL(join(root, 'big-superseded.md')).href;
    const text = bigDraft(11, 300);
    open(h, uri, text);
    const pulled = h.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }).then(
      () => 'answered',
      (e: { code?: number }) => e.code,
    );
    await new Promise((r) => setTimeout(r, 600));
    change(h, uri, 2, `${text}\n追記。\n`);
    assert.equal(await pulled, ServerCancelled, 'the superseded pull is answered with ServerCancelled (retrigger)');
    const report = await h.conn.sendRequest<{ kind: string; items: unknown[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
  });
});
