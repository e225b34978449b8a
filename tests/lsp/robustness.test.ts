// Protocol robustness of the BUNDLED server: what an editor may send at the wrong moment or with the wrong
// shape (unknown documents, positions past the end, edits and closes while a request waits, cancellations,
// settings of the wrong type) never crashes it, never answers with findings for another version, and the
// server keeps answering afterwards. (tests/lsp/server.test.ts covers the ordinary flow.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, type DocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { change, changeSettings, close, msg, open, pull, readyServer, RequestCancelled, ServerCancelled, stopServer, waitFor, type Harness } from './harness';

/** A policy draft (front matter) with one planted gap: 第2条 is missing. */
const draft = (extra = '') => `---\nkijun: {}\n---\n\n### 第1条（目的）\n\n本文${extra}\n\n### 第3条（定義）\n\n本文\n`;
const gapOf = (items: { code?: unknown; message: unknown }[]) => items.filter((d) => d.code === 'numbering-gap').map((d) => msg(d as never));
const isCode = (code: number) => (e: { code?: number }) => e.code === code;

let counter = 0;
const fresh = (name: string) => `untitled:robust-${name}-${++counter}.md`;

describe('language server robustness', () => {
  let h: Harness;

  before(async () => {
    ({ h } = await readyServer());
  });

  after(async () => {
    await stopServer(h);
  });

  /** The server process is alive and analyses a new document: the check after every hostile step. */
  async function stillServes(): Promise<void> {
    assert.equal(h.proc.exitCode, null, `server exited: ${h.stderr}`);
    const uri = fresh('alive');
    open(h, uri, draft());
    assert.deepEqual(gapOf((await pull(h, uri)).items), ['第2条がありません（第1条の次が第3条です）']);
    close(h, uri);
  }

  it('answers every request about a document it does not know with an empty answer', async () => {
    const unknown = { textDocument: { uri: 'file:///nowhere/unknown.md' } };
    const at = { ...unknown, position: { line: 0, character: 0 } };
    const empty: [string, unknown, unknown][] = [
      ['textDocument/hover', at, null],
      ['textDocument/completion', at, []],
      ['textDocument/codeLens', unknown, []],
      ['textDocument/foldingRange', unknown, []],
      ['textDocument/documentLink', unknown, []],
      ['textDocument/definition', at, []],
      ['textDocument/references', { ...at, context: { includeDeclaration: true } }, []],
      ['textDocument/selectionRange', { ...unknown, positions: [{ line: 0, character: 0 }] }, []],
      ['textDocument/prepareRename', at, null],
      ['textDocument/rename', { ...at, newName: '新' }, null],
    ];
    for (const [method, params, expected] of empty) assert.deepEqual(await h.conn.sendRequest(method, params), expected, method);
    const uri = 'file:///nowhere/unknown.md';
    assert.equal((await h.conn.sendRequest<{ ready: boolean }>('kijun/coverage', { uri })).ready, false);
    assert.equal((await h.conn.sendRequest<{ content: unknown }>('kijun/coverageReport', { uri, format: 'md' })).content, null);
    assert.equal((await h.conn.sendRequest<{ content: unknown }>('kijun/roleMatrix', { uri, format: 'md' })).content, null);
    assert.match((await h.conn.sendRequest<{ summary: string }>('kijun/explain', { uri })).summary, /開かれていません/);
    await stillServes();
  });

  it('clamps positions past the end, negative and fractional positions, and survives requests without parameters', async () => {
    const uri = fresh('positions');
    const text = draft();
    open(h, uri, text);
    await pull(h, uri);
    const lines = text.split('\n').length;
    for (const position of [{ line: 99_999, character: 99_999 }, { line: 0, character: 99_999 }, { line: -1, character: -5 }, { line: 1.5, character: 0.5 }]) {
      const at = { textDocument: { uri }, position };
      const hover = await h.conn.sendRequest<{ range?: { end: { line: number } } } | null>('textDocument/hover', at);
      if (hover?.range) assert.ok(hover.range.end.line < lines, JSON.stringify(hover));
      assert.ok(Array.isArray(await h.conn.sendRequest('textDocument/completion', at)), `completion at ${JSON.stringify(position)}`);
      assert.ok(Array.isArray(await h.conn.sendRequest('textDocument/definition', at)));
      assert.equal(await h.conn.sendRequest('textDocument/prepareRename', at), null);
      const range = { start: position, end: { line: position.line + 1, character: 0 } };
      const actions = await h.conn.sendRequest<{ edit?: { changes?: Record<string, { range: { start: { line: number } } }[]> } }[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
      for (const a of actions) for (const e of Object.values(a.edit?.changes ?? {}).flat()) assert.ok(e.range.start.line >= 0 && e.range.start.line < lines, JSON.stringify(e));
      const [selection] = await h.conn.sendRequest<{ range: { start: { line: number }; end: { line: number } } }[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [position] });
      assert.ok(selection && selection.range.start.line >= 0 && selection.range.end.line < lines, JSON.stringify(selection));
    }
    // Requests with parameters missing altogether get the empty answer, not a crashed server.
    assert.deepEqual(await h.conn.sendRequest('textDocument/documentSymbol', {}), []);
    assert.equal(await h.conn.sendRequest('textDocument/hover', { textDocument: { uri } }), null);
    assert.deepEqual(await h.conn.sendRequest('kijun/checkDocument', {}), { enabled: false });
    close(h, uri);
    await stillServes();
  });

  it('answers a pull whose document changes while it waits with "retrigger", then the new version only', async () => {
    const uri = fresh('stale');
    open(h, uri, draft());
    await pull(h, uri);
    // Hold the pull inside its settings lookup, change the document, then let the pull go on.
    let release!: () => void;
    h.configGate = new Promise((r) => (release = r));
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const asked = h.configRequests;
    const pending = h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    await waitFor('the pull asks for settings', () => h.configRequests > asked);
    change(h, uri, 2, draft().replace('第3条', '第2条'));
    // The change is written before the settings answer on the same ordered pipe.
    h.configGate = null;
    release();
    await assert.rejects(pending, (e: { code?: number; data?: { retriggerRequest?: boolean } }) => e.code === ServerCancelled && e.data?.retriggerRequest === true);
    assert.deepEqual(gapOf((await pull(h, uri)).items), [], 'the retriggered pull sees version 2');
    close(h, uri);
  });

  it('answers a cancelled pull with RequestCancelled and keeps answering afterwards', async () => {
    const uri = fresh('cancel');
    open(h, uri, draft());
    let release!: () => void;
    h.configGate = new Promise((r) => (release = r));
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const asked = h.configRequests;
    const source = new CancellationTokenSource();
    const pending = h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } }, source.token);
    await waitFor('the pull asks for settings', () => h.configRequests > asked);
    source.cancel();
    h.configGate = null;
    release();
    await assert.rejects(pending, isCode(RequestCancelled));
    // The same document, asked again: a full answer with its findings.
    assert.deepEqual(gapOf((await pull(h, uri)).items), ['第2条がありません（第1条の次が第3条です）']);
    // Cancelling the other requests at once: each is answered (cancelled or empty), none hangs.
    const burst = new CancellationTokenSource();
    const requests = [
      h.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 5 } }, burst.token),
      h.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } }, context: { diagnostics: [] } }, burst.token),
      h.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } }, burst.token),
      h.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, burst.token),
    ];
    burst.cancel();
    for (const r of await Promise.allSettled(requests)) {
      if (r.status === 'rejected') assert.equal((r.reason as { code?: number }).code, RequestCancelled, String(r.reason));
    }
    assert.equal((await pull(h, uri)).kind, 'full');
    close(h, uri);
    await stillServes();
  });

  it('answers a pull for a document closed while the pull waits without findings, and a reopened document afresh', async () => {
    const uri = fresh('closed');
    open(h, uri, draft());
    const first = await pull(h, uri);
    assert.equal(gapOf(first.items).length, 1);
    // Closed while the pull waits for its settings: the pull must not analyse a document the editor no longer has.
    let release!: () => void;
    h.configGate = new Promise((r) => (release = r));
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const asked = h.configRequests;
    const pending = h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    await waitFor('the pull asks for settings', () => h.configRequests > asked);
    close(h, uri);
    h.configGate = null;
    release();
    const answer = await pending.then(
      (r) => r,
      (e: { code?: number }) => e,
    );
    if ('kind' in answer) assert.deepEqual(answer, { kind: 'full', items: [] });
    else assert.equal(answer.code, RequestCancelled);

    // Reopened at the same version with other text, and the editor still holding the old result id:
    // the server must not call the new text "unchanged".
    open(h, uri, '---\nkijun: {}\n---\n\n### 第1条（目的）\n\n本文\n\n### 第4条（定義）\n\n本文\n');
    const reopened = await pull(h, uri, first.resultId);
    assert.equal(reopened.kind, 'full');
    assert.deepEqual(gapOf(reopened.items), ['第2条がありません（第1条の次が第4条です）']);
    close(h, uri);
    await stillServes();
  });

  it('never calls a reopened document "unchanged" because its version number is the same', async () => {
    const uri = fresh('reopen');
    open(h, uri, draft());
    const first = await pull(h, uri);
    assert.deepEqual(gapOf(first.items), ['第2条がありません（第1条の次が第3条です）']);
    close(h, uri);
    // Reopened at version 1 with other text (the file changed on disk); the editor still holds the old result id.
    open(h, uri, draft().replace('第3条', '第2条'));
    const again = await pull(h, uri, first.resultId);
    assert.equal(again.kind, 'full');
    assert.deepEqual(gapOf(again.items), []);
    // Unchanged is still answered within one opening.
    const same = await h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: again.resultId });
    assert.equal(same.kind, 'unchanged');
    close(h, uri);
  });

  it('closes documents mid-analysis in a burst without a crash', async () => {
    const uri = fresh('burst');
    const pending: Promise<unknown>[] = [];
    for (let i = 1; i <= 5; i++) {
      open(h, uri, draft('あ'.repeat(i)), i);
      pending.push(h.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }).catch((e: { code?: number }) => assert.ok(e.code === RequestCancelled || e.code === ServerCancelled, String(e))));
      pending.push(h.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 5 } }));
      close(h, uri);
    }
    await Promise.all(pending);
    await stillServes();
  });
});

