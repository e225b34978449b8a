/**
 * The bundle's dictionary (server/src/morph/rawDictionary.ts): written by writeRawDictionary, the function
 * scripts/build.mjs runs, into a temporary folder, it gives kuromoji byte for byte the buffers gunzip gives
 * and so the same tokens; a missing, truncated, longer or altered file, or a bad manifest, rejects the load
 * with the file named, never loads other bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { defaultDictionaryPath, kuromojiTokenizer, loadKuromojiTokenizer, loadRawTokenizer } from '../../server/src/morph/kuromoji';
import { rng } from '../../scripts/rng';
import { RAW_MANIFEST_FILE, readRawFile, readRawManifest, tableCrc32, writeRawDictionary, type RawManifest } from '../../server/src/morph/rawDictionary';
import { decodeTargetMapIndex, encodeTargetMapIndex, lazyTargetMap, targetMapIndex } from '../../server/src/morph/targetMap';
import { decodeWordTable, encodeWordTable, wordIndex } from '../../server/src/morph/wordTable';
import { loadCatalog } from '../../server/src/service/catalog';

/* eslint-disable-next-line @typescript-eslint/no-require-imports -- kuromoji's internal module has no typings */
const TokenInfoDictionary = require('kuromoji/src/dict/TokenInfoDictionary') as new () => { loadTargetMap(b: Uint8Array): unknown; target_map: Record<string, number[]> };
import { repoRoot } from '../helpers/corpus';

const stockPath = defaultDictionaryPath();
const tmp = mkdtempSync(path.join(tmpdir(), 'kijun-dict-'));
const rawPath = path.join(tmp, 'raw');
const manifest = writeRawDictionary(stockPath, rawPath);
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const stockNames = readdirSync(stockPath).filter((n) => n.endsWith('.dat.gz'));

test('every stock file is written without its trailing zeros and read back as the bytes gunzip gives', async () => {
  assert.deepEqual(Object.keys(manifest.files).sort(), [...stockNames].sort());
  assert.equal(stockNames.length, 12);
  let full = 0;
  let written = 0;
  for (const name of stockNames) {
    const gz = readFileSync(path.join(stockPath, name));
    const expected = zlib.gunzipSync(gz);
    const entry = manifest.files[name]!;
    assert.equal(entry.size, expected.length, name);
    assert.equal(statSync(path.join(rawPath, entry.file)).size, entry.length, name);
    assert.ok(entry.length === 0 || expected[entry.length - 1] !== 0, `${name}: a trailing zero was written`);
    assert.deepEqual(entry.source, { bytes: gz.length, sha256: createHash('sha256').update(gz).digest('hex') });
    const buffer = await readRawFile(rawPath, manifest, name);
    assert.ok(Buffer.from(buffer).equals(expected), `${name}: the bytes differ from gunzip's`);
    full += entry.size;
    written += entry.length;
  }
  // The padding that is not shipped: ~100 MB uncompressed, ~65 MB written.
  assert.ok(written < full * 0.7, `${written} of ${full} bytes written`);
  assert.deepEqual(await readRawManifest(rawPath), manifest);
  assert.equal(await readRawManifest(stockPath), undefined, 'the stock folder has no manifest');
});

test('the raw dictionary gives the stock tokens (kuromoji\'s own loader on the .dat.gz files)', async () => {
  const [stock, raw] = await Promise.all([loadRawTokenizer(stockPath, 'stock'), loadRawTokenizer(rawPath, 'fast')]);
  const texts = loadCatalog()
    .items.flatMap((i) => [i.title ?? '', i.text])
    .filter((t) => t.length > 0);
  texts.push('ｱｲｳｴｵ　ﾊﾟｽﾜｰﾄﾞ１２３４５ＡＢＣ', '𠮷野家で🍣を食べた。', '①②③㊿ ⅰⅱⅲ (ア)（イ） 第3条の2 1.1.1', 'CSIRTとISMSとSOC2の監査');
  let tokens = 0;
  // Kijun's tokenizer over each (the raw dictionary's with its word table: no feature string read for a
  // known word) gives the same tokens too, as do its segments alone.
  const [ours, reference] = [kuromojiTokenizer(raw, true), kuromojiTokenizer(stock, false)];
  const random = rng(5);
  const alphabet = [...'あいうえおかきくけこのはをにで情報資産管理者責任統括アイウエオカキクケコーｱｲｳﾊﾟABCabcxyz0123１２３ 　・－〜()（）「」【】①②ⅰⅱ𠮷🍣'];
  for (let i = 0; i < 1_000; i++) {
    let t = '';
    for (let k = 1 + Math.floor(random() * 30); k > 0; k--) t += alphabet[Math.floor(random() * alphabet.length)];
    texts.push(t);
  }
  for (const text of texts) {
    const expected = stock.tokenize(text);
    assert.deepEqual(raw.tokenize(text), expected, text.slice(0, 60));
    assert.deepEqual(ours.tokenize(text), reference.tokenize(text), `Kijun's: ${text.slice(0, 60)}`);
    tokens += expected.length;
  }
  assert.ok(tokens > 10_000, `only ${tokens} tokens compared`);
});

