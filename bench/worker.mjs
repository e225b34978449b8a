// In-process measurements, bundled by bench/run.mjs with esbuild (as the shipped server is) into
// bench/.work/worker.cjs and run in a fresh process per mode:
//   node bench/.work/worker.cjs <mode> '<json options>'
// Prints exactly one JSON line on stdout (the result); progress goes to stderr.
import { rng } from '../scripts/rng.ts';
import { randomEdit } from '../scripts/edits.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadKuromojiTokenizer } from '../server/src/morph/kuromoji.ts';
import { createPolicyService } from '../server/src/service/index.ts';
import { loadCatalog } from '../server/src/service/catalog/index.ts';
import { parsePolicy } from '../server/src/service/parse/index.ts';
import { renderGuidelineDraft } from '../scripts/guidelineDraft.ts';

const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length, runs: xs });
const log = (m) => process.stderr.write(`  [worker] ${m}\n`);


async function service(dicPath) {
  const t0 = now();
  const tokenizer = await loadKuromojiTokenizer(dicPath);
  const dictMs = now() - t0;
  const svc = createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => tokenizer });
  const t1 = now();
  svc.isAlignmentReady(); // builds the alignment index (from dicPath/catalog-features.json when the build wrote it)
  return { tokenizer, svc, dictMs, indexMs: now() - t1 };
}

/** One full analysis (parse + align) of `text` as a new version, timed in parts. */
function analyse(svc, uri, version, text) {
  const doc = { uri, version, getText: () => text };
  const t0 = now();
  svc.getParsed(doc);
  const t1 = now();
  svc.getAlignment(doc);
  const t2 = now();
  const findings = svc.getDiagnostics(doc); // cached: only the concatenation
  const t3 = now();
  return { total: t3 - t0, parse: t1 - t0, align: t2 - t1, findings };
}

const LINE = /\r\n|\n|\r/;

/**
 * The floor of measurement 2: kuromoji over the same text, line by line. Stock kuromoji (its own loader
 * and lattice builder) without Kijun's segment cache, which would answer every repetition from memory:
 * the floor stays what kuromoji itself costs, whatever Kijun does to tokenise faster.
 */
const floorTokenizer = (stockDicPath) => loadKuromojiTokenizer(stockDicPath, { loader: 'stock', precomputed: false, segmentCache: false });

function tokenizeLines(tokenizer, text) {
  let tokens = 0;
  for (const line of text.split(LINE)) if (line.length > 0) tokens += tokenizer.tokenize(line).length;
  return tokens;
}

