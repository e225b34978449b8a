/**
 * The VS Code side of Kijun: starts the bundled language server, shows its status, offers its commands and
 * the coverage view.
 * Which Markdown files get analysed is decided by the server (front matter, kijun.activation.globs, or the
 * 「Kijunで検査」 command), so ordinary Markdown gets no Kijun diagnostics.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CheckDocumentRequest, ExplainRequest, RoleMatrixRequest, StatusNotification, type ExplainResult, type StatusParams } from '../../server/src/protocol';
import { createCoverageView, type CoverageView } from './coverageView';
import { RESTART_COMMAND, RestartPolicy } from './restartPolicy';

/** Returned from activate() for tests and other extensions. */
export interface KijunApi {
  readonly client: LanguageClient;
  /** Resolves once the server has started and loaded the guideline catalog. */
  whenReady(): Promise<void>;
  /** The server's last (or else next) verdict on a document: its number of findings, or undefined when not analysed. */
  whenChecked(uri: vscode.Uri): Promise<number | undefined>;
  /** The coverage view (guideline sections → items). */
  readonly coverage: CoverageView;
  /** The running server's process id, or undefined while it is stopped (tests kill it to check the restarts). */
  serverProcessId(): number | undefined;
  /** What the status bar shows, and how often the server was restarted automatically in the current window. */
  serverStatus(): {
    readonly state: StatusParams['state'];
    readonly text: string;
    readonly tooltip: string;
    readonly restarts: number;
    readonly gaveUp: boolean;
    /** The last line logged about an automatic restart (or giving up), if any. */
    readonly lastRestartMessage: string | undefined;
  };
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<KijunApi> {
  const output = vscode.window.createOutputChannel('Kijun', { log: true });
  const status = createStatusBar(output);
  context.subscriptions.push(output, status);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const restartPolicy = new RestartPolicy();
  let lastRestartMessage: string | undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    diagnosticPullOptions: { onChange: true, onSave: true },
    errorHandler: {
      // Failed writes to a dead server are followed by the connection closing, and closed() decides about
      // restarts. Shutting down here would bypass that decision (stop() skips closed()) and leave the server
      // stopped without a word after a crash that happened while the editor was busy sending.
      error: (error, _message, count) => {
        if (count === 1) output.warn(`言語サーバーとの通信に失敗しました: ${error.message}`);
        return { action: ErrorAction.Continue, handled: true };
      },
      closed: () => {
        const decision = restartPolicy.onClosed();
        lastRestartMessage = decision.message;
        if (decision.restart) {
          // The status bar follows with 「再起動中」 when the client enters Starting.
          output.warn(decision.message);
          return { action: CloseAction.Restart, handled: true };
        }
        // Logged to the output channel by the status bar.
        status.update({ state: 'error', message: decision.message });
        status.offerRestart(true);
        void vscode.window.showErrorMessage(`Kijun: ${decision.message}`, '再起動', 'ログを表示').then((choice) => {
          if (choice === '再起動') void vscode.commands.executeCommand(RESTART_COMMAND);
          else if (choice === 'ログを表示') output.show(true);
        });
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };

  const lc = new LanguageClient('kijun', 'Kijun', serverOptions, clientOptions);
  client = lc;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const checked = new Map<string, number | undefined>();
  const waiters = new Map<string, ((findings: number | undefined) => void)[]>();
  context.subscriptions.push(
    lc.onNotification(StatusNotification.type, (params) => {
      status.update(params);
      if (params.uri !== undefined) {
        checked.set(params.uri, params.findings);
        for (const resolve of waiters.get(params.uri) ?? []) resolve(params.findings);
        waiters.delete(params.uri);
      } else if (params.state === 'ready') markReady();
    }),
    lc.onDidChangeState((e) => {
      if (e.newState !== State.Starting) return;
      // Verdicts of a previous server process say nothing about the new one.
      checked.clear();
      const restarts = restartPolicy.recentRestarts;
      status.update({ state: 'loading', message: restarts > 0 ? `言語サーバーを再起動中（${restarts}/${restartPolicy.maxRestarts}）` : '言語サーバーを起動中' });
    }),
    vscode.commands.registerCommand('kijun.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(RESTART_COMMAND, () => restartServer(lc, restartPolicy, status, output)),
    vscode.commands.registerCommand('kijun.checkDocument', (uri?: vscode.Uri) => checkDocument(lc, uri)),
    vscode.commands.registerCommand('kijun.showRoleMatrix', (uri?: vscode.Uri) => showRoleMatrix(lc, uri)),
    vscode.commands.registerCommand('kijun.explainDiagnostics', (uri?: vscode.Uri) => explainDiagnostics(lc, output, uri)),
    vscode.window.onDidChangeActiveTextEditor(() => status.render()),
  );

  status.update({ state: 'loading', message: '言語サーバーを起動中' });
  try {
    await lc.start();
  } catch (e) {
    status.update({ state: 'error', message: `言語サーバーを起動できません: ${e instanceof Error ? e.message : String(e)}` });
  }
  const coverage = createCoverageView(lc, output);
  context.subscriptions.push(coverage);
  const whenChecked = (uri: vscode.Uri) => {
    const key = lc.code2ProtocolConverter.asUri(uri);
    if (checked.has(key)) return Promise.resolve(checked.get(key));
    return new Promise<number | undefined>((resolve) => waiters.set(key, [...(waiters.get(key) ?? []), resolve]));
  };
  return {
    client: lc,
    whenReady: () => ready,
    whenChecked,
    coverage,
    serverProcessId: () => (lc.state === State.Running ? lc.serverProcess?.pid : undefined),
    serverStatus: () => ({ ...status.snapshot(), restarts: restartPolicy.recentRestarts, gaveUp: restartPolicy.gaveUp, lastRestartMessage }),
  };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/** 「Kijun: 言語サーバーを再起動」: starts a server the restart policy gave up on, or restarts a running one. */
async function restartServer(lc: LanguageClient, policy: RestartPolicy, status: StatusBar, output: vscode.LogOutputChannel): Promise<void> {
  policy.reset();
  status.offerRestart(false);
  output.info('言語サーバーを再起動します（コマンド）');
  try {
    if (lc.state === State.Running) await lc.restart();
    else await lc.start();
  } catch (e) {
    status.update({ state: 'error', message: `言語サーバーを再起動できません: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** 「診断が出ない理由を表示」: the server's explanation, as a notification and in the output channel. */
async function explainDiagnostics(lc: LanguageClient, output: vscode.LogOutputChannel, uri: vscode.Uri | undefined): Promise<ExplainResult | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showWarningMessage('Kijun: 理由を調べるファイルを開いてください');
    return undefined;
  }
  const result = await lc.sendRequest(ExplainRequest.type, { uri: lc.code2ProtocolConverter.asUri(target) });
  output.info(`診断の状況: ${target.toString(true)}`);
  for (const line of result.details) output.info(`  ${line}`);
  void vscode.window.showInformationMessage(`Kijun: ${result.summary}`, 'ログを表示').then((choice) => (choice ? output.show(true) : undefined));
  return result;
}

/** Opens the role/approval matrix of a draft as a Markdown document beside it, rendered as a preview. */
async function showRoleMatrix(lc: LanguageClient, uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showWarningMessage('Kijun: 役割・承認の一覧を表示するポリシーの草案を開いてください');
    return undefined;
  }
  const result = await lc.sendRequest(RoleMatrixRequest.type, { uri: lc.code2ProtocolConverter.asUri(target), format: 'md' });
  if (result.content === null) {
    void vscode.window.showWarningMessage(`Kijun: ${result.message ?? '役割・承認の一覧を作成できません'}`);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ content: result.content, language: 'markdown' });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  return doc;
}

async function checkDocument(lc: LanguageClient, uri: vscode.Uri | undefined): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showWarningMessage('Kijun: 検査するファイルを開いてください');
    return;
  }
  const document = await vscode.workspace.openTextDocument(target);
  await vscode.window.showTextDocument(document, { preview: false });
  if (document.languageId !== 'markdown') {
    void vscode.window.showWarningMessage('Kijun: Markdown ファイルだけを検査できます');
    return;
  }
  const result = await lc.sendRequest(CheckDocumentRequest.type, { uri: lc.code2ProtocolConverter.asUri(document.uri) });
  if (!result.enabled) void vscode.window.showWarningMessage('Kijun: このファイルを検査できませんでした');
}

interface StatusBar extends vscode.Disposable {
  update(params: StatusParams): void;
  render(): void;
  /** While the server is stopped for good, a click on the item restarts it instead of showing the log. */
  offerRestart(on: boolean): void;
  snapshot(): { readonly state: StatusParams['state']; readonly text: string; readonly tooltip: string };
}

function createStatusBar(output: vscode.LogOutputChannel): StatusBar {
  const item = vscode.window.createStatusBarItem('kijun.status', vscode.StatusBarAlignment.Left, 0);
  item.name = 'Kijun';
  item.command = 'kijun.showOutput';
  let state: StatusParams['state'] = 'loading';
  let message = '';
  let restartOffered = false;
  const counts = new Map<string, number>();

  function render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    item.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (state === 'error') {
      item.text = '$(error) Kijun: エラー';
    } else if (state === 'loading') {
      item.text = '$(sync~spin) Kijun: 読み込み中';
    } else {
      const count = doc ? counts.get(doc.uri.toString()) : undefined;
      item.text = count === undefined ? '$(check) Kijun' : `$(checklist) Kijun: ${count}件`;
    }
    item.command = restartOffered ? RESTART_COMMAND : 'kijun.showOutput';
    item.tooltip = `${message || 'Kijun'}（${restartOffered ? 'クリックで言語サーバーを再起動' : 'クリックでログを表示'}）`;
    // Only worth the space next to Markdown, or when something needs the user's attention.
    if (state !== 'ready' || doc?.languageId === 'markdown') item.show();
    else item.hide();
  }

  return {
    update(params) {
      if (params.uri !== undefined) {
        if (params.findings === undefined) counts.delete(params.uri);
        else counts.set(params.uri, params.findings);
      } else {
        state = params.state;
        message = params.message ?? (state === 'ready' ? '準備完了' : '');
        if (params.message && state === 'error') output.error(params.message);
        else if (params.message) output.info(params.message);
      }
      render();
    },
    render,
    offerRestart(on) {
      restartOffered = on;
      render();
    },
    snapshot: () => ({ state, text: item.text, tooltip: typeof item.tooltip === 'string' ? item.tooltip : '' }),
    dispose: () => item.dispose(),
  };
}
