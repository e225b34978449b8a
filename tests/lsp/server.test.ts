// Protocol tests: the BUNDLED dist/server.js over stdio, driven as an editor would drive it.
// They catch bundling mistakes (missing modules, the kuromoji dictionary) that service tests cannot see.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type DocumentSymbol,
  type LocationLink,
  type FullDocumentDiagnosticReport,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { corpusPath as corpusFile } from '../helpers/corpus';

const root = resolve(import.meta.dirname, '..', '..');
const serverJs = join(root, 'dist', 'server.js');
// A short town draft with planted structure defects (第6条 missing, 第12条 unresolved) and a resolvable 前条.
const samplePath = join(root, 'tests', 'fixtures', 'features', 'town-article-draft.md');
const sampleUri = pathToFileURL(samplePath).href;
const corpusPath = corpusFile('tsukuba-smartcity-policy.txt');

interface Harness {
  readonly proc: ChildProcess;
  readonly conn: ProtocolConnection;
  readonly statuses: { state: string; uri?: string; findings?: number }[];
  readonly logs: { type: number; message: string }[];
  settings: unknown;
  refreshes: number;
  /** When set, workspace/configuration answers only after this promise settles. */
  configGate: Promise<void> | null;
  configRequests: number;
}

function startServer(): Harness {
  if (!existsSync(serverJs)) throw new Error('dist/server.js がありません。先に npm run build を実行してください');
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const h: Harness = { proc, conn, statuses: [], logs: [], settings: null, refreshes: 0, configGate: null, configRequests: 0 };
  conn.onNotification('kijun/status', (p: Harness['statuses'][number]) => void h.statuses.push(p));
  conn.onNotification('window/logMessage', (p: { type: number; message: string }) => void h.logs.push(p));
  conn.onRequest('workspace/configuration', async (p: { items: unknown[] }) => {
    h.configRequests++;
    await h.configGate;
    return p.items.map(() => h.settings);
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => void h.refreshes++);
  conn.listen();
  return h;
}

const initializeParams = {
  processId: process.pid,
  rootUri: pathToFileURL(root).href,
  workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'kijun' }],
  capabilities: {
    workspace: { configuration: true, diagnostics: { refreshSupport: true }, didChangeConfiguration: { dynamicRegistration: true } },
    textDocument: { diagnostic: { dynamicRegistration: false }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
  },
};

function open(h: Harness, uri: string, text: string, version = 1): void {
  void h.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
}

async function pull(h: Harness, uri: string): Promise<FullDocumentDiagnosticReport> {
  const report = await h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report as FullDocumentDiagnosticReport;
}

