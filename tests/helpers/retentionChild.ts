/**
 * Run by tests/unit/memoryRetention.test.ts in a child process with --expose-gc (heap figures after full
 * collections; one JSON line on stdout). Modes:
 *  - `slices <plain|detached>`: 40 strings of 1,000,000 code units, keeping a 20-unit slice of each, plain
 *    or detached — the heap growth in bytes;
 *  - `edits`: the 例文 standards draft analysed and edited 200 times — how many strings the size of its
 *    text (its versions) the heap then holds;
 *  - `words`: a long dictionary word tokenised in a slice of a 1,000,000-unit text — whether the text
 *    outlives it (a raw dictionary with its word table, written for the run).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { defaultDictionaryPath, loadKuromojiTokenizer, loadRawTokenizer } from '../../server/src/morph/kuromoji';
import { writeRawDictionary } from '../../server/src/morph/rawDictionary';
import type { Token } from '../../server/src/service/morph/types';
import { createPolicyService } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import { detached } from '../../server/src/service/text/detach';
import { repoRoot } from './corpus';
import { randomEdit } from '../../scripts/edits';
import { rng } from '../../scripts/rng';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

async function main(): Promise<unknown> {
  const [mode, variant] = process.argv.slice(2);
  if (mode === 'slices') {
    const kept: string[] = [];
    const before = heap();
    for (let i = 0; i < 40; i++) kept.push(cut(i, variant === 'plain'));
    const growth = heap() - before;
    return { growth, kept: kept.length };
  }
  if (mode === 'words') {
    // A known word's token is kept for the tokenizer's lifetime: its surface, cut from the segment (a slice
    // of a large text here), must not keep that text (the raw dictionary has the word table).
    const dir = mkdtempSync(join(tmpdir(), 'kijun-words-'));
    try {
      writeRawDictionary(defaultDictionaryPath(), dir);
      const raw = await loadRawTokenizer(dir, 'fast');
      const word = 'インフォームド・コンセント';
      const tokens: Token[] = [];
      const tokenizeIn = (): void => {
        const big = [word, 'を得る。', '情報'.repeat(500_000)].join('');
        tokens.push(...raw.segmentWords!(big.slice(0, 20)).words);
      };
      tokenizeIn();
      const kept = tokens.find((t) => t.surface === word);
      return { wordKept: kept ? 1 : 0, textsAlive: stringsLike(word, 1.9e6), retained: tokens.length };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const tokenizer = await loadKuromojiTokenizer();
  const service = createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => tokenizer });
  const text = readFileSync(join(repoRoot, 'tests', 'fixtures', 'guideline-draft', 'standards.md'), 'utf8');
  const uri = 'file:///retention.md';
  let version = 0;
  const analyse = (t: string): void => void service.getDiagnostics({ uri, version: ++version, getText: () => t });
  analyse(text);
  // One-character edits at random places, as the benchmark makes them.
  const random = rng(1);
  let current = text;
  for (let i = 0; i < 200; i++) analyse((current = randomEdit(current, random).text));
  return { versionsAlive: stringsLike(text.slice(0, 40), 1.6 * text.length), edits: 200 };
}

/** A 20-unit slice of a new flat string of 1,000,000 units, plain or detached (in a frame of its own). */
function cut(i: number, plain: boolean): string {
  const big = [`${i}情報`, '資産'.repeat(499_998)].join('');
  const slice = big.slice(100, 120);
  return plain ? slice : detached(slice);
}

/** How many strings of at least `bytes` bytes that start with `head` the heap holds (a heap snapshot, read back). */
function stringsLike(head: string, bytes: number): number {
  const file = writeHeapSnapshot(join(mkdtempSync(join(tmpdir(), 'kijun-heap-')), 'edits.heapsnapshot'));
  try {
    const snap = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
    const fields = snap.snapshot.meta.node_fields;
    const width = fields.length;
    const type = fields.indexOf('type');
    const name = fields.indexOf('name');
    const size = fields.indexOf('self_size');
    const stringType = snap.snapshot.meta.node_types[0].indexOf('string');
    let n = 0;
    for (let i = 0; i < snap.nodes.length; i += width) {
      if (snap.nodes[i + type] === stringType && snap.nodes[i + size]! >= bytes && snap.strings[snap.nodes[i + name]!]!.startsWith(head)) n++;
    }
    return n;
  } finally {
    rmSync(dirname(file), { recursive: true, force: true });
  }
}

main().then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
