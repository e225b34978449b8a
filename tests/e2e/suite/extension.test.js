// Smoke tests in a real VS Code (1.100.3 server + web workbench): activation, diagnostics, Outline, no noise elsewhere.
// Waits are bounded and event-driven (onDidChangeDiagnostics, status reports), never fixed sleeps.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const kijunDiagnostics = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kijun');
const fileIn = (name) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name);

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function waitForDiagnostics(uri, predicate, ms = 30_000) {
  return withTimeout(
    new Promise((resolve) => {
      const check = () => {
        const found = kijunDiagnostics(uri);
        if (!predicate(found)) return false;
        sub.dispose();
        resolve(found);
        return true;
      };
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) check();
      });
      check();
    }),
    ms,
    `Kijun diagnostics for ${uri.path}`,
  );
}

/** The runner takes a browser screenshot when it sees this marker in the log. */
const screenshot = (name) => console.log(`KIJUN_E2E_SCREENSHOT:${name}`);

describe('Kijun in VS Code', () => {
  let api;

  before(async () => {
    console.log(`vscode ${vscode.version}, ${vscode.env.appName}, uiKind ${vscode.env.uiKind}, remote ${vscode.env.remoteName}`);
    const ext = vscode.extensions.getExtension('kijun.kijun');
    assert.ok(ext, 'the kijun extension is installed');
    api = await withTimeout(Promise.resolve(ext.activate()), 30_000, 'activation');
    await withTimeout(api.whenReady(), 30_000, 'server ready');
  });

  it('shows the expected diagnostics for a policy draft', async () => {
    const uri = fileIn('policy-draft.md');
    const started = Date.now();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'unresolved-reference'));
    console.log(`first diagnostics ${Date.now() - started} ms after opening: ${diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`).join(', ')}`);
    const gap = diagnostics.find((d) => d.code === 'numbering-gap');
    assert.ok(gap, JSON.stringify(diagnostics));
    assert.match(gap.message, /第3条/);
    assert.equal(gap.range.start.line, 19);
    assert.equal(gap.severity, vscode.DiagnosticSeverity.Warning);
    const ref = diagnostics.find((d) => d.code === 'unresolved-reference');
    assert.equal(ref.range.start.line, 25);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    screenshot('policy-diagnostics');
  });

  it('lists the articles in the Outline (document symbols)', async () => {
    const uri = fileIn('policy-draft.md');
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri);
    const names = [];
    const walk = (xs) => xs.forEach((x) => (names.push(x.name), walk(x.children ?? [])));
    walk(symbols ?? []);
    for (const name of ['第1章 総則', '第1条（目的）', '第4条（最高情報セキュリティ責任者）', '第2項', '第5条（統括情報セキュリティ責任者）']) {
      assert.ok(names.includes(name), `${name} in ${JSON.stringify(names)}`);
    }
  });

  it('gives plain Markdown no diagnostics', async () => {
    const uri = fileIn('notes.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // The server reports its verdict on every document it is asked about; undefined means "not analysed".
    assert.equal(await withTimeout(api.whenChecked(uri), 30_000, 'verdict on notes.md'), undefined);
    assert.deepEqual(kijunDiagnostics(uri), []);
    screenshot('plain-markdown');
  });

  it('explains why plain Markdown has no diagnostics (「診断が出ない理由を表示」)', async () => {
    const uri = fileIn('notes.md');
    const result = await vscode.commands.executeCommand('kijun.explainDiagnostics', uri);
    assert.match(result.summary, /ポリシーの草案と判定していません/);
    assert.match(result.summary, /Kijunで検査/);
  });

  it('analyses plain Markdown on 「Kijunで検査」', async () => {
    const uri = fileIn('notes.md');
    await vscode.commands.executeCommand('kijun.checkDocument', uri);
    const diagnostics = await waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'numbering-gap'));
    assert.match(diagnostics.find((d) => d.code === 'numbering-gap').message, /第2条/);
  });
});
