/**
 * Long fuzzing run of the properties that `npm test` runs with a fixed seed (tests/fuzz/properties.ts).
 * Usage: npm run fuzz -- [--time S] [--runs N] [--seed N] [--only parser,skeleton,facade,incremental,fixes] [--path P] [--hostile-runs]
 *   --time S        seconds per property (default 60); --runs N caps the cases per property (default: no cap)
 *   --seed N        replay a seed (default: random, printed); --path P replays one failing case (printed on failure)
 *   --hostile-runs  give the façade properties long runs of one character class too (kuromoji is quadratic on
 *                   them: see tests/unit/fuzz-regressions.test.ts; expect minutes per case until that is fixed)
 * Prints how many cases each property ran; on a failure the seed, the replay command and the shrunk
 * counterexample, and exits 1.
 */
import fc from 'fast-check';
import { loadKuromojiTokenizer } from '../server/src/morph/kuromoji';
import { facadeProperty, fixesProperty, incrementalProperty, memoised, newService, parserProperty, skeletonProperty } from '../tests/fuzz/properties';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const seconds = Number(flag('time') ?? 60);
  const maxRuns = flag('runs') === undefined ? Number.MAX_SAFE_INTEGER : Number(flag('runs'));
  const seed = flag('seed') === undefined ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(flag('seed'));
  const path = flag('path');
  const hostile = process.argv.includes('--hostile-runs');
  const only = new Set((flag('only') ?? 'parser,skeleton,facade,incremental,fixes').split(','));
  console.log(`fuzz: seed ${seed}, ${seconds} s per property${maxRuns < Number.MAX_SAFE_INTEGER ? `, at most ${maxRuns} cases` : ''}${hostile ? ', hostile runs' : ''}`);

  const started = Date.now();
  const tokenizer = only.has('facade') || only.has('incremental') || only.has('fixes') ? memoised(await loadKuromojiTokenizer()) : undefined;
  if (tokenizer) console.log(`kuromoji loaded in ${Date.now() - started} ms`);
  const service = tokenizer ? newService(tokenizer) : undefined;

  const properties: [string, () => fc.IProperty<never>][] = [
    ['parser', () => parserProperty as unknown as fc.IProperty<never>],
    ['skeleton', () => skeletonProperty as unknown as fc.IProperty<never>],
    ['facade', () => facadeProperty(service!, hostile) as unknown as fc.IProperty<never>],
    ['incremental', () => incrementalProperty(service!, () => newService(tokenizer!), hostile) as unknown as fc.IProperty<never>],
    ['fixes', () => fixesProperty(service!, 40) as unknown as fc.IProperty<never>],
  ];
  let total = 0;
  let failed = false;
  for (const [name, make] of properties) {
    if (!only.has(name)) continue;
    const t0 = Date.now();
    const details = fc.check(make(), {
      seed,
      numRuns: maxRuns,
      interruptAfterTimeLimit: seconds * 1000,
      markInterruptAsFailure: false,
      ...(path ? { path, endOnFailure: true } : {}),
    });
    total += details.numRuns;
    const rate = details.numRuns / Math.max(0.001, (Date.now() - t0) / 1000);
    console.log(`${name}: ${details.numRuns} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s (${rate.toFixed(1)}/s)${details.interrupted ? ', stopped by --time' : ''}${details.failed ? ' — FAILED' : ''}`);
    if (details.failed) {
      failed = true;
      console.log(`  replay: npm run fuzz -- --only ${name} --seed ${details.seed} --path ${details.counterexamplePath ?? ''}${hostile ? ' --hostile-runs' : ''}`);
      console.log(fc.defaultReportMessage(details));
      const e = details.errorInstance;
      console.log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  }
  console.log(`${total} cases in ${((Date.now() - started) / 1000).toFixed(0)} s, seed ${seed}: ${failed ? 'FAILED' : 'no failure'}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(2);
  },
);