test('the raw dictionary reads entries\' feature strings from the file where asked: the stock strings, the last entry included', async () => {
  type Features = { token_info_dictionary: { getFeatures(id: number): string; dictionary: { buffer: Uint8Array } } };
  const [stock, raw] = (await Promise.all([loadRawTokenizer(stockPath, 'stock'), loadRawTokenizer(rawPath, 'fast')])) as unknown as Features[];
  const entries = stock!.token_info_dictionary.dictionary.buffer.length / 10; // left, right, cost (int16), features (int32)
  assert.ok(entries > 390_000, `${entries} entries`);
  const ids = [0, 10, 20];
  for (let e = 37; e < entries; e += 37) ids.push(e * 10);
  ids.push((entries - 1) * 10);
  // Twice: read from the file, then from what the first read kept.
  for (const round of [1, 2]) {
    for (const id of ids) assert.equal(raw!.token_info_dictionary.getFeatures(id), stock!.token_info_dictionary.getFeatures(id), `entry ${id}, round ${round}`);
  }
  assert.match(raw!.token_info_dictionary.getFeatures((entries - 1) * 10), /^[^,]+,[^,]+,/);
});

test('tid_map.dat\'s index, written by the build, gives the target map kuromoji builds (no scan at load)', async () => {
  const entry = manifest.targetMapIndex;
  assert.ok(entry, 'the build writes an index of the shipped tid_map.dat');
  assert.equal(entry.of, 'tid_map.dat.gz');
  const indexBytes = readFileSync(path.join(rawPath, entry.file));
  assert.equal(indexBytes.length, entry.length);
  assert.equal(tableCrc32(indexBytes, 0), entry.crc32);
  const bytes = new Uint8Array(zlib.gunzipSync(readFileSync(path.join(stockPath, 'tid_map.dat.gz'))));
  const scanned = targetMapIndex(bytes);
  const decoded = decodeTargetMapIndex(new Uint8Array(new Uint8Array(indexBytes).buffer));
  // The index is the scan's, without the keys past the last one.
  assert.ok(decoded.first.length > 390_000 && decoded.first.length <= scanned.first.length);
  assert.deepEqual([...decoded.first], [...scanned.first.subarray(0, decoded.first.length)]);
  assert.ok(scanned.first.subarray(decoded.first.length).every((x) => x < 0));
  const stock = new TokenInfoDictionary();
  stock.loadTargetMap(bytes);
  const lazy = lazyTargetMap(bytes, decoded);
  let keys = 0;
  for (const key of Object.keys(stock.target_map)) {
    assert.deepEqual(lazy[Number(key)], stock.target_map[key], `ids of key ${key}`);
    keys++;
  }
  assert.ok(keys > 300_000);
  for (const key of [-1, decoded.first.length, 10_000_000]) assert.equal(lazy[key], undefined);
  // A map with a repeated key cannot be stood for by an index of first records.
  assert.equal(encodeTargetMapIndex({ first: new Int32Array([4]), sparse: new Map(), more: new Map([[0, [12]]]) }), null);
});

