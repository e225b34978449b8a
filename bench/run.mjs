// Kijun benchmark (issue 7): every figure beside its floor, measured in the same run.
//   npm run bench                      (= npm run build && node bench/run.mjs)
//   node bench/run.mjs --only 1,3 --cold 3 --edits 100 --edit-budget 300 --seed 7
// Flags (defaults keep a full run under about 5 minutes on 2 cores):
//   --only 1,2,3,4,5   which measurements      --cold N        cold starts (5)
//   --reps N           warm analyses (5; 2 for texts over 100k chars)   --warmup N (1)
//   --pairs N          first analysis / floor process pairs of measurement 2 (7; 3 for the 500 KB draft)
//   --edits N          one-character edits (100)   --edit-budget S   stop the edits after S seconds (90)
//   --warmup-edits N   edits of the warm-up document before the measured edits (100; 0: none)
//   --cli N            kijun check runs (5)        --textlint N      textlint runs (3)
//   --mem N            memory runs (2)             --seed N          edit positions (1)
//   --mem-edits N      edits of the open draft in each memory run (200)
//   --quick            one repetition of everything, 10 edits (a smoke test)
//   --dist DIR         measure the bundles in DIR instead of dist/ (e.g. one built with
//                      `node scripts/build.mjs --outdir DIR`)
// Writes bench/results.json. Never fails on a missed target: it measures (exit 0 unless it cannot run).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { buildWorker } from './buildWorker.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.join(here, '..');
const work = path.join(here, '.work');
const corpusDir = process.env.KIJUN_CORPUS ?? path.join(repoRoot, '..', 'shared', 'corpus');
const distArg = process.argv.indexOf('--dist');
const distDir = distArg >= 0 ? path.resolve(process.argv[distArg + 1] ?? 'dist') : path.join(repoRoot, 'dist');
const serverJs = path.join(distDir, 'server.js');
const cliJs = path.join(distDir, 'cli.js');
const distDict = path.join(distDir, 'dict');
// The floors load kuromoji's stock .dat.gz files with stock kuromoji: the files the build writes dist/dict from
// (dist/dict holds them uncompressed, which only Kijun's loader reads).
const stockDict = path.join(repoRoot, 'node_modules', 'kuromoji', 'dict');
const textlintBin = path.join(repoRoot, 'node_modules', '.bin', 'textlint');
const require = createRequire(import.meta.url);

// ---------- flags ----------
const argv = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return typeof dflt === 'number' ? Number(v) : v;
};
const quick = argv.includes('--quick');
const opts = {
  only: new Set(String(flag('only', '1,2,3,4,5')).split(',').map((s) => s.trim())),
  cold: flag('cold', quick ? 1 : 5),
  reps: flag('reps', quick ? 1 : 5),
  pairs: flag('pairs', quick ? 1 : 7),
  warmup: flag('warmup', 1),
  edits: flag('edits', quick ? 10 : 100),
  warmupEdits: flag('warmup-edits', quick ? 10 : 100),
  editBudget: flag('edit-budget', quick ? 30 : 90),
  cli: flag('cli', quick ? 1 : 5),
  textlint: flag('textlint', quick ? 1 : 3),
  mem: flag('mem', quick ? 1 : 2),
  memEdits: flag('mem-edits', quick ? 10 : 200),
  seed: flag('seed', 1),
};

// ---------- helpers ----------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length, runs: xs });
const ms = (x) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const fmt = (s, unit = ms) => `${unit(s.median)} (min ${unit(s.min)}, max ${unit(s.max)}, n=${s.n})`;
const say = (m) => console.log(m);
const note = (m) => console.log(`    ${m}`);

/**
 * Runs a command to completion; resolves with wall time from spawn to exit, from spawn to the end of its
 * first line on stdout (firstLineMs), stdout and the exit code.
 */
