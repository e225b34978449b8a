// Runs tests/e2e/suite inside a real VS Code extension host, offline:
// the VS Code 1.100.3 server from code-server (scripts/setup-vscode-server.sh) + Debian chromium via playwright-core.
// Kijun is installed from kijun.vsix (npm run package) unless --dev is given, in which case the repo itself is
// loaded as an extension under development. Exits with the suite's code; 1 on a hard timeout.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dev = process.argv.includes('--dev');
const timeoutMs = Number(process.env.KIJUN_E2E_TIMEOUT_MS ?? 180_000);
const verbose = process.env.KIJUN_E2E_VERBOSE === '1';
const serverMain = join(root, '.vscode-test/code-server/node_modules/code-server/lib/vscode/out/server-main.js');
const browserPath = process.env.KIJUN_E2E_CHROMIUM ?? '/usr/bin/chromium';
const vsix = join(root, 'kijun.vsix');
const suite = join(here, 'suite');
const artifacts = join(here, 'artifacts');
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

if (!existsSync(serverMain)) fail('VS Code サーバーがありません。npm run setup:e2e を実行してください / VS Code server missing: run npm run setup:e2e');
if (!existsSync(browserPath)) fail(`chromium がありません (${browserPath})。apt-get install chromium / chromium missing`);
if (!dev && !existsSync(vsix)) fail('kijun.vsix がありません。npm run package を実行してください / kijun.vsix missing: run npm run package');
if (dev && !existsSync(join(root, 'dist/server.js'))) fail('dist/ がありません。npm run build を実行してください / dist missing: run npm run build');

const tmp = mkdtempSync(join(tmpdir(), 'kijun-e2e-'));
const dirs = { serverData: join(tmp, 'server-data'), userData: join(tmp, 'user-data'), extensions: join(tmp, 'extensions'), home: join(tmp, 'home') };
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
// A copy of the workspace, so that edits the tests make (quick fixes, typing) never reach the repository.
const workspace = join(tmp, 'workspace');
cpSync(join(here, 'workspace'), workspace, { recursive: true });
mkdirSync(artifacts, { recursive: true });
// Both the VS Code server and chromium write to HOME and XDG folders; keep them out of the real home.
const env = { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: join(dirs.home, '.config'), XDG_DATA_HOME: join(dirs.home, '.local/share'), XDG_CACHE_HOME: join(dirs.home, '.cache') };
const common = ['--server-data-dir', dirs.serverData, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--accept-server-license-terms'];

if (!dev) {
  const installed = spawnSync(process.execPath, [serverMain, ...common, '--install-extension', vsix], { env, encoding: 'utf8' });
  if (installed.status !== 0 || !/successfully installed/i.test(installed.stdout)) fail(`kijun.vsix をインストールできません / cannot install kijun.vsix:\n${installed.stdout}${installed.stderr}`);
  console.log(`[${elapsed()}] installed kijun.vsix`);
}

const port = await new Promise((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = s.address();
    s.close(() => resolve(p));
  });
  s.on('error', reject);
});

let server;
let browser;
let finished = false;
async function finish(code, reason) {
  if (finished) return;
  finished = true;
  if (reason) console.error(`e2e: ${reason}`);
  await browser?.close().catch(() => undefined);
  if (server && server.exitCode === null) server.kill();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  console.log(JSON.stringify({ e2e: dev ? 'dev' : 'vsix', exitCode: code, serverStartMs, totalMs: Date.now() - t0 }));
  process.exit(code);
}

let serverStartMs = null;
server = spawn(
  process.execPath,
  [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', ...common, '--disable-telemetry', '--disable-workspace-trust', '--enable-smoke-test-driver'],
  { env, stdio: ['ignore', 'pipe', 'pipe'] },
);
server.stdout.setEncoding('utf8');
server.stderr.setEncoding('utf8');
server.stdout.on('data', (d) => verbose && process.stdout.write(`[server] ${d}`));
server.stderr.on('data', (d) => verbose && process.stderr.write(`[server] ${d}`));
server.on('exit', (code) => void finish(1, `VS Code サーバーが終了しました / VS Code server exited (${code})`));

const hardTimeout = setTimeout(async () => {
  await page?.screenshot({ path: join(artifacts, 'timeout.png') }).catch(() => undefined);
  await finish(1, `時間切れ / hard timeout after ${timeoutMs} ms (screenshot: tests/e2e/artifacts/timeout.png)`);
}, timeoutMs);
hardTimeout.unref();

const base = `http://127.0.0.1:${port}`;
for (let ok = false; !ok; ) {
  if (Date.now() - t0 > 30_000) await finish(1, 'VS Code サーバーが応答しません / VS Code server did not start');
  ok = await fetch(base, { redirect: 'manual' }).then(() => true, () => false);
  if (!ok) await new Promise((r) => setTimeout(r, 50));
}
serverStartMs = Date.now() - t0;
console.log(`[${elapsed()}] VS Code server listening on ${base}`);

const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
const payload = [
  ['extensionDevelopmentPath', remote(suite)],
  ...(dev ? [['extensionDevelopmentPath', remote(root)]] : []),
  ['extensionTestsPath', remote(join(suite, 'index.js'))],
  ['skipWelcome', 'true'],
];
const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

browser = await chromium.launch({
  executablePath: browserPath,
  headless: true,
  env,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
// Workbench noise from the offline machine (gallery, telemetry) is not worth printing.
const noise = /open-vsx|ENOTFOUND|telemetry|update\.code\.visualstudio|marketplace|^\s+at |socket|connection token|ServiceWorker|ChatSessionStore|builtin extensions cache/i;
const shots = [];
await page.exposeFunction('codeAutomationLog', (level, message) => {
  const text = Array.isArray(message) ? format(...message) : String(message);
  const marker = /KIJUN_E2E_SCREENSHOT:([\w-]+)/.exec(text);
  if (marker) {
    const file = join(artifacts, `${marker[1]}.png`);
    shots.push(page.screenshot({ path: file }).then(() => console.log(`[${elapsed()}] screenshot tests/e2e/artifacts/${marker[1]}.png`), () => undefined));
    return;
  }
  if (verbose || !noise.test(text)) console.log(text.replace(/\s+$/, ''));
});
await page.exposeFunction('codeAutomationExit', async (code) => {
  await Promise.all(shots);
  await page.screenshot({ path: join(artifacts, 'final.png') }).catch(() => undefined);
  await finish(code === 0 ? 0 : 1, code === 0 ? undefined : `suite failed (exit ${code})`);
});
console.log(`[${elapsed()}] opening the workbench (${dev ? 'repo as extension under development' : 'kijun.vsix installed'})`);
await page.goto(url);
