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

/** Returned from activate() for tests and other extensions. */
export interface KijunApi {
  readonly client: LanguageClient;
  /** Resolves once the server has started and loaded the guideline catalog. */
  whenReady(): Promise<void>;
  /** The server's last (or else next) verdict on a document: its number of findings, or undefined when not analysed. */
  whenChecked(uri: vscode.Uri): Promise<number | undefined>;
  /** The coverage view (guideline sections → items). */
  readonly coverage: CoverageView;
}

const maxRestarts = 4;
const restartWindowMs = 3 * 60_000;

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
  const restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    diagnosticPullOptions: { onChange: true, onSave: true },
    errorHandler: {
      error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: () => {
        const now = Date.now();
        while (restarts.length > 0 && now - restarts[0]! > restartWindowMs) restarts.shift();
        if (restarts.length < maxRestarts) {
          restarts.push(now);
          const note = `言語サーバーが停止したため再起動します（${restarts.length}/${maxRestarts}）`;
          output.warn(note);
          status.update({ state: 'loading', message: note });
          return { action: CloseAction.Restart, handled: true };
        }
        const note = `言語サーバーが${maxRestarts}回停止したため、再起動を中止しました。「Kijun: ログを表示」で原因を確認してください`;
        output.error(note);
        status.update({ state: 'error', message: note });
        return { action: CloseAction.DoNotRestart, message: `Kijun: ${note}` };
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
      if (e.newState === State.Starting) status.update({ state: 'loading', message: '言語サーバーを起動中' });
    }),
    vscode.commands.registerCommand('kijun.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('kijun.checkDocument', (uri?: vscode.Uri) => checkDocument(lc, uri)),
    vscode.commands.registerCommand('kijun.showRoleMatrix', (uri?: vscode.Uri) => showRoleMatrix(lc, uri)),
    vscode.commands.registerCommand('kijun.explainDiagnostics', (uri?: vscode.Uri) => explainDiagnostics(lc, output, uri)),
    vscode.window.onDidChangeActiveTextEditor(() => status.render()),
  );

  status.update({ state: 'loading', message: '言語サーバーを起動中' });
  try {
    await lc.start();
  } catch (e) {
    const message = `言語サーバーを起動できません: ${e instanceof Error ? e.message : String(e)}`;
    output.error(message);
    status.update({ state: 'error', message });
  }
  const coverage = createCoverageView(lc, output);
  context.subscriptions.push(coverage);
  const whenChecked = (uri: vscode.Uri) => {
    const key = lc.code2ProtocolConverter.asUri(uri);
    if (checked.has(key)) return Promise.resolve(checked.get(key));
    return new Promise<number | undefined>((resolve) => waiters.set(key, [...(waiters.get(key) ?? []), resolve]));
  };
  return { client: lc, whenReady: () => ready, whenChecked, coverage };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
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
}

function createStatusBar(output: vscode.LogOutputChannel): StatusBar {
  const item = vscode.window.createStatusBarItem('kijun.status', vscode.StatusBarAlignment.Left, 0);
  item.name = 'Kijun';
  item.command = 'kijun.showOutput';
  let state: StatusParams['state'] = 'loading';
  let message = '';
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
    item.tooltip = `${message || 'Kijun'}（クリックでログを表示）`;
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
    dispose: () => item.dispose(),
  };
}