function run(cmd, args, { input, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let firstLineMs = null;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (firstLineMs === null && stdout.includes('\n')) firstLineMs = performance.now() - started;
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ wallMs: performance.now() - started, firstLineMs, code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

async function worker(mode, options, nodeFlags = []) {
  const r = await run(process.execPath, [...nodeFlags, path.join(work, 'worker.cjs'), mode, JSON.stringify(options)]);
  if (r.code !== 0) throw new Error(`worker ${mode} failed (${r.code}):\n${r.stderr}`);
  if (r.stderr.trim()) process.stdout.write(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/**
 * The floor of measurements 1 and 5: a fresh node process that loads the dictionary with stock kuromoji.
 * `wallMs` is from spawn to the line it prints once loaded, as the cold start is from spawn to a response
 * (the process's exit afterwards is not part of either); `exitMs` is to its exit.
 */
async function kuromojiOnly() {
  const r = await run(process.execPath, [path.join(here, 'kuromoji-only.mjs'), stockDict]);
  if (r.code !== 0) throw new Error(`kuromoji-only failed: ${r.stderr}`);
  return { wallMs: r.firstLineMs ?? r.wallMs, exitMs: r.wallMs, ...JSON.parse(r.stdout.trim()) };
}

const readVm = (pid, key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

// The alignment engine's finding codes (server/src/service/align/coverage.ts); structure findings come earlier.
const ALIGNMENT_CODES = new Set(['missing-item', 'unmarked-recommendation', 'weakened-obligation']);

/**
 * Spawns dist/server.js over stdio as an editor would: initialize → initialized → didOpen → pull
 * diagnostics; pulls again on workspace/diagnostic/refresh (sent once the dictionary is loaded) until a
 * pull that was sent after the server's `ready` status, i.e. one that includes the alignment findings.
 */
async function lspSession(text, uri, { readMemory = false, edits = 0 } = {}) {
  const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
  const t0 = performance.now();
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let readyAt = null;
  let error = null;
  let refreshes = 0;
  let wake = () => undefined;
  conn.onNotification('kijun/status', (p) => {
    if (p.state === 'ready' && p.uri === undefined && readyAt === null) readyAt = performance.now() - t0;
    if (p.state === 'error') error = p.message;
    wake();
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => {
    refreshes++;
    wake();
    return null;
  });
  conn.listen();
  const out = {};
  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        workspace: { configuration: true, diagnostics: { refreshSupport: true } },
        textDocument: { diagnostic: { dynamicRegistration: false } },
      },
    });
    out.initializeMs = performance.now() - t0;
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const sentAfterReady = readyAt !== null;
      const seenRefreshes = refreshes;
      const report = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      const at = performance.now() - t0;
      const items = report.items ?? [];
      out.firstDiagnosticsMs ??= at;
      out.firstDiagnosticsItems ??= items.length;
      const alignment = items.filter((d) => ALIGNMENT_CODES.has(d.code)).length;
      if (sentAfterReady || alignment > 0) {
        out.fullDiagnosticsMs = at;
        out.readyMs = readyAt;
        out.items = items.length;
        out.alignmentItems = alignment;
        break;
      }
      if (error) throw new Error(`server error: ${error}`);
      if (Date.now() > deadline) throw new Error('timed out waiting for the alignment findings');
      // Wait for the refresh a real client would act on (or the ready status).
      await new Promise((resolve) => {
        wake = resolve;
        if (refreshes > seenRefreshes || (readyAt !== null && !sentAfterReady)) resolve();
        setTimeout(resolve, 1000);
      });
    }
    if (readMemory) {
      out.vmHwmKB = readVm(proc.pid, 'VmHWM');
      out.vmRssKB = readVm(proc.pid, 'VmRSS');
    }
    if (edits > 0) {
      // One-character insertions as an editor sends them (incremental didChange), each followed by its pull,
      // at places spread over the whole draft (the golden-ratio sequence).
      let current = text;
      for (let i = 0; i < edits; i++) {
        const at = Math.floor((((i + opts.seed) * 0.6180339887498949) % 1) * current.length);
        const ch = EDIT_ALPHABET[i % EDIT_ALPHABET.length];
        const start = positionAt(current, at);
        current = current.slice(0, at) + ch + current.slice(at);
        await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 + i }, contentChanges: [{ range: { start, end: start }, text: ch }] });
        await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      }
      out.edits = edits;
      out.afterEditsHwmKB = readVm(proc.pid, 'VmHWM');
      out.afterEditsRssKB = readVm(proc.pid, 'VmRSS');
    }
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${stderr}`);
  } finally {
    if (proc.exitCode === null) proc.kill();
    conn.dispose();
  }
  return out;
}

// scripts/edits.ts's alphabet (this script runs unbundled and cannot import TypeScript).
const EDIT_ALPHABET = ['あ', '市', '1', '、', 'ア', ' ', '。', '\n'];

/** The LSP position (line, UTF-16 character) of `offset` in `text`. */
function positionAt(text, offset) {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

const targets = [];
function verdict(id, label, value, floor, ratio, target, pass, unit = ms, floorName = 'floor') {
  const ok = pass(ratio);
  targets.push({ id, label, value, floor, ratio, target, verdict: ok ? 'PASS' : 'MISS' });
  say(`  => ${label}: ${unit(value)} vs ${floorName} ${unit(floor)} — ratio ${ratio.toFixed(3)} (target ${target}) ${ok ? 'PASS' : 'MISS'}`);
}

// ---------- setup ----------
async function main() {
  for (const f of [serverJs, cliJs, distDict, stockDict]) if (!existsSync(f)) throw new Error(`${path.relative(repoRoot, f)} がありません。npm run build を先に実行してください`);
  if (distDir !== path.join(repoRoot, 'dist')) say(`  bundles from ${distDir}`);
  mkdirSync(work, { recursive: true });
  const started = Date.now();
  let commit = 'unknown';
  let dirty = false;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' }).trim() !== '';
  } catch {
    // not a git checkout
  }
  const env = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadavgStart: os.loadavg(), commit, dirty, opts: { ...opts, only: [...opts.only] } };
  say(`Kijun benchmark — node ${env.node}, ${env.cpus} CPUs, load ${env.loadavgStart.map((x) => x.toFixed(2)).join(' ')}, commit ${commit}${dirty ? ' (dirty)' : ''}`);
  if (env.loadavgStart[0] > env.cpus * 0.5) say(`  note: the machine is busy (load ${env.loadavgStart[0].toFixed(2)}); absolute times are inflated, the ratios less so`);

  // The worker: the service bundled the way the server is (esbuild, CJS), plus the measurement modes.
  await buildWorker();
  const drafts = await worker('drafts', { outDir: work, targetBytes: 500_000 });
  const files = {};
  const corpus = {
    'tsukuba-smartcity-policy': 'tsukuba-smartcity-policy.txt',
    'omuta-basic-policy': 'omuta-basic-policy.txt',
    'guideline (whole text)': 'guideline.txt',
  };
  const skipped = [];
  for (const [name, file] of Object.entries(corpus)) {
    const p = path.join(corpusDir, file);
    if (existsSync(p)) files[name] = p;
    else skipped.push(name), say(`  skip ${name}: ${p} not present (the corpus is read-only material beside the repository)`);
  }
  files['guideline 例文 (standards)'] = path.join(work, 'guideline-standards.md');
  files['guideline 例文 (basic-policy)'] = path.join(work, 'guideline-basic-policy.md');
  files['draft-500k (例文 repeated)'] = path.join(work, 'draft-500k.md');
  const tsukuba = files['tsukuba-smartcity-policy'];
  const bigDraft = files['draft-500k (例文 repeated)'];
  say(`  500 KB draft: ${(drafts.files['draft-500k.md'].bytes / 1024).toFixed(0)} KB, ${drafts.files['draft-500k.md'].chars} chars (${path.relative(repoRoot, bigDraft)})`);
  const results = { env, drafts: drafts.files, skipped, measurements: {} };

  // ---------- 1. cold start to first full diagnostics vs dictionary load ----------
  if (opts.only.has('1')) {
    say('\n1. Cold start to the first full diagnostics (つくば, dist/server.js over stdio) vs kuromoji dictionary load (fresh process)');
    if (!tsukuba) say('  skipped: the つくば policy is not in the corpus');
    else {
      const text = readFileSync(tsukuba, 'utf8');
      const uri = pathToFileURL(path.join(work, 'policy', 'tsukuba-smartcity-policy.md')).href; // matches **/policy/**/*.md
      const sessions = [];
      const floors = [];
      for (let i = 0; i < opts.cold; i++) {
        floors.push(await kuromojiOnly());
        sessions.push(await lspSession(text, uri));
      }
      const full = stats(sessions.map((s) => s.fullDiagnosticsMs));
      const floor = stats(floors.map((f) => f.wallMs));
      note(`initialize answered:           ${fmt(stats(sessions.map((s) => s.initializeMs)))}`);
      note(`first (structure) diagnostics: ${fmt(stats(sessions.map((s) => s.firstDiagnosticsMs)))}`);
      note(`status ready:                  ${fmt(stats(sessions.map((s) => s.readyMs)))}`);
      note(`full diagnostics:              ${fmt(full)}; ${sessions[0].items} items, ${sessions[0].alignmentItems} from alignment`);
      note(`floor: spawn → dictionary loaded: ${fmt(floor)} (load inside the process ${ms(median(floors.map((f) => f.loadMs)))})`);
      results.measurements.coldStart = { sessions, full, floor, floorRuns: floors };
      verdict(1, 'cold start / dict load', full.median, floor.median, full.median / floor.median, '≤ 1.5', (r) => r <= 1.5);
    }
  }

  // ---------- 2. warm full analysis vs tokenisation ----------
  if (opts.only.has('2')) {
    say('\n2. Full analysis (the text\'s first, in a process warmed up on another document) vs kuromoji tokenisation of the same text (line by line)');
    const docs = {};
    const setup = [];
    for (const [name, file] of Object.entries(files)) {
      const chars = readFileSync(file, 'utf8').length;
      const reps = chars > 100_000 ? Math.min(opts.reps, 2) : opts.reps;
      const r = await worker('analyze', { dicPath: distDict, stockDicPath: stockDict, files: { [name]: file }, reps, warmup: opts.warmup });
      Object.assign(docs, r.docs);
      setup.push(r);
    }
    // Where a cold start goes besides node itself: the dictionary, then the alignment index (the catalog tokenised).
    const dictMs = stats(setup.map((r) => r.dictMs));
    const indexMs = stats(setup.map((r) => r.indexMs));
    note(`in-process set-up (per worker): dictionary load ${fmt(dictMs)}; alignment index build ${fmt(indexMs)}`);
    results.measurements.setup = { dictMs, indexMs };
    for (const [name, d] of Object.entries(docs)) {
      note(`${name}: ${d.chars} chars, ${d.provisions} provisions, ${d.findings} findings`);
      note(`   full ${fmt(d.full)} = parse ${ms(d.parse.median)} + align ${ms(d.align.median)}; first analysis ${ms(d.first.total)}; tokenize ${fmt(d.tokenize)}; ratio ${(d.full.median / d.tokenize.median).toFixed(2)}`);
    }
    const main = docs['tsukuba-smartcity-policy'] ? 'tsukuba-smartcity-policy' : 'guideline 例文 (standards)';
    // A repeated analysis of the same text is served by the content caches (shown above as "full"); the
    // measured figure is the text's first analysis, each in a fresh process warmed up on another document.
    for (const name of [main, 'draft-500k (例文 repeated)']) {
      const d = docs[name];
      const warmupFile = name === 'draft-500k (例文 repeated)' ? files[main] : files['guideline 例文 (basic-policy)'];
      const firsts = [];
      const floors = [];
      // The floor measured alike (once per process, after the same warm-up document) in processes of its
      // own (the one above shares its process with Kijun's analyses), taking turns with the measured
      // analyses so that a slower or faster spell of the machine falls on both. Either varies by a third
      // from process to process here (JIT and GC timing on two vCPUs), so the main document takes 7 pairs;
      // the 500 KB draft, whose processes take seconds, 3.
      const pairs = name === main ? opts.pairs : Math.min(opts.pairs, 3);
      for (let i = 0; i < pairs; i++) {
        firsts.push((await worker('fullOnce', { dicPath: distDict, file: files[name], warmupFile })).full);
        floors.push((await worker('floor', { stockDicPath: stockDict, file: files[name], warmupFile })).tokenize);
      }
      d.firstWarm = stats(firsts);
      d.floor = stats(floors);
      note(`${name}: first analysis in a warmed-up process ${fmt(d.firstWarm)}; stock kuromoji's in one ${fmt(d.floor)}`);
      verdict(2, `full analysis / tokenisation [${name}]`, d.firstWarm.median, d.floor.median, d.firstWarm.median / d.floor.median, '≤ 2', (r) => r <= 2);
    }
    results.measurements.warmAnalysis = docs;
  }

  // ---------- 3. re-analysis after a one-character edit ----------
  if (opts.only.has('3')) {
    say(`\n3. Re-analysis after a one-character edit in the 500 KB draft (façade getDiagnostics, new version) vs its own full analysis`);
    // A different document warms the JIT first, so that the full analysis is the draft's own first one.
    const warmupFile = tsukuba ?? files['guideline 例文 (basic-policy)'];
    const fullRuns = [];
    for (let i = 0; i < Math.min(opts.reps, 3); i++) fullRuns.push((await worker('fullOnce', { dicPath: distDict, file: bigDraft, warmupFile })).full);
    const editRun = (warmupEdits) =>
      worker('edits', { dicPath: distDict, file: bigDraft, warmupFile, edits: opts.edits, budgetMs: opts.editBudget * 1000, seed: opts.seed, warmupEdits });
    // The first edits of a process run in code the JIT has not optimised yet: measured as they come after
    // the warm-up document's analysis only (for information), and after it has also been edited (the
    // figure compared: a process warmed up on the same kind of work, as the full analysis is).
    const cold = await editRun(0);
    const r = opts.warmupEdits > 0 ? await editRun(opts.warmupEdits) : cold;
    fullRuns.push(cold.first);
    r.full = stats(fullRuns);
    const editLine = (e) =>
      `(seed ${e.seed}; ${e.kinds.insert} inserts, ${e.kinds.delete} deletes, ${e.kinds.replace} replacements${e.edit.n < opts.edits ? `; stopped at ${e.edit.n} of ${opts.edits} by --edit-budget ${opts.editBudget}` : ''}): p50 ${ms(e.edit.p50)}, p95 ${ms(e.edit.p95)}, min ${ms(e.edit.min)}, max ${ms(e.edit.max)}`;
    note(`full analysis (the draft's first analysis in a fresh, warmed-up process): ${fmt(r.full)}; the unchanged text again: ${ms(r.unchanged)}`);
    if (r !== cold) note(`edits after the warm-up document's analysis only ${editLine(cold)} (p95 / full ${(cold.edit.p95 / r.full.median).toFixed(3)}, for information)`);
    note(`edits${r !== cold ? ` after ${r.warmupEdits} edits of the warm-up document too` : ''} ${editLine(r)}`);
    note('every edit re-runs the whole pipeline; what did not change comes from the content-keyed caches (ARCHITECTURE.md, "Incremental analysis")');
    // Allocation per edit by stage: deterministic, unlike the times (see worker.mjs, mode allocation).
    const allocEdits = Math.min(opts.edits, 80);
    let alloc = null;
    try {
      alloc = await worker('allocation', { dicPath: distDict, file: bigDraft, warmupFile, edits: allocEdits, seed: opts.seed, skip: Math.min(20, Math.floor(allocEdits / 2)) }, ['--max-semi-space-size=1024', '--min-semi-space-size=1024', '--initial-old-space-size=1024']);
    } catch (e) {
      note(`allocated per edit: not measured (${String(e.message ?? e).split('\n')[0]})`);
    }
    if (alloc && alloc.perEdit) {
      const mbOf = (x) => `${(x / 1e6).toFixed(2)} MB`;
      const totalAlloc = Object.values(alloc.perEdit).reduce((a, b) => a + b, 0);
      note(`allocated per edit (${alloc.counted} edits${alloc.discarded > 0 ? `, ${alloc.discarded} left out: a collection ran during them` : ''}; for information): ${mbOf(totalAlloc)} = ${Object.entries(alloc.perEdit).map(([k, v]) => `${k} ${mbOf(v)}`).join(', ')}`);
    } else if (alloc) note(`allocated per edit: no edit without a collection among ${alloc.counted + alloc.discarded}`);
    delete r.edit.runs;
    delete cold.edit.runs;
    results.measurements.edit = { ...r, cold: r !== cold ? { edit: cold.edit, kinds: cold.kinds } : undefined, allocationPerEdit: alloc?.perEdit ?? null };
    verdict(3, 'edit p95 / full analysis', r.edit.p95, r.full.median, r.edit.p95 / r.full.median, '≤ 0.05', (x) => x <= 0.05);
  }

  // ---------- 4. kijun check vs textlint ----------
  if (opts.only.has('4')) {
    say('\n4. `kijun check` on the つくば policy vs textlint + preset-ja-technical-writing on the same file (fresh processes)');
    if (!tsukuba) say('  skipped: the つくば policy is not in the corpus');
    else if (!existsSync(textlintBin)) say('  skipped: node_modules/.bin/textlint is missing (npm install)');
    else {
      // The same text as Markdown for both tools, alone in its folder: kijun check reads the role definitions
      // of the .md files beside a draft (a 基本方針 beside a 対策基準), and bench/.work holds the 500 KB draft.
      const md = path.join(work, 'cli', 'tsukuba-smartcity-policy.md');
      mkdirSync(path.dirname(md), { recursive: true });
      copyFileSync(tsukuba, md);
      const kijun = [];
      let kijunFindings = 0;
      const tl = [];
      let problems = 0;
      // The two tools take turns, so that a slower or faster spell of this shared machine falls on both.
      for (let i = 0; i < Math.max(opts.cli, opts.textlint); i++) {
        if (i < opts.cli) {
          const r = await run(process.execPath, [cliJs, 'check', md, '--format', 'json', '--fail-on', 'none']);
          if (r.code !== 0) throw new Error(`kijun check exited ${r.code}: ${r.stderr}`);
          kijunFindings = JSON.parse(r.stdout).length;
          kijun.push(r.wallMs);
        }
        if (i < opts.textlint) {
          const r = await run(textlintBin, ['--config', path.join(here, 'textlintrc.json'), '--no-color', '--format', 'json', md]);
          if (r.code !== 0 && r.code !== 1) throw new Error(`textlint exited ${r.code}: ${r.stderr}`);
          problems = JSON.parse(r.stdout).reduce((n, f) => n + f.messages.length, 0);
          tl.push(r.wallMs);
        }
      }
      const k = stats(kijun);
      const t = stats(tl);
      note(`kijun check: ${fmt(k)}; ${kijunFindings} findings`);
      note(`textlint:    ${fmt(t)}; ${problems} problems`);
      results.measurements.cli = { kijun: k, kijunFindings, textlint: t, textlintProblems: problems };
      verdict(4, 'kijun check speed-up over textlint', k.median, t.median, t.median / k.median, '≥ 10', (x) => x >= 10, ms, 'textlint');
    }
  }

  // ---------- 5. peak memory ----------
  if (opts.only.has('5')) {
    say(`\n5. Peak RSS of the server with the 500 KB draft open and edited (VmHWM after its full diagnostics and ${opts.memEdits} one-character edits, each pulled) vs a process that only loads kuromoji`);
    const text = readFileSync(bigDraft, 'utf8');
    const uri = pathToFileURL(path.join(work, 'policy', 'draft-500k.md')).href;
    const server = [];
    const floors = [];
    for (let i = 0; i < opts.mem; i++) {
      floors.push(await kuromojiOnly());
      server.push(await lspSession(text, uri, { readMemory: true, edits: opts.memEdits }));
    }
    // The peak of the whole session: an editing session must not grow with each keystroke.
    const s = stats(server.map((x) => x.afterEditsHwmKB ?? x.vmHwmKB));
    const f = stats(floors.map((x) => x.vmHwmKB));
    note(`server, the draft open: ${fmt(stats(server.map((x) => x.vmHwmKB)), mb)}; full diagnostics after ${ms(median(server.map((x) => x.fullDiagnosticsMs)))} (${server[0].items} items)`);
    if (opts.memEdits > 0) note(`server, after ${opts.memEdits} edits: peak ${fmt(s, mb)}; RSS then ${fmt(stats(server.map((x) => x.afterEditsRssKB)), mb)}`);
    note(`kuromoji only: ${fmt(f, mb)}`);
    results.measurements.memory = { server, serverHwm: s, kuromojiOnly: floors, kuromojiHwm: f };
    verdict(5, 'server peak RSS / kuromoji-only', s.median, f.median, s.median / f.median, '≤ 1.3', (x) => x <= 1.3, mb);
  }

  results.targets = targets;
  results.env.loadavgEnd = os.loadavg();
  results.env.totalSeconds = (Date.now() - started) / 1000;
  writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  say(`\nSummary (${results.env.totalSeconds.toFixed(0)} s; bench/results.json):`);
  for (const t of targets) say(`  ${t.verdict}  ${t.id}. ${t.label}: ratio ${t.ratio.toFixed(3)} (target ${t.target})`);
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
