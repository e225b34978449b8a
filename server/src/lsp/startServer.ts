/**
 * Capability negotiation and the wiring table: one line per LSP method, each guarded so that an exception
 * becomes a logged error and an empty answer instead of a crashed server.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeActionParams,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import {
  CheckDocumentRequest,
  CoverageReportRequest,
  CoverageRequest,
  ExplainRequest,
  RoleMatrixRequest,
  StatusNotification,
  type CheckDocumentParams,
  type CheckDocumentResult,
  type CoverageParams,
  type CoverageReportParams,
  type CoverageReportResult,
  type CoverageResult,
  type ExplainParams,
  type ExplainResult,
  type RoleMatrixParams,
  type RoleMatrixResult,
  type StatusParams,
} from '../protocol';
import { createPolicyService, type FeatureOptions, type PolicyService, type Tokenizer } from '../service';
import { parsePolicy } from '../service/parse';
import type { Logger } from '../service/types';
import { sharedTokenizer } from '../morph/kuromoji';
import pkg from '../../../package.json';
import { createActivation } from './activation';
import * as convert from './convert';
import { createDiagnostics, emptyReport } from './diagnostics';
import { CatalogSource } from '../workspace/catalog';
import { createWorkspaceRoles } from '../workspace/roles';
import { createDocumentStore, type Snapshot } from './documents';
import { applyRules, createSettingsStore, type PolicyConfig } from './settings';

export function startServer(connection: Connection): void {
  const verbose = process.env.KIJUN_LOG === 'trace';
  const logger: Logger = {
    log(level, message) {
      if (level === 'trace') {
        if (verbose) connection.console.log(message);
      } else connection.console[level](message);
    },
  };
  const status = (params: StatusParams) => void connection.sendNotification(StatusNotification.method, params).catch(() => undefined);
  const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

  // The service answers with structure findings at once and adds alignment findings once kuromoji is loaded.
  let tokenizer: Tokenizer | undefined;
  /** Why the dictionary could not be loaded, when it could not: then only structure is checked. */
  let tokenizerError: string | undefined;
  let service: PolicyService | undefined;
  /** The bundled guideline catalog, or the one kijun.catalog.path names (read, checked, inside the workspace). */
  const catalogs = new CatalogSource();
  function getService(): PolicyService {
    service ??= createPolicyService({
      catalog: catalogs.current(),
      parse: parsePolicy,
      tokenizer: () => tokenizer,
      workspaceRoleDefinitions: (uri) => workspaceRoles.definitionsFor(uri),
      logger,
    });
    return service;
  }

  function startUp(): void {
    const started = Date.now();
    status({ state: 'loading', message: 'ガイドラインのカタログを読み込み中' });
    let items: number;
    try {
      items = getService().catalog.items.length;
    } catch (e) {
      logger.log('error', `起動に失敗しました / startup failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      status({ state: 'error', message: `起動に失敗しました: ${describe(e)}` });
      return;
    }
    status({ state: 'loading', message: '形態素解析の辞書を読み込み中' });
    sharedTokenizer().then(
      (loaded) => {
        tokenizer = loaded;
        // Build the alignment index now rather than inside the first diagnostic request.
        getService().isAlignmentReady();
        logger.log('info', `Kijun の準備ができました（カタログ ${items} 項目, ${Date.now() - started} ms）`);
        status({ state: 'ready', message: '準備完了' });
        refreshDiagnostics();
      },
      (e: unknown) => {
        logger.log('error', describe(e));
        tokenizerError = describe(e);
        status({ state: 'error', message: `辞書を読み込めないため、構成の検査だけを行います: ${describe(e)}` });
      },
    );
  }

  const documents = createDocumentStore(connection);
  const workspaceRoles = createWorkspaceRoles(logger);
  const activation = createActivation();
  let canPullSettings = false;
  let canRefresh = false;
  let canRefreshLenses = false;
  let watchFolders = false;
  const settings = createSettingsStore(connection, logger, () => canPullSettings);
  const diagnostics = createDiagnostics({
    documents,
    settings,
    activation,
    service: getService,
    beforeAnalysis: (uri) => (tokenizer ? workspaceRoles.refresh(uri, getService()) : Promise.resolve()),
    reportCount: (uri, findings) => {
      status(findings === undefined ? { state: 'ready', uri } : { state: 'ready', uri, findings });
      if (findings !== undefined) scheduleLensRefresh();
    },
  });

  function guard<P, R>(method: string, fallback: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await handler(params, token);
      } catch (e) {
        if (e instanceof ResponseError && (e.code === LSPErrorCodes.RequestCancelled || e.code === LSPErrorCodes.ServerCancelled)) throw e;
        logger.log('error', `${method}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  }
  function guardNotification<P>(method: string, handler: (params: P) => void | Promise<void>) {
    return (params: P): void => void guard(method, undefined, (p: P) => handler(p))(params, { isCancellationRequested: false } as CancellationToken);
  }

  /** The settings last resolved for each open document, for the synchronous feature handlers. */
  const configCache = new Map<string, PolicyConfig>();

  /** The snapshot of an open document that Kijun analyses, or undefined (unknown or not a policy). */
  async function enabledDocument(uri: string): Promise<Snapshot | undefined> {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const config = await settings.get(uri);
    // Closed or edited while the settings were read: analysing it now would answer about a text the editor no
    // longer has (and cache a closed document's analysis).
    if (documents.get(uri) !== doc) return undefined;
    configCache.set(uri, config);
    return activation.isEnabled(uri, doc.getText(), config) ? doc : undefined;
  }

  // Code lenses show coverage: once a document's analysis is fresh, the client re-asks (cheap: the alignment is cached).
  let lensTimer: NodeJS.Timeout | undefined;
  function scheduleLensRefresh(): void {
    if (!canRefreshLenses) return;
    clearTimeout(lensTimer);
    lensTimer = setTimeout(() => void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined), 300);
  }

  let workspaceFolders: string[] = [];
  let catalogUpdates = Promise.resolve();
  let catalogErrorShown: string | undefined;
  /**
   * Applies kijun.catalog.path (after start, settings and folder changes; one at a time). A new catalog means a
   * new service; a refused file is logged and shown once, and the bundled catalog stays in use.
   */
  function updateCatalog(): void {
    catalogUpdates = catalogUpdates.then(async () => {
      const { catalogPath } = await settings.global();
      const result = await catalogs.apply(catalogPath, workspaceFolders);
      if (result.error) {
        logger.log('error', `kijun.catalog.path: ${result.error}`);
        if (catalogErrorShown !== result.error) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `Kijun: ${result.error}（同梱のカタログを使います）` }).catch(() => undefined);
        catalogErrorShown = result.error;
      } else catalogErrorShown = undefined;
      if (!result.changed) return;
      logger.log('info', result.message ?? '');
      service = undefined;
      // Build the new alignment index now rather than inside the next diagnostic request.
      if (tokenizer) getService().isAlignmentReady();
      refreshDiagnostics();
    }).catch((e: unknown) => logger.log('error', `kijun.catalog.path: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  }

  function refreshDiagnostics(): void {
    diagnostics.invalidate();
    if (canRefresh) connection.languages.diagnostics.refresh().catch((e: unknown) => logger.log('warn', `diagnostic refresh failed: ${String(e)}`));
    // Code lenses appear once alignment is ready and change with the settings.
    if (canRefreshLenses) connection.sendRequest('workspace/codeLens/refresh').catch((e: unknown) => logger.log('warn', `code lens refresh failed: ${String(e)}`));
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canPullSettings = params.capabilities.workspace?.configuration === true;
    canRefresh = params.capabilities.workspace?.diagnostics?.refreshSupport === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    // vscode-languageserver throws on subscribing to folder changes the client never sends.
    watchFolders = params.capabilities.workspace?.workspaceFolders === true;
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
    activation.setWorkspaceFolders(workspaceFolders);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        diagnosticProvider: { identifier: 'kijun', interFileDependencies: false, workspaceDiagnostics: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        completionProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: { label: 'Kijun' },
        foldingRangeProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        selectionRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kijun', version: pkg.version },
    };
  });

  connection.onInitialized(() => {
    if (canPullSettings) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kijun' }).catch(() => undefined);
    if (watchFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guardNotification('workspace/didChangeWorkspaceFolders', async () => {
          workspaceFolders = ((await connection.workspace.getWorkspaceFolders()) ?? []).map((f) => f.uri);
          activation.setWorkspaceFolders(workspaceFolders);
          refreshDiagnostics();
          updateCatalog();
        }),
      );
    }
    // Load after answering `initialized`, so that startup never delays the first requests.
    setImmediate(startUp);
    updateCatalog();
  });

  documents.onDidClose((uri) => {
    activation.forget(uri);
    settings.forget(uri);
    service?.forget(uri);
  });

  /** Runs `fn` on an analysed document; unknown and non-policy documents get `fallback`. */
  function onDoc<P extends { textDocument: { uri: string } }, R>(method: string, fallback: R, fn: (doc: Snapshot, service: PolicyService, params: P, token: CancellationToken) => R) {
    return guard(method, fallback, async (params: P, token) => {
      const doc = await enabledDocument(params.textDocument.uri);
      if (!doc || token.isCancellationRequested) return fallback;
      const answer = fn(doc, getService(), params, token);
      if (token.isCancellationRequested) return fallback;
      return answer;
    });
  }

  function optionsOf(config: PolicyConfig | undefined): FeatureOptions {
    return config ? { selfReference: config.selfReference, recommendedMarker: config.recommendedMarker } : {};
  }
  const withConfig = (uri: string): Promise<PolicyConfig> => settings.get(uri);
  documents.onDidClose((uri) => configCache.delete(uri));

  async function coverage(p: CoverageParams, token: CancellationToken): Promise<CoverageResult> {
    const doc = await enabledDocument(p.uri);
    if (!doc) return { uri: p.uri, version: 0, ready: false, message: 'Kijun が検査していない文書です', items: [] };
    const config = await withConfig(p.uri);
    const data = getService().getCoverageView(doc, optionsOf(config), token);
    if (!data) return { uri: p.uri, version: doc.version, ready: false, message: '形態素解析の辞書を読み込み中です', items: [] };
    return { uri: p.uri, version: doc.version, ready: true, summary: data.summary, items: convert.toCoverageItems(data, doc.lineIndex) };
  }

  /** 「診断が出ない理由を表示」: what decides whether and how a document is checked, in the user's terms. */
  async function explain(p: ExplainParams): Promise<ExplainResult> {
    const doc = documents.get(p.uri);
    if (!doc) return { summary: 'この文書はサーバーに開かれていません（Markdown ファイルを開いてから実行してください）', details: [] };
    const config = await settings.get(p.uri);
    const reason = activation.reason(p.uri, doc.getText(), config);
    const details: string[] = [];
    const why: Record<typeof reason, string> = {
      disabled: '設定 kijun.enable が false のため、検査していません。',
      command: '「Kijunで検査」で検査対象にした文書です。',
      'front-matter': 'フロントマターに kijun: または policy: があるため検査しています。',
      glob: `ファイル名が設定 kijun.activation.globs（${config.activationGlobs.join('、')}）に合うため検査しています。`,
      'not-a-policy': `ポリシーの草案と判定していません。フロントマターに kijun: を書くか、kijun.activation.globs（${config.activationGlobs.join('、')}）に合う名前にするか、コマンド「Kijunで検査」を実行してください。`,
    };
    details.push(why[reason]);
    if (reason === 'disabled' || reason === 'not-a-policy') return { summary: why[reason], details };
    if (catalogs.file) details.push(`ガイドラインのカタログ: ${catalogs.file}（設定 kijun.catalog.path、${getService().catalog.guideline.edition}）`);
    if (tokenizerError) details.push(`形態素解析の辞書を読み込めなかったため、構成（番号・参照）だけを検査しています: ${tokenizerError}`);
    else if (!tokenizer) details.push('形態素解析の辞書を読み込み中です。読み込みが終わるとガイドラインとの照合・役割の検査が加わります。');
    const off = Object.entries(config.rules).filter(([, v]) => v === 'off').map(([k]) => k);
    if (off.length > 0) details.push(`設定 kijun.rules で無効にしている検査: ${off.join('、')}`);
    const findings = getService().getDiagnostics(doc).flatMap((f) => applyRules(f, config) ?? []);
    const parsed = getService().getParsed(doc);
    details.push(`文書の種類: ${{ 'basic-policy': '基本方針', standards: '対策基準', procedures: '実施手順', combined: '基本方針及び対策基準', unknown: '不明（本文から推定）' }[parsed.kind]}、条項 ${parsed.provisions.length} 件（最上位）`);
    const coverage = getService().getCoverage(doc);
    if (coverage && coverage.parts.length === 0) details.push('本文がガイドラインの例文のどの部分にも対応しないため、必須項目の照合は行っていません。');
    details.push(`現在の指摘: ${findings.length} 件`);
    return { summary: findings.length === 0 ? `指摘はありません。${details[0]}` : `${findings.length} 件の指摘があります。${details[0]}`, details };
  }

  async function coverageReport(p: CoverageReportParams, token: CancellationToken): Promise<CoverageReportResult> {
    const doc = await enabledDocument(p.uri);
    if (!doc) return { content: null, message: 'Kijun が検査していない文書です' };
    const file = decodeURIComponent(p.uri.replace(/^.*\//, ''));
    const content = getService().renderCoverageReport(doc, file, p.format === 'csv' ? 'csv' : 'md', token);
    return content === null ? { content: null, message: '形態素解析の辞書を読み込み中です。少し待ってからもう一度実行してください' } : { content };
  }

  // The wiring table: one line per method. Positions past the end clamp to the end (LineIndex.offsetAt).
  connection.languages.diagnostics.on(guard('textDocument/diagnostic', emptyReport, diagnostics.pull));
  connection.onCodeAction(guard('textDocument/codeAction', [], async (p: CodeActionParams, token) => {
    const doc = await enabledDocument(p.textDocument.uri);
    if (!doc || token.isCancellationRequested) return [];
    const config = await withConfig(doc.uri);
    const range = { start: convert.toOffset(p.range.start, doc.lineIndex), end: convert.toOffset(p.range.end, doc.lineIndex) };
    const actions = getService().getCodeActions(doc, range, optionsOf(config), token).filter((a) => applyRules(a.finding, config) !== null);
    return actions.map((a) => convert.toCodeAction(a, doc.uri, doc.lineIndex, p.context.diagnostics));
  }));
  connection.onHover(onDoc('textDocument/hover', null, (doc, s, p, token) => { const h = s.getHover(doc, convert.toOffset(p.position, doc.lineIndex), optionsOf(configCache.get(doc.uri)), token); return h ? convert.toHover(h, doc.lineIndex) : null; }));
  connection.onCompletion(onDoc('textDocument/completion', [], (doc, s, p) => s.getCompletions(doc, convert.toOffset(p.position, doc.lineIndex), optionsOf(configCache.get(doc.uri))).map((c) => convert.toCompletionItem(c, doc.lineIndex))));
  connection.onCodeLens(onDoc('textDocument/codeLens', [], (doc, s, _p, token) => s.getCodeLenses(doc, token).map((l) => convert.toCodeLens(l, doc.uri, doc.lineIndex))));
  connection.onRequest(CoverageRequest.method, guard(CoverageRequest.method, { uri: '', version: 0, ready: false, items: [] } as CoverageResult, coverage));
  connection.onRequest(CoverageReportRequest.method, guard(CoverageReportRequest.method, { content: null } as CoverageReportResult, coverageReport));
  connection.onDocumentSymbol(onDoc('textDocument/documentSymbol', [], (doc, s) => s.getDocumentSymbols(doc).map((x) => convert.toDocumentSymbol(x, doc.lineIndex))));
  connection.onFoldingRanges(onDoc('textDocument/foldingRange', [], (doc, s) => s.getFoldingRanges(doc).map(convert.toFoldingRange)));
  connection.onDefinition(onDoc('textDocument/definition', [], (doc, s, p) => {
    const link = s.getDefinition(doc, convert.toOffset(p.position, doc.lineIndex));
    if (!link) return [];
    // A role appointed in another file of the folder: its position is in that file.
    const targetIndex = link.targetUri ? workspaceRoles.lineIndexOf(link.targetUri) : doc.lineIndex;
    return targetIndex ? [convert.toLocationLink(link, link.targetUri ?? doc.uri, doc.lineIndex, targetIndex)] : [];
  }));
  connection.onPrepareRename(onDoc('textDocument/prepareRename', null, (doc, s, p) => {
    const role = s.getRoleAt(doc, convert.toOffset(p.position, doc.lineIndex));
    return role ? { range: convert.toRange(role.range, doc.lineIndex), placeholder: doc.getText().slice(role.range.start, role.range.end) } : null;
  }));
  connection.onRenameRequest(onDoc('textDocument/rename', null, (doc, s, p) => {
    const result = s.getRenameEdits(doc, convert.toOffset(p.position, doc.lineIndex), p.newName);
    if (!result) return null;
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return { changes: { [doc.uri]: result.edits.map((e) => ({ range: convert.toRange(e.range, doc.lineIndex), newText: e.newText })) } };
  }));
  connection.onRequest(ExplainRequest.method, guard(ExplainRequest.method, { summary: '', details: [] } as ExplainResult, explain));
  connection.onRequest(RoleMatrixRequest.method, guard(RoleMatrixRequest.method, { content: null } as RoleMatrixResult, async (p: RoleMatrixParams) => {
    const doc = await enabledDocument(p.uri);
    if (!doc) return { content: null, message: 'Kijun が検査していない文書です' };
    const content = getService().renderRoleMatrix(doc, p.format ?? 'md');
    return content === null ? { content: null, message: '形態素解析の辞書を読み込み中です。少し待ってからもう一度実行してください' } : { content };
  }));
  connection.onReferences(onDoc('textDocument/references', [], (doc, s, p) => s.getReferences(doc, convert.toOffset(p.position, doc.lineIndex), p.context.includeDeclaration).map((r) => convert.toLocation(r, doc.uri, doc.lineIndex))));
  connection.onSelectionRanges(onDoc('textDocument/selectionRange', [], (doc, s, p) => s.getSelectionRanges(doc, p.positions.map((x) => convert.toOffset(x, doc.lineIndex))).map((r) => convert.toSelectionRange(r, doc.lineIndex))));
  connection.onDocumentLinks(onDoc('textDocument/documentLink', [], (doc, s) => s.getDocumentLinks(doc).map((l) => convert.toDocumentLink(l, doc.uri, doc.lineIndex))));
  connection.onRequest(CheckDocumentRequest.method, guard(CheckDocumentRequest.method, { enabled: false } as CheckDocumentResult, (p: CheckDocumentParams) => (documents.get(p.uri) ? (activation.enable(p.uri), refreshDiagnostics(), { enabled: true }) : { enabled: false })));
  connection.onDidChangeConfiguration(guardNotification('workspace/didChangeConfiguration', (p) => (settings.invalidate(p.settings), refreshDiagnostics(), updateCatalog())));
  connection.onShutdown(() => logger.log('info', 'Kijun サーバーを終了します'));
}