test('the word table, written by the build, gives every word\'s 品詞, 細分類1 and base form as its feature string does', async () => {
  const entry = manifest.words;
  assert.ok(entry, 'the build writes the word table of the shipped dictionary');
  const bytes = readFileSync(path.join(rawPath, entry.file));
  assert.equal(bytes.length, entry.length);
  assert.equal(tableCrc32(bytes, 0), entry.crc32);
  const table = decodeWordTable(new Uint8Array(bytes));
  type Features = { token_info_dictionary: { getFeatures(id: number): string } };
  const stock = (await loadRawTokenizer(stockPath, 'stock')) as unknown as Features;
  assert.equal(table.size, 392_126);
  let compared = 0;
  for (let k = 0; k < table.size; k += k < 1000 ? 1 : 3) {
    const f = stock.token_info_dictionary.getFeatures(k * 10).split(',');
    const base = f[7] && f[7] !== '*' ? f[7] : f[0]!;
    assert.deepEqual([table.pos(k), table.pos1(k), table.base(k, f[0]!)], [f[1], f[2], base], `word ${k}: ${f.join(',')}`);
    compared++;
  }
  assert.ok(compared > 130_000, `${compared} words compared`);
  for (const id of [-10, 5, 3_921_260, 10 * table.size]) assert.equal(wordIndex(table, id), -1, `id ${id}`);
  assert.throws(() => decodeWordTable(new Uint8Array(bytes.subarray(0, bytes.length - 2))), /wrong length|truncated/);
  assert.throws(() => decodeWordTable(new Uint8Array(16)), /not a word table/);
});

test('no word table when a word a trie key reaches has another surface; the loader then reads the feature strings', async () => {
  const g = (n: string) => new Uint8Array(zlib.gunzipSync(readFileSync(path.join(stockPath, n))));
  const [tid, tidPos, tidMap, base, check] = ['tid.dat.gz', 'tid_pos.dat.gz', 'tid_map.dat.gz', 'base.dat.gz', 'check.dat.gz'].map(g);
  const i32 = (b: Uint8Array) => new Int32Array(b!.buffer, b!.byteOffset, b!.byteLength >> 2);
  const map = lazyTargetMap(tidMap!);
  assert.ok(encodeWordTable(tid!, tidPos!, (k) => map[k], i32(base!), i32(check!)), 'the stock dictionary has one');
  // 情報's first word, its surface changed to 情緒 (the same length in UTF-8).
  const key = '情報';
  const trie = (await loadRawTokenizer(stockPath, 'stock')) as unknown as { viterbi_builder: { trie: { commonPrefixSearch(k: string): { k: string; v: number }[] } } };
  const trieId = trie.viterbi_builder.trie.commonPrefixSearch(key).find((m) => m.k === key)!.v;
  const id = map[trieId]![0]!;
  const at = new DataView(tid!.buffer, tid!.byteOffset).getInt32(id + 6, true);
  const altered = new Uint8Array(tidPos!);
  altered.set(Buffer.from('情緒'), at);
  assert.equal(encodeWordTable(tid!, altered, (k) => map[k], i32(base!), i32(check!)), null);
  // A raw dictionary without the table (as such a build writes it) gives the stock tokens all the same.
  const dir = damaged('no-words', (d) => editManifest(d, (m) => delete (m as { words?: unknown }).words));
  const [stockTokens, raw] = await Promise.all([loadRawTokenizer(stockPath, 'stock'), loadRawTokenizer(dir, 'fast')]);
  const [ours, reference] = [kuromojiTokenizer(raw, true), kuromojiTokenizer(stockTokens, false)];
  for (const text of loadCatalog().items.slice(0, 100).map((i) => i.text)) assert.deepEqual(ours.tokenize(text), reference.tokenize(text), text.slice(0, 40));
});

test('only what kuromoji keeps of the trie\'s arrays is read: the same double array as from the whole files', async () => {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports -- no typings */
  const doublearray = require('doublearray') as { load(base: Int32Array, check: Int32Array): { bc: { getBaseBuffer(): Int32Array; getCheckBuffer(): Int32Array } } };
  const arrays = async (kept: boolean) => {
    const [base, check] = await Promise.all(['base.dat.gz', 'check.dat.gz'].map((n) => readRawFile(rawPath, manifest, n, { crc: false, kept })));
    return { read: base!.byteLength + check!.byteLength, trie: doublearray.load(new Int32Array(base!), new Int32Array(check!)).bc };
  };
  const whole = await arrays(false);
  const kept = await arrays(true);
  assert.equal(manifest.files['base.dat.gz']!.kept, manifest.files['check.dat.gz']!.kept);
  assert.ok(kept.read < whole.read * 0.7, `${kept.read} of ${whole.read} bytes read`);
  assert.ok(Buffer.from(kept.trie.getBaseBuffer().buffer, kept.trie.getBaseBuffer().byteOffset, kept.trie.getBaseBuffer().byteLength).equals(Buffer.from(whole.trie.getBaseBuffer().buffer, whole.trie.getBaseBuffer().byteOffset, whole.trie.getBaseBuffer().byteLength)));
  assert.deepEqual(kept.trie.getCheckBuffer(), whole.trie.getCheckBuffer());
});