const modes = {
  /** A CPU profile of `reps` full analyses of one document (after one warm-up), written to `out`. */
  async profile({ dicPath, file, reps, out, intervalUs = 200 }) {
    const { svc } = await service(dicPath);
    const text = readFileSync(file, 'utf8');
    const uri = 'file:///bench/policy/profiled.md';
    let version = 0;
    analyse(svc, uri, ++version, text);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    const t0 = now();
    const runs = [];
    for (let i = 0; i < reps; i++) runs.push(analyse(svc, uri, ++version, text));
    const wallMs = now() - t0;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(out, JSON.stringify(profile));
    return { wallMs, parse: median(runs.map((r) => r.parse)), align: median(runs.map((r) => r.align)), chars: text.length };
  },

  /** Writes the guideline's 例文 drafts and the ~500 KB repeated, renumbered draft. */
  async drafts({ outDir, targetBytes }) {
    const catalog = loadCatalog();
    const standards = renderGuidelineDraft(catalog, 'standards');
    const basic = renderGuidelineDraft(catalog, 'basic-policy');
    writeFileSync(`${outDir}/guideline-standards.md`, standards);
    writeFileSync(`${outDir}/guideline-basic-policy.md`, basic);
    // Repeat the body (front matter and title once), shifting the section numbers (## 1 → ## 10, ### 1.1 → ### 10.1)
    // so that the outline stays one consistent sequence.
    const lines = standards.split('\n');
    const h1 = lines.findIndex((l) => l.startsWith('# '));
    const bodyStart = lines.findIndex((l, i) => i > h1 && l.startsWith('## '));
    const head = lines.slice(0, bodyStart).join('\n');
    const body = lines.slice(bodyStart);
    const top = Math.max(...body.map((l) => /^## (\d+) /.exec(l)?.[1] ?? 0).map(Number));
    // Cut the body into top-level sections and append them (renumbered) one at a time until the target size.
    const sections = [];
    for (const l of body) {
      if (l.startsWith('## ') || sections.length === 0) sections.push([]);
      sections.at(-1).push(l);
    }
    const parts = [];
    let bytes = Buffer.byteLength(head);
    let copies = 0;
    for (let k = 0; bytes < targetBytes; k++) {
      copies++;
      for (const section of sections) {
        if (bytes >= targetBytes) break;
        const renumbered = section
          .map((l) => l.replace(/^(##|###) (\d+)(?=[ .])/, (_m, hashes, n) => `${hashes} ${Number(n) + k * top}`))
          .join('\n');
        parts.push(renumbered);
        bytes += Buffer.byteLength(renumbered) + 1;
      }
    }
    const big = `${head}\n${parts.join('\n')}`;
    writeFileSync(`${outDir}/draft-500k.md`, big);
    return {
      files: {
        'guideline-standards.md': { bytes: Buffer.byteLength(standards), chars: standards.length },
        'guideline-basic-policy.md': { bytes: Buffer.byteLength(basic), chars: basic.length },
        'draft-500k.md': { bytes: Buffer.byteLength(big), chars: big.length, copies },
      },
    };
  },

  /**
   * The floor of measurement 2, measured as the analysis it is compared with: stock kuromoji tokenising a
   * text once, in a process that tokenised another document first and holds nothing else (in one that
   * also holds Kijun's dictionary and caches, the garbage collector's work depends on Kijun's memory; and
   * repeated in one process, each repetition is slower than the last as kuromoji's garbage piles up).
   */
  async floor({ stockDicPath, file, warmupFile }) {
    const tokenizer = await floorTokenizer(stockDicPath);
    if (warmupFile) tokenizeLines(tokenizer, readFileSync(warmupFile, 'utf8'));
    const text = readFileSync(file, 'utf8');
    const t0 = now();
    tokenizeLines(tokenizer, text);
    return { tokenize: now() - t0 };
  },

  /** Measurement 2: warm full analysis vs. kuromoji tokenisation of the same text, per document. */
  async analyze({ dicPath, stockDicPath = dicPath, files, reps, warmup }) {
    const { svc, dictMs, indexMs } = await service(dicPath);
    const tokenizer = await floorTokenizer(stockDicPath);
    const out = { dictMs, indexMs, docs: {} };
    for (const [name, path] of Object.entries(files)) {
      const text = readFileSync(path, 'utf8');
      const uri = `file:///bench/policy/${name}`;
      let version = 0;
      const first = analyse(svc, uri, ++version, text);
      for (let i = 0; i < warmup; i++) analyse(svc, uri, ++version, text);
      const runs = [];
      for (let i = 0; i < reps; i++) runs.push(analyse(svc, uri, ++version, text));
      for (let i = 0; i < warmup; i++) tokenizeLines(tokenizer, text);
      const tok = [];
      let tokens = 0;
      for (let i = 0; i < reps; i++) {
        const t0 = now();
        tokens = tokenizeLines(tokenizer, text);
        tok.push(now() - t0);
      }
      const parsed = svc.getParsed({ uri, version, getText: () => text });
      const count = (ns) => ns.reduce((n, p) => n + 1 + count(p.children), 0);
      out.docs[name] = {
        chars: text.length,
        provisions: count(parsed.provisions),
        findings: first.findings.length,
        codes: [...new Set(first.findings.map((f) => f.code))].sort(),
        first: { total: first.total, parse: first.parse, align: first.align },
        full: stats(runs.map((r) => r.total)),
        parse: stats(runs.map((r) => r.parse)),
        align: stats(runs.map((r) => r.align)),
        tokenize: stats(tok),
        tokens,
      };
      log(`${name}: full ${median(runs.map((r) => r.total)).toFixed(1)} ms, tokenize ${median(tok).toFixed(1)} ms`);
    }
    return out;
  },

  /**
   * The floor of measurement 3: the full analysis of the draft, as its first analysis in a process that
   * has analysed another document before (a warm JIT, a built index, but nothing of this text cached).
   */
  async fullOnce({ dicPath, file, warmupFile }) {
    const { svc } = await service(dicPath);
    if (warmupFile) analyse(svc, 'file:///bench/policy/warmup.md', 1, readFileSync(warmupFile, 'utf8'));
    const r = analyse(svc, 'file:///bench/policy/measured.md', 1, readFileSync(file, 'utf8'));
    return { full: r.total, parse: r.parse, align: r.align };
  },

  /** Measurement 3: re-analysis after one-character edits (façade, increasing versions) vs. full analysis. */
  async edits({ dicPath, file, warmupFile, edits, budgetMs = Infinity, seed, warmupEdits = 0 }) {
    const { svc } = await service(dicPath);
    if (warmupFile) {
      // The warm-up document is analysed, then (warmupEdits > 0) edited as the measured one will be, so
      // that the edits are measured in a process that has done edits before, as the full analysis they are
      // compared with is measured in one that has done a full analysis before.
      let warm = readFileSync(warmupFile, 'utf8');
      const warmUri = 'file:///bench/policy/warmup.md';
      analyse(svc, warmUri, 1, warm);
      const random = rng(seed + 1000);
      for (let i = 0; i < warmupEdits; i++) {
        warm = randomEdit(warm, random).text;
        svc.getDiagnostics({ uri: warmUri, version: 2 + i, getText: () => warm });
      }
    }
    let text = readFileSync(file, 'utf8');
    const uri = 'file:///bench/policy/draft-500k.md';
    let version = 0;
    const first = analyse(svc, uri, ++version, text).total;
    // For information: the same text again as a new version (everything comes from the caches).
    const unchanged = analyse(svc, uri, ++version, text).total;
    const random = rng(seed);
    const times = [];
    const kinds = { insert: 0, delete: 0, replace: 0 };
    const editsStarted = now();
    for (let i = 0; i < edits && now() - editsStarted < budgetMs; i++) {
      const edit = randomEdit(text, random);
      text = edit.text;
      kinds[edit.kind]++;
      // What the server does on didChange + pull: getDiagnostics on the new version.
      const t0 = now();
      svc.getDiagnostics({ uri, version: ++version, getText: () => text });
      times.push(now() - t0);
    }
    return {
      chars: text.length,
      first,
      unchanged,
      edit: { ...stats(times), p50: quantile(times, 0.5), p95: quantile(times, 0.95) },
      kinds,
      seed,
      warmupEdits,
    };
  },

  /**
   * For information beside measurement 3: bytes allocated per one-character edit by stage, in a process
   * whose young generation is too large to be collected during the edits (run.mjs starts it with
   * --max-semi-space-size, --min-semi-space-size and --initial-old-space-size), so that the heap's growth is what each stage
   * allocated: unlike a time, the same from run to run, and what the collector's copying and the page
   * faults of a growing heap scale with. Edits `skip` and on are counted.
   */
  async allocation({ dicPath, file, warmupFile, edits, seed, skip = 20 }) {
    const { svc } = await service(dicPath);
    const { getHeapStatistics } = await import('node:v8');
    const used = () => getHeapStatistics().used_heap_size;
    if (warmupFile) analyse(svc, 'file:///bench/policy/warmup.md', 1, readFileSync(warmupFile, 'utf8'));
    let text = readFileSync(file, 'utf8');
    const uri = 'file:///bench/policy/draft-500k.md';
    let version = 0;
    analyse(svc, uri, ++version, text);
    const random = rng(seed);
    const sums = { parse: 0, roles: 0, alignment: 0, findings: 0 };
    let counted = 0;
    let discarded = 0;
    let collections = 0;
    const { PerformanceObserver } = await import('node:perf_hooks');
    const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
    observer.observe({ entryTypes: ['gc'] });
    for (let i = 0; i < edits; i++) {
      text = randomEdit(text, random).text;
      const doc = { uri, version: ++version, getText: () => text };
      const h0 = used();
      svc.getParsed(doc);
      const h1 = used();
      svc.getRoleModel(doc);
      const h2 = used();
      svc.getAlignment(doc);
      const h3 = used();
      svc.getDiagnostics(doc);
      const h4 = used();
      // The collector's entries arrive after the edit: an edit during which one ran all the same is not counted.
      const before = collections;
      await new Promise((r) => setImmediate(r));
      if (i < skip) continue;
      if (collections !== before || h1 < h0 || h2 < h1 || h3 < h2 || h4 < h3) {
        discarded++;
        continue;
      }
      sums.parse += h1 - h0;
      sums.roles += h2 - h1;
      sums.alignment += h3 - h2;
      sums.findings += h4 - h3;
      counted++;
    }
    await new Promise((r) => setTimeout(r, 10));
    observer.disconnect();
    const perEdit = counted === 0 ? null : Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / counted]));
    return { perEdit, counted, discarded, collections, seed };
  },
};

const [mode, json] = process.argv.slice(2);
if (!modes[mode]) {
  process.stderr.write(`unknown mode ${mode}; one of ${Object.keys(modes).join(', ')}\n`);
  process.exit(2);
}
modes[mode](JSON.parse(json ?? '{}')).then(
  (result) => {
    const r = process.resourceUsage();
    process.stdout.write(`${JSON.stringify({ ...result, maxRssKB: r.maxRSS })}\n`);
  },
  (e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