const msg = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('bundled language server over stdio', () => {
  let h: Harness;
  let init: InitializeResult;

  before(async () => {
    h = startServer();
    const started = performance.now();
    init = await h.conn.sendRequest<InitializeResult>('initialize', initializeParams);
    console.log(`# initialize answered in ${(performance.now() - started).toFixed(0)} ms`);
    void h.conn.sendNotification('initialized', {});
  });

  after(() => {
    if (h.proc.exitCode === null) h.proc.kill();
    h.conn.dispose();
  });

  it('advertises its capabilities', () => {
    const caps = init.capabilities;
    assert.equal(caps.textDocumentSync, 2);
    assert.deepEqual(caps.diagnosticProvider, { identifier: 'kijun', interFileDependencies: false, workspaceDiagnostics: false });
    assert.ok(caps.codeActionProvider);
    for (const p of ['documentSymbolProvider', 'foldingRangeProvider', 'definitionProvider', 'referencesProvider', 'selectionRangeProvider', 'documentLinkProvider'] as const) assert.ok(caps[p], p);
    assert.equal(init.serverInfo?.name, 'kijun');
  });

  it('ships the kuromoji dictionary next to the bundle (raw, with its manifest)', () => {
    assert.ok(existsSync(join(root, 'dist', 'dict', 'manifest.json')));
    assert.ok(existsSync(join(root, 'dist', 'dict', 'base.dat')));
  });

  it('reports ready once the catalog is loaded', async () => {
    await waitFor('ready status', () => h.statuses.some((s) => s.state === 'ready' && s.uri === undefined), 30_000);
    assert.ok(!h.statuses.some((s) => s.state === 'error'), JSON.stringify(h.statuses));
  });

  it('pulls diagnostics for the unsaved buffer of a policy draft', async () => {
    const started = performance.now();
    open(h, sampleUri, readFileSync(samplePath, 'utf8'));
    const report = await pull(h, sampleUri);
    console.log(`# first diagnostics for the sample in ${(performance.now() - started).toFixed(0)} ms`);
    const gap = report.items.find((d) => d.code === 'numbering-gap' && msg(d).includes('第6条'));
    assert.ok(gap, JSON.stringify(report.items));
    assert.equal(gap.source, 'kijun');
    assert.equal(gap.range.start.line, 37);
    assert.ok(report.items.some((d) => d.code === 'unresolved-reference' && msg(d).includes('第12条')));
    for (const d of report.items) assert.ok(d.data && typeof (d.data as { version: unknown }).version === 'number');
    await waitFor('status count', () => h.statuses.some((s) => s.uri === sampleUri && s.findings === report.items.length));

    // An edit that is not saved yet: the answer is about the buffer, not the file on disk.
    void h.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: sampleUri, version: 2 },
      contentChanges: [{ text: readFileSync(samplePath, 'utf8').replace('### 第7条（情報セキュリティ責任者）', '### 第6条（情報セキュリティ責任者）') }],
    });
    const edited = await pull(h, sampleUri);
    assert.ok(!edited.items.some((d) => d.code === 'numbering-gap' && msg(d).includes('第6条がありません')), JSON.stringify(edited.items));
  });

  it('lists the articles as document symbols and resolves 前条', async () => {
    const symbols = await h.conn.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: sampleUri } });
    const names: string[] = [];
    const walk = (xs: DocumentSymbol[]) => xs.forEach((x) => (names.push(x.name), walk(x.children ?? [])));
    walk(symbols);
    for (const article of ['第1条（目的）', '第4条（最高情報セキュリティ責任者）', '第9条（情報資産の管理）']) assert.ok(names.includes(article), JSON.stringify(names));
    const lines = readFileSync(samplePath, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('前条に定める'));
    const links = await h.conn.sendRequest<LocationLink[]>('textDocument/definition', { textDocument: { uri: sampleUri }, position: { line, character: lines[line]!.indexOf('前条') + 1 } });
    assert.equal(links.length, 1);
    assert.match(lines[links[0]!.targetSelectionRange.start.line]!, /第4条/);
  });

  it('answers unchanged for the same version and settings', async () => {
    const first = await pull(h, sampleUri);
    const again = await h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: sampleUri }, previousResultId: first.resultId });
    assert.equal(again.kind, 'unchanged');
  });

  it('never answers a stale version with old results', async () => {
    const uri = 'untitled:stale.md';
    open(h, uri, '---\nkijun: {}\n---\n\n### 第1条（目的）\n\n本文\n\n### 第3条（定義）\n\n本文\n');
    // The edit is queued right behind the request, so it lands while the request waits for its settings.
    const pending = h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    void h.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: '---\nkijun: {}\n---\n\n### 第1条（目的）\n\n本文\n' }] });
    await assert.rejects(pending, (e: { code?: number; data?: { retriggerRequest?: boolean } }) => e.code === -32802 && e.data?.retriggerRequest === true);
    const fresh = await pull(h, uri);
    assert.ok(!fresh.items.some((d) => d.code === 'numbering-gap'), JSON.stringify(fresh.items));
  });

  it('waits for a pause in typing instead of analysing every keystroke', async () => {
    const uri = 'untitled:typing.md';
    const body = '---\nkijun: {}\n---\n\n### 第1条（目的）\n\n本文\n';
    open(h, uri, body);
    await pull(h, uri);
    void h.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${body}あ` }] });
    const during = h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    // The next keystroke comes well within the debounce window, so the first pull must give way to it.
    await new Promise((r) => setTimeout(r, 50));
    void h.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: `${body}あい` }] });
    await assert.rejects(during, (e: { code?: number }) => e.code === -32802);
    assert.equal((await pull(h, uri)).kind, 'full');
  });

  it('respects cancellation', async () => {
    // Hold the server inside its settings lookup, cancel, then let it continue: it must not answer with results.
    let release!: () => void;
    h.configGate = new Promise((r) => (release = r));
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const asked = h.configRequests;
    const source = new CancellationTokenSource();
    const pending = h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: sampleUri } }, source.token);
    await waitFor('settings request', () => h.configRequests > asked);
    // $/cancelRequest is written before the settings answer on the same ordered pipe.
    source.cancel();
    h.configGate = null;
    release();
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
  });

  it('gives ordinary Markdown no diagnostics until 「Kijunで検査」 asks for them', async () => {
    const uri = pathToFileURL(join(root, 'tests', 'e2e', 'workspace', 'notes.md')).href;
    open(h, uri, '# メモ\n\n### 第1条（目的）\n\n本文\n\n### 第3条（定義）\n\n本文\n');
    assert.deepEqual((await pull(h, uri)).items, []);
    const refreshesBefore = h.refreshes;
    assert.deepEqual(await h.conn.sendRequest('kijun/checkDocument', { uri }), { enabled: true });
    await waitFor('diagnostic refresh', () => h.refreshes > refreshesBefore);
    assert.ok((await pull(h, uri)).items.some((d) => d.code === 'numbering-gap'));
  });

  it('analyses files matching kijun.activation.globs', async () => {
    const uri = pathToFileURL('/tmp/drafts/みどり町情報セキュリティ対策基準.md').href;
    open(h, uri, '### 第1条（目的）\n\n本文\n\n### 第3条（定義）\n\n本文\n');
    assert.ok((await pull(h, uri)).items.some((d) => d.code === 'numbering-gap'));
  });

  it('checks a real policy from the corpus without failing', { skip: !existsSync(corpusPath) && 'corpus not present' }, async () => {
    const uri = pathToFileURL(corpusPath).href;
    open(h, uri, readFileSync(corpusPath, 'utf8'));
    await h.conn.sendRequest('kijun/checkDocument', { uri });
    const started = performance.now();
    const report = await pull(h, uri);
    console.log(`# corpus draft (${readFileSync(corpusPath, 'utf8').length} chars): ${report.items.length} diagnostics in ${(performance.now() - started).toFixed(0)} ms`);
    for (const d of report.items) assert.equal(d.source, 'kijun');
  });

  it('answers empty for unknown documents and positions past the end', async () => {
    const unknown = 'file:///nowhere/unknown.md';
    assert.deepEqual((await pull(h, unknown)).items, []);
    const far = { start: { line: 99999, character: 99999 }, end: { line: 100000, character: 0 } };
    assert.deepEqual(await h.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: unknown }, range: far, context: { diagnostics: [] } }), []);
    assert.deepEqual(await h.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: sampleUri }, range: far, context: { diagnostics: [] } }), []);
    assert.deepEqual(await h.conn.sendRequest('kijun/checkDocument', { uri: unknown }), { enabled: false });
    assert.deepEqual(await h.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: unknown } }), []);
    assert.deepEqual(await h.conn.sendRequest('textDocument/definition', { textDocument: { uri: sampleUri }, position: far.start }), []);
    const selections = await h.conn.sendRequest<unknown[]>('textDocument/selectionRange', { textDocument: { uri: sampleUri }, positions: [far.start] });
    assert.equal(selections.length, 1);
    assert.deepEqual(await h.conn.sendRequest('textDocument/references', { textDocument: { uri: sampleUri }, position: far.start, context: { includeDeclaration: true } }), []);
  });

  it('survives malformed settings: defaults plus a log message', async () => {
    const refreshesBefore = h.refreshes;
    h.settings = { enable: 'yes', activation: { globs: 42 } };
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await waitFor('diagnostic refresh', () => h.refreshes > refreshesBefore);
    const report = await pull(h, sampleUri);
    assert.ok(report.items.length > 0);
    assert.ok(h.logs.some((l) => l.type === 2 && l.message.includes('kijun.enable')), JSON.stringify(h.logs));
    h.settings = 'garbage';
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.ok((await pull(h, sampleUri)).items.length > 0);
  });

  it('turns off with kijun.enable = false and refreshes', async () => {
    h.settings = { enable: false };
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual((await pull(h, sampleUri)).items, []);
    h.settings = null;
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.ok((await pull(h, sampleUri)).items.length > 0);
  });

  it('shuts down and exits cleanly', async () => {
    await h.conn.sendRequest('shutdown');
    const exited = new Promise<number | null>((r) => h.proc.once('exit', (code) => r(code)));
    void h.conn.sendNotification('exit');
    assert.equal(await exited, 0);
  });
});