/** A copy of the raw dictionary (hard links, the damaged file rewritten) with `damage` done to it. */
function damaged(label: string, damage: (dir: string) => void): string {
  const dir = path.join(tmp, label);
  mkdirSync(dir);
  for (const f of readdirSync(rawPath)) linkSync(path.join(rawPath, f), path.join(dir, f));
  damage(dir);
  return dir;
}

/** Replaces `file` of `dir` by a file of its own (not a link to the shared one) with `bytes`. */
function rewrite(dir: string, file: string, bytes: Uint8Array): void {
  unlinkSync(path.join(dir, file));
  writeFileSync(path.join(dir, file), bytes);
}

function editManifest(dir: string, edit: (m: { format: string; files: Record<string, Record<string, unknown>> }) => void): void {
  const m = JSON.parse(readFileSync(path.join(rawPath, RAW_MANIFEST_FILE), 'utf8'));
  edit(m);
  rewrite(dir, RAW_MANIFEST_FILE, Buffer.from(JSON.stringify(m)));
}

async function assertRejects(dir: string, message: RegExp): Promise<void> {
  await assert.rejects(loadKuromojiTokenizer(dir), (e: Error) => {
    assert.match(e.message, /cannot load the kuromoji dictionary at/);
    assert.match(e.message, message);
    return true;
  });
}

test('a truncated, longer, missing or altered raw file rejects the load with the file named', async () => {
  const tidPos = manifest.files['tid_pos.dat.gz']!;
  const original = readFileSync(path.join(rawPath, 'tid_pos.dat'));
  await assertRejects(
    damaged('truncated', (d) => rewrite(d, 'tid_pos.dat', original.subarray(0, original.length - 1000))),
    new RegExp(`tid_pos\\.dat has ${tidPos.length - 1000} bytes, manifest\\.json says ${tidPos.length}`),
  );
  await assertRejects(
    damaged('longer', (d) => rewrite(d, 'unk.dat', Buffer.concat([readFileSync(path.join(rawPath, 'unk.dat')), Buffer.from([0])]))),
    /unk\.dat has 399 bytes, manifest\.json says 398/,
  );
  await assertRejects(
    damaged('empty', (d) => {
      unlinkSync(path.join(d, 'cc.dat'));
      writeFileSync(path.join(d, 'cc.dat'), '');
    }),
    /cc\.dat has 0 bytes/,
  );
  await assertRejects(
    damaged('missing', (d) => unlinkSync(path.join(d, 'check.dat'))),
    /ENOENT.*check\.dat/,
  );
  const altered = Buffer.from(original);
  altered[altered.length >> 1] ^= 0x40;
  await assertRejects(
    damaged('altered', (d) => rewrite(d, 'tid_pos.dat', altered)),
    /tid_pos\.dat does not match its CRC-32 in manifest\.json/,
  );
  const index = readFileSync(path.join(rawPath, 'tid_map.idx'));
  const alteredIndex = Buffer.from(index);
  alteredIndex[alteredIndex.length >> 1] ^= 0x01;
  await assertRejects(
    damaged('index-altered', (d) => rewrite(d, 'tid_map.idx', alteredIndex)),
    /tid_map\.idx does not match its CRC-32 in manifest\.json/,
  );
  await assertRejects(
    damaged('index-truncated', (d) => rewrite(d, 'tid_map.idx', index.subarray(0, index.length - 4))),
    new RegExp(`tid_map\\.idx has ${index.length - 4} bytes, manifest\\.json says ${index.length}`),
  );
  const words = readFileSync(path.join(rawPath, 'tid_words.dat'));
  const alteredWords = Buffer.from(words);
  alteredWords[alteredWords.length >> 1] ^= 0x01;
  await assertRejects(
    damaged('words-altered', (d) => rewrite(d, 'tid_words.dat', alteredWords)),
    /tid_words\.dat does not match its CRC-32 in manifest\.json/,
  );
  await assertRejects(
    damaged('words-truncated', (d) => rewrite(d, 'tid_words.dat', words.subarray(0, words.length - 2))),
    new RegExp(`tid_words\\.dat has ${words.length - 2} bytes, manifest\\.json says ${words.length}`),
  );
  // A file of zeros of the right length (what a crash can leave on some file systems).
  await assertRejects(
    damaged('zeroed', (d) => rewrite(d, 'base.dat', new Uint8Array(manifest.files['base.dat.gz']!.length))),
    /base\.dat does not match its CRC-32/,
  );
});

