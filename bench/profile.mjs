// Where the time of a full analysis goes: a CPU profile (inspector, in-process, around the analyses only,
// after one warm-up) of the bundled service, summarised by self time per function and per source module.
//   node bench/profile.mjs [file] [--reps N] [--top N]      (default: the 500 KB draft of bench/run.mjs)
// The raw profile is left in bench/.work/analysis.cpuprofile (open it in Chrome DevTools or VS Code).
// Any other profile of a bundle, e.g. a cold `kijun check`:
//   node --cpu-prof --cpu-prof-dir=/tmp/p dist/cli.js check draft.md
//   node bench/profile.mjs --cpuprofile /tmp/p/CPU….cpuprofile --bundle dist/cli.js
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { benchDir, buildWorker, workDir, workerCjs } from './buildWorker.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const str = (name) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const reps = opt('reps', 3);
const top = opt('top', 25);
const positional = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const repoRoot = path.join(benchDir, '..');
const dicPath = path.join(repoRoot, 'node_modules', 'kuromoji', 'dict');

function worker(mode, options) {
  const r = spawnSync(process.execPath, [workerCjs, mode, JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`worker ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

let out = str('cpuprofile') && path.resolve(str('cpuprofile'));
const bundle = path.resolve(str('bundle') ?? workerCjs);
if (!out) {
  await buildWorker();
  const file = path.resolve(positional[0] ?? path.join(workDir, 'draft-500k.md'));
  if (!existsSync(file)) worker('drafts', { outDir: workDir, targetBytes: 500_000 });
  out = path.join(workDir, 'analysis.cpuprofile');
  const r = worker('profile', { dicPath, file, reps, out });
  console.log(`${path.relative(repoRoot, file)}: ${r.chars} chars, ${reps} full analyses in ${r.wallMs.toFixed(0)} ms (median parse ${r.parse.toFixed(0)} ms, align ${r.align.toFixed(0)} ms)`);
}

// Which bundled module a line of worker.cjs belongs to: esbuild writes `// path` before each module.
const bundleLines = readFileSync(bundle, 'utf8').split('\n');
const moduleStarts = [];
bundleLines.forEach((l, i) => {
  const m = /^\/\/ ((?:node_modules|server|scripts|bench)\/\S+)$/.exec(l);
  if (m) moduleStarts.push([i, m[1]]);
});
const moduleOf = (line) => {
  let lo = 0;
  let hi = moduleStarts.length - 1;
  let found = '(bundle)';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (moduleStarts[mid][0] <= line) (found = moduleStarts[mid][1]), (lo = mid + 1);
    else hi = mid - 1;
  }
  return found;
};

const sourceMap = existsSync(`${bundle}.map`) ? new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8'))) : null;
const bundleDir = path.dirname(bundle);
const original = (line, column) => {
  const e = sourceMap?.findEntry(line, column);
  return e && e.originalSource ? `${path.relative(repoRoot, path.resolve(bundleDir, e.originalSource))}:${e.originalLine + 1}` : null;
};

const profile = JSON.parse(readFileSync(out, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map();
const mods = new Map();
for (const [id, t] of self) {
  const { functionName, url, lineNumber, columnNumber } = byId.get(id).callFrame;
  const inBundle = url.endsWith(path.basename(bundle));
  const mod = inBundle ? moduleOf(lineNumber) : url ? path.basename(url) : `(${functionName || 'native'})`;
  const key = `${functionName || '(anonymous)'}  ${inBundle ? (original(lineNumber, columnNumber) ?? `${mod} (bundle line ${lineNumber + 1})`) : mod}`;
  fns.set(key, (fns.get(key) ?? 0) + t);
  mods.set(mod, (mods.get(mod) ?? 0) + t);
}
const show = (title, m, n) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${t.toFixed(0).padStart(7)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
};
show(`Self time by module (total ${total.toFixed(0)} ms sampled):`, mods, 15);
show('Top self-time functions:', fns, top);
