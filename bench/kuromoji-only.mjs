// The floor of measurements 1 and 5: a fresh process that only loads the kuromoji dictionary.
// Usage: node bench/kuromoji-only.mjs <dicPath>
// Prints one JSON line: the load time inside the process and the peak RSS (VmHWM) after the load.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const kuromoji = createRequire(import.meta.url)('kuromoji');
const vm = (key) => {
  try {
    return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN; // not Linux: maxRssKB below still says it
  }
};
const started = performance.now();
kuromoji.builder({ dicPath: process.argv[2] }).build((err, tokenizer) => {
  if (err || !tokenizer) {
    process.stderr.write(`${err?.message ?? 'no tokenizer'}\n`);
    process.exit(1);
  }
  const loadMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ loadMs, vmHwmKB: vm('VmHWM'), maxRssKB: process.resourceUsage().maxRSS })}\n`);
});
