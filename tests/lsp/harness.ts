/**
 * Drives the BUNDLED dist/server.js over stdio as an editor would: records what the server tells the client
 * (status, log lines, window messages) and answers its requests (settings, refreshes) from test-controlled state.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type FullDocumentDiagnosticReport,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export const root = resolve(import.meta.dirname, '..', '..');
export const serverJs = join(root, 'dist', 'server.js');

export interface Harness {
  readonly proc: ChildProcess;
  readonly conn: ProtocolConnection;
  readonly statuses: { state: string; message?: string; uri?: string; findings?: number }[];
  /** window/logMessage: type 1 error, 2 warning, 3 info, 4 log. */
  readonly logs: { type: number; message: string }[];
  /** window/showMessage notifications and window/showMessageRequest requests. */
  readonly shown: { type: number; message: string }[];
  /** The `kijun` section answered to workspace/configuration (for every scope). */
  settings: unknown;
  refreshes: number;
  /** When set, workspace/configuration answers only after this promise settles. */
  configGate: Promise<void> | null;
  /** workspace/configuration requests for a document (with a scopeUri). */
  configRequests: number;
  /** Everything the server wrote to stderr (a crash prints its stack there). */
  stderr: string;
}

export function startServer(): Harness {
  if (!existsSync(serverJs)) throw new Error('dist/server.js がありません。先に npm run build を実行してください');
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const h: Harness = { proc, conn, statuses: [], logs: [], shown: [], settings: null, refreshes: 0, configGate: null, configRequests: 0, stderr: '' };
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (d: string) => void (h.stderr += d));
  conn.onNotification('kijun/status', (p: Harness['statuses'][number]) => void h.statuses.push(p));
  conn.onNotification('window/logMessage', (p: { type: number; message: string }) => void h.logs.push(p));
  conn.onNotification('window/showMessage', (p: { type: number; message: string }) => void h.shown.push(p));
  conn.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => (h.shown.push(p), null));
  conn.onRequest('workspace/configuration', async (p: { items: { section?: string; scopeUri?: string }[] }) => {
    // Requests for a document's settings; the window-wide ones (kijun.catalog.path) are not counted.
    if (p.items.some((i) => i.scopeUri)) h.configRequests++;
    await h.configGate;
    return p.items.map((item) => sectionOf(h.settings, item.section));
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => void h.refreshes++);
  conn.onRequest('workspace/codeLens/refresh', () => null);
  conn.listen();
  return h;
}

/** `kijun.catalog` of `{ catalog: … }` when the server asks for a sub-section, the whole `kijun` object otherwise. */
function sectionOf(settings: unknown, section: string | undefined): unknown {
  if (!section || section === 'kijun') return settings;
  let v: unknown = settings;
  for (const key of section.split('.').slice(1)) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v ?? null;
}

export function initializeParams(folder = root) {
  return {
    processId: process.pid,
    rootUri: pathToFileURL(folder).href,
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'kijun' }],
    capabilities: {
      workspace: { configuration: true, diagnostics: { refreshSupport: true }, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: { diagnostic: { dynamicRegistration: false }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
    },
  };
}

/** Starts a server, initializes it on `folder` and waits until it is ready (catalog and dictionary loaded). */
export async function readyServer(folder = root): Promise<{ h: Harness; init: InitializeResult }> {
  const h = startServer();
  const init = await h.conn.sendRequest<InitializeResult>('initialize', initializeParams(folder));
  void h.conn.sendNotification('initialized', {});
  await waitFor('ready status', () => h.statuses.some((s) => s.state === 'ready' && s.uri === undefined), 30_000);
  return { h, init };
}

export async function stopServer(h: Harness): Promise<void> {
  if (h.proc.exitCode === null) {
    const exited = new Promise<void>((r) => h.proc.once('exit', () => r()));
    h.proc.kill();
    await exited;
  }
  h.conn.dispose();
}

export function open(h: Harness, uri: string, text: string, version = 1): void {
  void h.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
}

export function change(h: Harness, uri: string, version: number, text: string): void {
  void h.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
}

export function close(h: Harness, uri: string): void {
  void h.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

export async function pull(h: Harness, uri: string, previousResultId?: string): Promise<FullDocumentDiagnosticReport> {
  const report = await h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });
  assert.equal(report.kind, 'full');
  return report as FullDocumentDiagnosticReport;
}

export const msg = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

export async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A settings change as VS Code sends it: a notification, after which the server pulls the section again. */
export async function changeSettings(h: Harness, settings: unknown): Promise<void> {
  const refreshes = h.refreshes;
  h.settings = settings;
  void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await waitFor('diagnostic refresh after the settings change', () => h.refreshes > refreshes);
}

/** LSP error codes the tests expect. */
export const RequestCancelled = -32800;
export const ServerCancelled = -32802;