describe('malformed settings', () => {
  let h: Harness;
  const uri = 'untitled:settings.md';

  before(async () => {
    ({ h } = await readyServer());
    open(h, uri, draft());
    await pull(h, uri);
  });

  after(async () => {
    await stopServer(h);
  });

  // Every kijun.* setting of package.json, with a value of the wrong type, and the words its message must contain.
  const cases: [string, unknown, RegExp][] = [
    ['kijun.enable', { enable: 'yes' }, /kijun\.enable/],
    ['kijun.enable (null)', { enable: null }, /kijun\.enable/],
    ['kijun.activation', { activation: 'drafts' }, /kijun\.activation\.globs/],
    ['kijun.activation.globs', { activation: { globs: 42 } }, /kijun\.activation\.globs/],
    ['kijun.activation.globs (items)', { activation: { globs: [7, null] } }, /kijun\.activation\.globs/],
    ['kijun.rules', { rules: ['missing-item'] }, /kijun\.rules/],
    ['kijun.rules.<code>', { rules: { 'numbering-gap': 3 } }, /kijun\.rules\.numbering-gap/],
    ['kijun.recommendedMarker', { recommendedMarker: true }, /kijun\.recommendedMarker/],
    ['kijun.organisation', { organisation: 'みどり町' }, /kijun\.organisation/],
    ['kijun.organisation.name', { organisation: { name: 42 } }, /kijun\.organisation\.name/],
    ['kijun.organisation.type', { organisation: { type: ['町'] } }, /kijun\.organisation\.type/],
    ['kijun.organisation.type (value)', { organisation: { type: '国' } }, /kijun\.organisation\.type/],
    ['kijun.organisation.selfReference', { organisation: { selfReference: { x: 1 } } }, /kijun\.organisation\.selfReference/],
    ['kijun.catalog', { catalog: 'catalog.json' }, /kijun\.catalog/],
    ['kijun.catalog.path', { catalog: { path: 12 } }, /kijun\.catalog\.path/],
    ['kijun (not an object)', 'garbage', /設定 kijun/],
  ];

  for (const [name, settings, words] of cases) {
    it(`${name}: defaults, a warning in the log and on screen, the server stays up`, async () => {
      const logs = h.logs.length;
      const shown = h.shown.length;
      await changeSettings(h, settings);
      // Defaults: the draft is analysed, its gap reported at the default severity.
      const report = await pull(h, uri);
      const gap = report.items.find((d) => d.code === 'numbering-gap');
      assert.ok(gap, JSON.stringify(report.items));
      assert.equal(gap.severity, 2);
      await waitFor('a window message', () => h.shown.length > shown);
      const newLogs = h.logs.slice(logs).filter((l) => l.type === 2).map((l) => l.message);
      assert.ok(newLogs.some((l) => words.test(l)), `${JSON.stringify(newLogs)} names ${words}`);
      const newShown = h.shown.slice(shown);
      assert.ok(newShown.every((m) => m.type === 2), JSON.stringify(newShown));
      // Each message names the setting and says what Kijun does instead.
      assert.ok(newShown.some((m) => m.message.startsWith('Kijun: ') && words.test(m.message) && /既定|無視|使いません|同梱/.test(m.message)), JSON.stringify(newShown));
      assert.equal(h.proc.exitCode, null);
    });
  }

  it('shows one message per problem, not one per document or pull', async () => {
    const shown = h.shown.length;
    await changeSettings(h, { enable: 'yes' });
    await pull(h, uri);
    await waitFor('the window message', () => h.shown.length > shown);
    const other = 'untitled:settings-other.md';
    open(h, other, draft());
    await pull(h, other);
    await pull(h, other);
    await pull(h, uri);
    assert.deepEqual(h.shown.slice(shown).map((m) => m.message), ['Kijun: 設定 kijun.enable は true / false です。既定値（true）を使います']);
    assert.ok(h.logs.filter((l) => l.message.includes('kijun.enable') && l.message.includes(other)).length > 0, 'still logged for each resource');
    close(h, other);
  });

  it('goes back to normal when the settings are fixed', async () => {
    const shown = h.shown.length;
    await changeSettings(h, { rules: { 'numbering-gap': 'error' } });
    const gap = (await pull(h, uri)).items.find((d) => d.code === 'numbering-gap');
    assert.equal(gap?.severity, 1);
    assert.equal(h.shown.length, shown, 'no warning for valid settings');
  });
});