test('a bad manifest rejects the load; without a manifest the folder is read as stock .dat.gz files', async () => {
  await assertRejects(
    damaged('manifest-json', (d) => rewrite(d, RAW_MANIFEST_FILE, Buffer.from('{"format":'))),
    /manifest\.json: .*JSON/,
  );
  await assertRejects(
    damaged('manifest-format', (d) => editManifest(d, (m) => (m.format = 'kijun-raw-dictionary/0'))),
    /manifest\.json is not a manifest of kijun-raw-dictionary\/1: format "kijun-raw-dictionary\/0"/,
  );
  await assertRejects(
    damaged('manifest-entry', (d) => editManifest(d, (m) => (m.files['tid.dat.gz']!['length'] = -1))),
    /bad entry for tid\.dat\.gz/,
  );
  await assertRejects(
    damaged('manifest-path', (d) => editManifest(d, (m) => (m.files['tid.dat.gz']!['file'] = '../tid.dat'))),
    /bad entry for tid\.dat\.gz/,
  );
  await assertRejects(
    damaged('manifest-index', (d) => editManifest(d, (m) => ((m as unknown as { targetMapIndex: { of: string } }).targetMapIndex.of = 'tid.dat.gz'))),
    /bad targetMapIndex/,
  );
  await assertRejects(
    damaged('manifest-words', (d) => editManifest(d, (m) => ((m as unknown as { words: { file: string } }).words.file = '../tid_words.dat'))),
    /bad words/,
  );
  await assertRejects(
    damaged('manifest-missing-entry', (d) => editManifest(d, (m) => delete m.files['unk_map.dat.gz'])),
    /manifest\.json lists no unk_map\.dat\.gz/,
  );
  // A size kuromoji cannot view as its typed array (unk_compat.dat is read as a Uint32Array): what
  // kuromoji throws rejects the load, nothing escapes it.
  await assertRejects(
    damaged('manifest-size', (d) => editManifest(d, (m) => (m.files['unk_compat.dat.gz']!['size'] = 262_143))),
    /RangeError|multiple of 4/,
  );
  await assertRejects(
    damaged('no-manifest', (d) => unlinkSync(path.join(d, RAW_MANIFEST_FILE))),
    // kuromoji reads its files in parallel: the first one it misses names the error (base, check, tid…).
    /ENOENT.*[a-z_]+\.dat\.gz/,
  );
  await assert.rejects(loadRawTokenizer(rawPath, 'stock'), /kuromoji's own loader reads \.dat\.gz files/);
});

test('the table CRC-32 (for a Node without zlib.crc32) gives zlib\'s values, in one piece or continued', () => {
  const zcrc = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
  for (const n of [0, 1, 7, 1000, 65_537]) {
    const data = randomBytes(n);
    const expected = zcrc ? zcrc(data, 0) : undefined;
    const whole = tableCrc32(data, 0);
    if (expected !== undefined) assert.equal(whole, expected, `${n} bytes`);
    assert.equal(tableCrc32(data.subarray(n >> 1), tableCrc32(data.subarray(0, n >> 1), 0)), whole, `${n} bytes continued`);
  }
  assert.equal(tableCrc32(Buffer.from('123456789'), 0), 0xcbf43926);
});

const builtDict = path.join(repoRoot, 'dist', 'dict');
const built = existsSync(path.join(builtDict, RAW_MANIFEST_FILE));
test('the built dist/dict is the installed kuromoji dictionary', { skip: !built && `reason: ${builtDict} holds no raw dictionary (npm run build)` }, async () => {
  const m = JSON.parse(readFileSync(path.join(builtDict, RAW_MANIFEST_FILE), 'utf8')) as RawManifest;
  assert.deepEqual(m.files, manifest.files);
  for (const entry of Object.values(m.files)) assert.equal(statSync(path.join(builtDict, entry.file)).size, entry.length, entry.file);
});
