/**
 * The coverage view: the guideline's sections and items for the active policy draft, each with its status,
 * from the server's `kijun/coverage`; clicking an item reveals the clause that says it, or the place where
 * its standard wording would be inserted. Also the 対応表 export (Markdown / CSV) through `kijun/coverageReport`.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CoverageReportRequest,
  CoverageRequest,
  SHOW_COVERAGE_COMMAND,
  type CoverageItemData,
  type CoverageReportFormat,
  type CoverageResult,
  type CoverageStatus,
} from '../../server/src/protocol';

export const COVERAGE_VIEW_ID = 'kijun.coverage';

const STATUS_JA: Record<CoverageStatus, string> = {
  covered: '対応',
  partial: '一部対応',
  missing: '未対応',
  'not-applicable': '対象外',
  omitted: '省略',
};

function iconFor(item: CoverageItemData): vscode.ThemeIcon {
  switch (item.status) {
    case 'covered':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'partial':
      return new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('list.warningForeground'));
    case 'missing':
      return item.recommended ? new vscode.ThemeIcon('circle-outline') : new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'not-applicable':
      return new vscode.ThemeIcon('circle-slash');
    case 'omitted':
      return new vscode.ThemeIcon('dash');
  }
}

function describe(item: CoverageItemData): string {
  const status = item.recommended && item.status === 'missing' ? '推奨・未採用' : STATUS_JA[item.status];
  const parts = [status, item.recommended && item.status === 'covered' ? (item.adopted ? '推奨・明記済み' : '推奨・未明記') : '', item.reason ?? ''];
  return parts.filter(Boolean).join('・');
}

export interface CoverageView extends vscode.Disposable {
  /** Shows a document's coverage and reveals a guideline section in it. */
  show(uri: vscode.Uri, sectionId?: string): Promise<void>;
  /** The data on display (for tests). */
  current(): CoverageResult | undefined;
}

