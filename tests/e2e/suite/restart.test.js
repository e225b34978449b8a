// A crashed language server in a real VS Code: the client restarts it (bounded), diagnostics come back, and once
// the bound is reached it stays stopped, says so, and 「Kijun: 言語サーバーを再起動」 brings it back.
// Runs last (files run in name order) because it kills the server. Waits are event-driven and bounded.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const fileIn = (name) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name);
const kijunDiagnostics = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kijun');

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with `check()`'s first truthy value, re-checking on client state and diagnostics changes and every 100 ms. */
function until(what, check, api, ms = 30_000) {
  return withTimeout(
    new Promise((resolve) => {
      let done = false;
      const run = () => {
        if (done) return;
        const v = check();
        if (!v) return;
        done = true;
        subs.forEach((s) => s.dispose());
        clearInterval(poll);
        resolve(v);
      };
      const subs = [vscode.languages.onDidChangeDiagnostics(run), api.client.onDidChangeState(run)];
      // A process id changes without an event of its own.
      const poll = setInterval(run, 100);
      run();
    }),
    ms,
    what,
  );
}

/** Kills the server process as a crash would (SIGKILL: no shutdown, no exit handshake). */
function crash(api) {
  const pid = api.serverProcessId();
  assert.ok(pid, 'the server is running');
  process.kill(pid, 'SIGKILL');
  return pid;
}

/** Waits until a new server process (not `oldPid`) runs. */
const restarted = (api, oldPid, ms) =>
  until(`a new server process after ${oldPid}`, () => {
    const pid = api.serverProcessId();
    return pid !== undefined && pid !== oldPid ? pid : undefined;
  }, api, ms).catch((e) => {
    throw new Error(`${e.message} (client state ${api.client.state}, status ${JSON.stringify(api.serverStatus())})`);
  });

describe('Kijun restarts a crashed language server', () => {
  let api;
  const uri = fileIn('policy-draft.md');

  before(async () => {
    api = await vscode.extensions.getExtension('kijun.kijun').activate();
    await withTimeout(api.whenReady(), 30_000, 'server ready');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.equal(editor.document.uri.toString(), uri.toString());
    await until('diagnostics before the crash', () => kijunDiagnostics(uri).some((d) => d.code === 'numbering-gap'), api);
  });

  it('restarts the server after a crash, says so, and the diagnostics come back from the new process', async () => {
    const before = api.serverStatus().restarts;
    const oldPid = crash(api);
    const newPid = await restarted(api, oldPid);
    console.log(`server ${oldPid} killed, restarted as ${newPid}`);
    const status = api.serverStatus();
    assert.equal(status.restarts, before + 1);
    assert.equal(status.gaveUp, false);
    assert.equal(status.lastRestartMessage, `言語サーバーが停止したため再起動します（${before + 1}/4）`);

    // Only a live server can report a defect typed after the restart: a reference to an article that does not exist.
    const editor = vscode.window.activeTextEditor;
    const text = editor.document.getText();
    const at = text.indexOf('第9条の定めるところによる');
    assert.ok(at >= 0);
    await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 3)), '第99条'));
    const gaps = await until('a diagnostic for the edit made after the restart', () => {
      const ds = kijunDiagnostics(uri);
      return ds.some((d) => d.code === 'unresolved-reference' && d.message.includes('第99条')) ? ds : undefined;
    }, api);
    assert.ok(gaps.every((d) => d.source === 'kijun'));
    assert.equal(api.serverProcessId(), newPid, 'answered by the restarted process');
    await vscode.commands.executeCommand('undo');
  });

  it('stops restarting after the bound, shows it in the status bar, and restarts on the command', async () => {
    // The window is 3 minutes: every crash of this suite counts.
    let pid = api.serverProcessId();
    for (;;) {
      const restarts = api.serverStatus().restarts;
      const old = crash(api);
      if (restarts >= 4) {
        pid = old;
        break;
      }
      pid = await restarted(api, old);
    }
    const status = await until('the client gives up', () => (api.serverStatus().gaveUp && api.serverProcessId() === undefined ? api.serverStatus() : undefined), api);
    console.log(`gave up: ${status.text} — ${status.tooltip}`);
    assert.equal(status.state, 'error');
    assert.match(status.text, /Kijun: エラー/);
    assert.match(status.tooltip, /自動での再起動を中止しました/);
    assert.match(status.tooltip, /「Kijun: 言語サーバーを再起動」/);
    assert.match(status.tooltip, /クリックで言語サーバーを再起動/);
    assert.equal(status.lastRestartMessage, status.tooltip.replace(/（クリックで言語サーバーを再起動）$/, ''));
    // Nothing restarts it by itself.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(api.serverProcessId(), undefined);

    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('kijun.restartServer'));
    await vscode.commands.executeCommand('kijun.restartServer');
    const fresh = await restarted(api, pid);
    assert.equal(api.serverStatus().gaveUp, false);
    assert.equal(api.serverStatus().restarts, 0, 'a restart by the user starts counting from zero');
    const back = await until('diagnostics after the restart command', () => {
      const ds = kijunDiagnostics(uri);
      return ds.some((d) => d.code === 'numbering-gap') ? ds : undefined;
    }, api);
    assert.ok(back.length > 0);
    assert.equal(api.serverProcessId(), fresh);
    await until('the status bar says ready again', () => api.serverStatus().state === 'ready', api);
  });
});
