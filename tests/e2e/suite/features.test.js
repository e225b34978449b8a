// Editor features in a real VS Code: hover with the 解説, a quick fix inserting the standard wording, code lenses,
// completion and the coverage view. Screenshots of the key moments go to tests/e2e/artifacts/.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const artifacts = path.join(__dirname, '..', 'artifacts');
const fileIn = (name) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name);
const kijunDiagnostics = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kijun');
const guidelineId = (d) => d.message.match(/ガイドライン (\S+) に対応する条項がありません/)?.[1];

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once `check()` returns a truthy value, re-checking on every diagnostics change (bounded). */
function until(what, check, ms = 30_000) {
  return withTimeout(
    new Promise((resolve) => {
      const run = () => {
        const v = check();
        if (!v) return;
        sub.dispose();
        resolve(v);
      };
      const sub = vscode.languages.onDidChangeDiagnostics(run);
      run();
    }),
    ms,
    what,
  );
}

/**
 * Asks the runner for a screenshot and waits until the file is written: the workbench must not change
 * before it is taken. `settleMs` lets a just-opened widget (hover, quick-fix menu) finish rendering.
 */
async function snap(name, settleMs = 0) {
  if (settleMs) await new Promise((r) => setTimeout(r, settleMs));
  const file = path.join(artifacts, `${name}.png`);
  fs.rmSync(file, { force: true });
  console.log(`KIJUN_E2E_SCREENSHOT:${name}`);
  await withTimeout(
    new Promise((resolve) => {
      const poll = () => (fs.existsSync(file) && fs.statSync(file).size > 0 ? resolve() : setTimeout(poll, 50));
      poll();
    }),
    10_000,
    `screenshot ${name}`,
  ).catch((e) => console.log(`(no screenshot: ${e.message})`));
}

const hoverText = (hovers) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

describe('Kijun editor features in VS Code', () => {
  const uri = fileIn('password-standards.md');
  let editor;
  let text;

  before(async () => {
    const api = await vscode.extensions.getExtension('kijun.kijun').activate();
    await withTimeout(api.whenReady(), 30_000, 'server ready');
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    text = editor.document.getText();
    // Alignment findings appear once the dictionary is loaded and the draft aligned.
    await until('the missing-item finding', () => kijunDiagnostics(uri).find((d) => d.code === 'missing-item'), 45_000).catch((e) => {
      throw new Error(`${e.message}; diagnostics: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [d.source, d.code, d.message]))}`);
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('hovers a clause with the guideline item, the 例文 diff and the 解説', async () => {
    const at = editor.document.positionAt(text.indexOf('①パスワードは') + 3);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, at);
    const md = hoverText(hovers);
    assert.match(md, /ガイドライン 5\\?\.4\\?\(3\\?\)①/);
    assert.match(md, /\*\*解説\*\* パスワードの秘密を担保するため/);
    assert.match(md, /\*\*、適切\*\*/, 'what the draft adds is bold');
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('editor.action.showHover');
    await snap('hover-commentary', 1500);
    await vscode.commands.executeCommand('editor.action.hideHover').then(undefined, () => undefined);
  });

  it('shows the section coverage in a code lens', async () => {
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.some((t) => /^ガイドライン 5\.4: \d+\/\d+ 項目/.test(t)), JSON.stringify(titles));
  });

  it('inserts the missing item’s standard wording with a quick fix, and the findings go away', async () => {
    const missing = kijunDiagnostics(uri).find((d) => d.code === 'missing-item' && guidelineId(d) === '5.4(3)②');
    assert.ok(missing, JSON.stringify(kijunDiagnostics(uri).map((d) => d.message)));
    assert.ok(kijunDiagnostics(uri).some((d) => d.code === 'numbering-gap'));
    editor.selection = new vscode.Selection(missing.range.start, missing.range.start);
    editor.revealRange(missing.range, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('editor.action.quickFix');
    await snap('quick-fix-menu', 1500);
    await vscode.commands.executeCommand('hideCodeActionWidget').then(undefined, () => undefined);

    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, missing.range, vscode.CodeActionKind.QuickFix.value);
    const insert = actions.find((a) => a.title === 'ガイドライン 5.4(3)② の例文を②として挿入');
    assert.ok(insert, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(insert.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(insert.edit));
    const inserted = '\n\n②パスワードを秘密にし、パスワードの照会等には一切応じてはならない。\n\n③パスワードは十分な長さ';
    assert.ok(editor.document.getText().includes(`適切に管理しなければならない。${inserted}`));
    await until('missing-item and numbering-gap gone', () => !kijunDiagnostics(uri).some((d) => d.code === 'missing-item' || d.code === 'numbering-gap'), 30_000);
    const at = editor.document.positionAt(editor.document.getText().indexOf('②パスワード'));
    editor.selection = new vscode.Selection(at, at.translate(0, 34));
    await snap('quick-fix-applied', 1200);
    // The fix is not offered again for the same place.
    const again = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, missing.range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(!again.some((a) => a.title === insert.title));
  });

  it('completes a keyword to 例文 clauses adapted to the draft (本市 → 本区)', async () => {
    const edit = new vscode.WorkspaceEdit();
    const end = editor.document.positionAt(editor.document.getText().length);
    edit.insert(uri, end, '\n\n情報資産の分類');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const pos = editor.document.positionAt(editor.document.getText().length);
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, pos);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.some((l) => l.startsWith('2(1)')), JSON.stringify(labels));
    const withSelf = list.items.find((i) => (i.insertText ?? '').toString().includes('本区') || (i.textEdit?.newText ?? '').includes('本区'));
    assert.ok(withSelf, 'a clause that says 本市 in the guideline is offered with 本区');
  });

  it('opens the coverage view from the code lens command, at the section', async () => {
    await vscode.commands.executeCommand('kijun.showCoverage', uri.toString(), '5.4');
    const api = vscode.extensions.getExtension('kijun.kijun').exports;
    const data = api.coverage.current();
    assert.equal(data.ready, true);
    const item = data.items.find((i) => i.id === '5.4(3)①');
    assert.equal(item.status, 'covered');
    assert.ok(data.items.some((i) => i.id === '5.4(1)' && i.status === 'not-applicable'));
    await snap('coverage-view', 1000);
  });

  it('exports the 対応表 as Markdown', async () => {
    const doc = await vscode.commands.executeCommand('kijun.exportCoverage', uri, 'md');
    assert.ok(doc, 'an untitled document with the table');
    assert.match(doc.getText(), /\| *5\.4\(3\)① *\|/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