export function createCoverageView(lc: LanguageClient, output: vscode.LogOutputChannel): CoverageView {
  let uri: vscode.Uri | undefined;
  let data: CoverageResult | undefined;
  let byId = new Map<string, CoverageItemData>();
  let children = new Map<string | null, CoverageItemData[]>();
  const changed = new vscode.EventEmitter<CoverageItemData | undefined>();

  const provider: vscode.TreeDataProvider<CoverageItemData> = {
    onDidChangeTreeData: changed.event,
    getChildren: (element) => children.get(element?.id ?? null) ?? [],
    getParent: (element) => (element.parent ? byId.get(element.parent) : undefined),
    getTreeItem(item) {
      const hasChildren = (children.get(item.id)?.length ?? 0) > 0;
      const collapsed = item.status === 'covered' || item.status === 'not-applicable' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
      const t = new vscode.TreeItem(item.label, hasChildren ? (item.level === 'section' || item.level === 'subsection' ? vscode.TreeItemCollapsibleState.Collapsed : collapsed) : vscode.TreeItemCollapsibleState.None);
      t.id = `${data?.uri ?? ''}#${item.id}`;
      t.description = describe(item);
      t.iconPath = iconFor(item);
      t.tooltip = new vscode.MarkdownString(`**${item.id}** ${describe(item)}\n\n${item.label}`);
      t.contextValue = `kijun.coverage.${item.status}`;
      if (uri && (item.range || item.insertAt)) t.command = { title: '移動', command: 'kijun.revealCoverageItem', arguments: [uri, item] };
      return t;
    },
  };
  const view = vscode.window.createTreeView(COVERAGE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });

  async function load(target: vscode.Uri | undefined): Promise<void> {
    uri = target;
    if (!target) {
      data = undefined;
      byId = new Map();
      children = new Map();
      view.message = 'ポリシーの草案（Markdown）を開いてください';
      view.description = undefined;
      changed.fire(undefined);
      return;
    }
    try {
      data = await lc.sendRequest(CoverageRequest.type, { uri: lc.code2ProtocolConverter.asUri(target) });
    } catch (e) {
      output.warn(`対応状況を取得できません: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    byId = new Map(data.items.map((i) => [i.id, i]));
    children = new Map();
    for (const i of data.items) {
      const parent = i.parent && byId.has(i.parent) ? i.parent : null;
      const list = children.get(parent) ?? [];
      list.push(i);
      children.set(parent, list);
    }
    const s = data.summary;
    view.message = data.ready ? undefined : (data.message ?? '準備中です');
    view.description = s ? `対応 ${s.covered}/${s.total}・未対応 ${s.missing}・推奨採用 ${s.recommendedAdopted}` : undefined;
    changed.fire(undefined);
  }

  const policyEditor = (): vscode.Uri | undefined => {
    const doc = vscode.window.activeTextEditor?.document;
    return doc?.languageId === 'markdown' ? doc.uri : undefined;
  };

  let timer: NodeJS.Timeout | undefined;
  const scheduleReload = (): void => {
    if (!view.visible) return;
    clearTimeout(timer);
    timer = setTimeout(() => void load(policyEditor() ?? uri), 400);
  };

  const subscriptions: vscode.Disposable[] = [
    view,
    changed,
    view.onDidChangeVisibility((e) => e.visible && scheduleReload()),
    vscode.window.onDidChangeActiveTextEditor((e) => e?.document.languageId === 'markdown' && scheduleReload()),
    // Diagnostics arrive after each analysis: the coverage is fresh by then.
    vscode.languages.onDidChangeDiagnostics((e) => uri && e.uris.some((u) => u.toString() === uri!.toString()) && scheduleReload()),
    vscode.commands.registerCommand('kijun.refreshCoverage', () => load(policyEditor() ?? uri)),
    vscode.commands.registerCommand('kijun.revealCoverageItem', async (target: vscode.Uri, item: CoverageItemData) => {
      const editor = await vscode.window.showTextDocument(target, { preserveFocus: false, preview: false });
      const range = item.range
        ? new vscode.Range(item.range.start.line, item.range.start.character, item.range.end.line, item.range.end.character)
        : new vscode.Range(item.insertAt!.line, item.insertAt!.character, item.insertAt!.line, item.insertAt!.character);
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
    vscode.commands.registerCommand(SHOW_COVERAGE_COMMAND, async (target?: string | vscode.Uri, sectionId?: string) => {
      const u = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? policyEditor());
      if (!u) {
        void vscode.window.showWarningMessage('Kijun: ポリシーの草案を開いてください');
        return;
      }
      await show(u, sectionId);
    }),
    vscode.commands.registerCommand('kijun.exportCoverage', (target?: vscode.Uri, format?: CoverageReportFormat) => exportCoverage(target ?? policyEditor() ?? uri, format)),
  ];

  async function show(target: vscode.Uri, sectionId?: string): Promise<void> {
    await vscode.commands.executeCommand(`${COVERAGE_VIEW_ID}.focus`);
    await load(target);
    const item = sectionId ? byId.get(sectionId) : undefined;
    if (item) await view.reveal(item, { select: true, focus: false, expand: true });
  }

  async function exportCoverage(target: vscode.Uri | undefined, format: CoverageReportFormat | undefined): Promise<vscode.TextDocument | undefined> {
    if (!target) {
      void vscode.window.showWarningMessage('Kijun: 対応表を出力するポリシーの草案を開いてください');
      return undefined;
    }
    const chosen =
      format ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'Markdown', description: '表として文書に貼り付けられます', format: 'md' as const },
            { label: 'CSV', description: '表計算ソフトで開けます', format: 'csv' as const },
          ],
          { title: 'Kijun: 対応表の形式' },
        )
      )?.format;
    if (!chosen) return undefined;
    const result = await lc.sendRequest(CoverageReportRequest.type, { uri: lc.code2ProtocolConverter.asUri(target), format: chosen });
    if (result.content === null) {
      void vscode.window.showWarningMessage(`Kijun: ${result.message ?? '対応表を作成できません'}`);
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument({ content: result.content, language: chosen === 'md' ? 'markdown' : 'plaintext' });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  return {
    show,
    current: () => data,
    dispose: () => {
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
    },
  };
}
