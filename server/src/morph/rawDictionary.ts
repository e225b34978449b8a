/**
 * The dictionary as the bundle ships it: kuromoji's `.dat.gz` files gunzipped at build time, each written
 * without its trailing zero bytes (most files are mostly zero padding: unk.dat is 10 MB for 398 bytes of
 * data), plus `manifest.json` saying, per stock file, its uncompressed size, the length written and a
 * CRC-32 of those bytes. At load time a buffer of the full size is allocated (zero-filled; the pages of
 * the padding are never written, so they cost no memory) and the file is read into its start: kuromoji is
 * handed exactly the bytes gunzip would give, for a read instead of a gunzip (~100 MB of output). A fresh
 * page costs its fault (~10 µs on the machines measured), so what is never looked at is not read: of the
 * trie's base.dat and check.dat only what kuromoji keeps (`kept`), tid_pos.dat not at all (openRawFile:
 * the loader reads its strings where asked), tid_map.dat is indexed at build time (tid_map.idx), and what
 * a token takes from a known word's features is tabled at build time (tid_words.dat, wordTable.ts).
 *
 * scripts/build.mjs calls writeRawDictionary (bundled); dictionary.ts reads with readRawManifest and
 * readRawFile when the manifest is there and gunzips the stock files otherwise (node_modules/kuromoji/dict,
 * the tests). A missing, truncated, longer or altered file is an error naming the file, never other bytes:
 * its length is checked against the manifest before it is read, and its CRC-32 either while it is read
 * (readRawFile) or, as the loader does, by verifyRawDictionary on a worker thread while the main thread
 * reads and builds the dictionaries (64 MB of CRC-32 took 40–60 ms of the main thread); the loader hands
 * out no tokenizer before both are done.
 */
import { open, readFile } from 'node:fs/promises';
import * as fs from 'node:fs';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { encodeTargetMapIndex, int32s, lazyTargetMap, targetMapIndex } from './targetMap';
import { encodeWordTable } from './wordTable';

export const RAW_MANIFEST_FILE = 'manifest.json';
export const RAW_FORMAT = 'kijun-raw-dictionary/1';

export interface RawEntry {
  /** The file written, beside the manifest (the stock name without `.gz`). */
  readonly file: string;
  /** The uncompressed size: the size of the buffer kuromoji gets. */
  readonly size: number;
  /** The bytes written (the rest of `size` is zeros). */
  readonly length: number;
  /** CRC-32 of the `length` bytes written. */
  readonly crc32: number;
  /**
   * base.dat and check.dat (the trie's double array): the bytes kuromoji keeps of it. Its DoubleArray
   * drops the unused end of both arrays when it loads them (`shrink`: 741,653 of 2,097,152 entries in the
   * shipped dictionary), so the loader reads and hands over only these (readRawFile `kept`).
   */
  readonly kept?: number;
  /** The stock file it was made from: its size and SHA-256, to tell which dictionary it is. */
  readonly source: { readonly bytes: number; readonly sha256: string };
}

export interface RawManifest {
  readonly format: typeof RAW_FORMAT;
  /** Keyed by the stock file name kuromoji asks for (`base.dat.gz`). */
  readonly files: Readonly<Record<string, RawEntry>>;
  /** tid_map.dat's index (targetMap.ts), when the build could write one: the loader then skips its scan. */
  readonly targetMapIndex?: RawIndexEntry;
  /**
   * The words' 品詞 and base forms (wordTable.ts), when the build could write them: the tokenizer then reads
   * no feature string of a known word from tid_pos.dat.
   */
  readonly words?: RawDerivedEntry;
}

/** A file the build derived from stock ones. */
export interface RawDerivedEntry {
  readonly file: string;
  readonly length: number;
  /** CRC-32 of its bytes. */
  readonly crc32: number;
}

/** A file the build derived from a stock one. */
export interface RawIndexEntry extends RawDerivedEntry {
  /** The stock file it indexes (`tid_map.dat.gz`). */
  readonly of: string;
}

/** The stock target map the build indexes. */
export const TARGET_MAP_FILE = 'tid_map.dat.gz';

/** Converts every `*.dat.gz` of `from` (kuromoji's dict folder) into `to`; the manifest is written last. */
export function writeRawDictionary(from: string, to: string): RawManifest {
  const names = readdirSync(from)
    .filter((n) => n.endsWith('.dat.gz'))
    .sort();
  if (names.length === 0) throw new Error(`no .dat.gz files in ${from}`);
  mkdirSync(to, { recursive: true });
  const files: Record<string, RawEntry> = {};
  let targetMapIndexEntry: RawIndexEntry | undefined;
  let checks: DataView | undefined;
  // What the word table is made of (the bytes as gunzip gives them).
  const sources = new Map<string, Uint8Array>();
  for (const name of names) {
    const gz = readFileSync(path.join(from, name));
    const bytes = zlib.gunzipSync(gz);
    let length = bytes.length;
    while (length > 0 && bytes[length - 1] === 0) length--;
    const data = bytes.subarray(0, length);
    const file = name.slice(0, -'.gz'.length);
    writeFileSync(path.join(to, file), data);
    files[name] = { file, size: bytes.length, length, crc32: crc32(data, 0), source: { bytes: gz.length, sha256: createHash('sha256').update(gz).digest('hex') } };
    if (name === 'check.dat.gz') checks = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (WORD_TABLE_SOURCES.includes(name)) sources.set(name, name === 'tid.dat.gz' ? data : bytes);
    if (name === TARGET_MAP_FILE) {
      const index = encodeTargetMapIndex(targetMapIndex(bytes));
      if (index) {
        const indexFile = 'tid_map.idx';
        writeFileSync(path.join(to, indexFile), index);
        targetMapIndexEntry = { file: indexFile, of: name, length: index.length, crc32: crc32(index, 0) };
      }
    }
  }
  // What DoubleArray.shrink keeps of both arrays: up to the last entry whose check is not negative, and one more.
  const base = files['base.dat.gz'];
  const check = files['check.dat.gz'];
  if (base && check && checks) {
    let last = (checks.byteLength >> 2) - 1;
    while (last >= 0 && checks.getInt32(4 * last, true) < 0) last--;
    if (last >= 0) {
      const kept = (last + 2) * 4;
      if (kept < base.size) files['base.dat.gz'] = { ...base, kept };
      if (kept < check.size) files['check.dat.gz'] = { ...check, kept };
    }
  }
  const words = writeWordTable(sources, to);
  const manifest: RawManifest = {
    format: RAW_FORMAT,
    files,
    ...(targetMapIndexEntry ? { targetMapIndex: targetMapIndexEntry } : {}),
    ...(words ? { words } : {}),
  };
  writeFileSync(path.join(to, RAW_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The stock files the word table is made of. */
const WORD_TABLE_SOURCES = ['tid.dat.gz', 'tid_pos.dat.gz', 'tid_map.dat.gz', 'base.dat.gz', 'check.dat.gz'];

/** The file of the word table beside the raw files. */
const WORD_TABLE_FILE = 'tid_words.dat';

/** Writes the word table (wordTable.ts) into `to`, when the sources are all there and it can be made. */
function writeWordTable(sources: ReadonlyMap<string, Uint8Array>, to: string): RawDerivedEntry | undefined {
  const [tid, tidPos, tidMap, base, check] = WORD_TABLE_SOURCES.map((n) => sources.get(n));
  if (!tid || !tidPos || !tidMap || !base || !check) return undefined;
  const map = lazyTargetMap(tidMap);
  const table = encodeWordTable(tid, tidPos, (trieId) => map[trieId], int32s(base), int32s(check));
  if (!table) return undefined;
  writeFileSync(path.join(to, WORD_TABLE_FILE), table);
  return { file: WORD_TABLE_FILE, length: table.length, crc32: crc32(table, 0) };
}

/** The manifest of the raw dictionary in `dicPath`, or undefined when there is none (stock `.dat.gz` files). */
export async function readRawManifest(dicPath: string): Promise<RawManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dicPath, RAW_MANIFEST_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new Error(`${RAW_MANIFEST_FILE}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = manifestProblem(manifest);
  if (problem) throw new Error(`${RAW_MANIFEST_FILE} is not a manifest of ${RAW_FORMAT}: ${problem}`);
  return manifest as RawManifest;
}

/** A file name the manifest may give: in the dictionary folder itself, not hidden. */
function isPlainFileName(file: unknown): file is string {
  return typeof file === 'string' && file === path.basename(file) && !file.startsWith('.');
}

function manifestProblem(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null) return 'not an object';
  const { format, files } = m as { format?: unknown; files?: unknown };
  if (format !== RAW_FORMAT) return `format ${JSON.stringify(format)}`;
  if (typeof files !== 'object' || files === null) return 'no files';
  const uint = (x: unknown, max: number): boolean => Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= max;
  for (const [name, e] of Object.entries(files)) {
    const { file, size, length, crc32: crc, kept } = (e ?? {}) as Partial<Record<keyof RawEntry, unknown>>;
    const ok =
      isPlainFileName(file) &&
      uint(size, 2 ** 31 - 1) &&
      uint(length, size as number) &&
      uint(crc, 0xffffffff) &&
      (kept === undefined || (uint(kept, size as number) && (kept as number) % 4 === 0));
    if (!ok) return `bad entry for ${name}`;
  }
  const index = (m as { targetMapIndex?: unknown }).targetMapIndex;
  if (index !== undefined) {
    const { file, of, length, crc32: crc } = (index ?? {}) as Partial<Record<keyof RawIndexEntry, unknown>>;
    const ok = isPlainFileName(file) && of === TARGET_MAP_FILE && uint(length, 2 ** 31 - 1) && (length as number) % 4 === 0 && uint(crc, 0xffffffff);
    if (!ok) return 'bad targetMapIndex';
  }
  const words = (m as { words?: unknown }).words;
  if (words !== undefined) {
    const { file, length, crc32: crc } = (words ?? {}) as Partial<Record<keyof RawDerivedEntry, unknown>>;
    if (!(isPlainFileName(file) && uint(length, 2 ** 31 - 1) && uint(crc, 0xffffffff))) return 'bad words';
  }
  return undefined;
}

/** Bytes read and checksummed at a time: the main thread never computes a CRC over more than this at once. */
const CHUNK = 2 * 1024 * 1024;

/**
 * The stock file `name` (`base.dat.gz`) from the raw dictionary: an ArrayBuffer of its uncompressed size
 * holding exactly the bytes gunzip would give. Rejects with the file named when it is not in the manifest,
 * cannot be read, has another length than the manifest says or (unless `crc` is false: the caller has
 * verifyRawDictionary check it) another CRC-32. With `kept`, only the bytes kuromoji keeps of it (its
 * `kept`, when the manifest gives one; no CRC-32 is computed then, the caller has it checked).
 */
export async function readRawFile(dicPath: string, manifest: RawManifest, name: string, options: { readonly crc?: boolean; readonly kept?: boolean } = {}): Promise<ArrayBuffer> {
  const entry = Object.prototype.hasOwnProperty.call(manifest.files, name) ? manifest.files[name] : undefined;
  if (!entry) throw new Error(`${RAW_MANIFEST_FILE} lists no ${name}`);
  const { file, length: fileLength } = entry;
  const size = options.kept && entry.kept !== undefined ? entry.kept : entry.size;
  const length = Math.min(fileLength, size);
  const damaged = (what: string) => new Error(damagedMessage(file, what));
  const checksum = (options.crc ?? true) && length === fileLength;
  const handle = await open(path.join(dicPath, file), 'r');
  // Zero-filled: the pages of the padding after `length` are never written.
  const buffer = new ArrayBuffer(size);
  const view = new Uint8Array(buffer);
  try {
    const actual = (await handle.stat()).size;
    if (actual !== fileLength) throw damaged(`has ${actual} bytes, ${RAW_MANIFEST_FILE} says ${fileLength}`);
    // Chunks read one ahead of the one checksummed, each read in place into the buffer.
    const readAt = async (at: number): Promise<number> => {
      const want = Math.min(CHUNK, length - at);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(view, at + got, want - got, at + got);
        if (bytesRead === 0) throw damaged(`ended at ${at + got} of ${length} bytes while read`);
        got += bytesRead;
      }
      return want;
    };
    let crc = 0;
    let next = length > 0 ? readAt(0) : undefined;
    for (let at = 0; next; ) {
      const n = await next;
      next = at + n < length ? readAt(at + n) : undefined;
      if (checksum) crc = crc32(view.subarray(at, at + n), crc);
      at += n;
    }
    if (checksum && crc !== entry.crc32) throw damaged(`does not match its CRC-32 in ${RAW_MANIFEST_FILE}`);
  } finally {
    await handle.close();
  }
  zeroTails.set(buffer, length);
  return buffer;
}

/** Buffers of readRawFile: where their padding starts (zero-filled, never written from there on). */
const zeroTails = new WeakMap<ArrayBufferLike, number>();

/**
 * For a buffer readRawFile returned, the offset from which every byte is zero by construction (the file's
 * length: the rest of the buffer is the zero padding the build dropped); undefined for any other buffer.
 * Reading a megabyte of padding to find it zero costs the page faults of its pages (~10 ms on the machines
 * measured), for nothing.
 */
export function knownZerosFrom(buffer: ArrayBufferLike): number | undefined {
  return zeroTails.get(buffer);
}

/** The index `entry` of the raw dictionary, its length checked (its CRC-32 is verifyRawDictionary's to check). */
export async function readRawIndex(dicPath: string, entry: RawDerivedEntry): Promise<ArrayBuffer> {
  const bytes = await readFile(path.join(dicPath, entry.file));
  if (bytes.length !== entry.length) throw new Error(damagedMessage(entry.file, `has ${bytes.length} bytes, ${RAW_MANIFEST_FILE} says ${entry.length}`));
  // Its own memory, aligned for an Int32Array (a copy only if it is a slice of Node's buffer pool).
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
}

/** A raw file kept open and read in pieces where asked (see openRawFile). */
export interface RawFileReader {
  /** The bytes written (checked against the manifest when opened). */
  readonly length: number;
  /** Reads the bytes from `at` into `into` (fewer at the end of `length`): how many were read. */
  read(at: number, into: Uint8Array): number;
  close(): void;
}

/**
 * The stock file `name` from the raw dictionary, opened and checked for its length but not read: for a
 * file of which a session reads a few thousand scattered records (tid_pos.dat, 36 MB of feature strings),
 * reading the records where asked costs less than the page faults of a 36 MB buffer (~100 ms here). The
 * file stays open, so an update that replaces or deletes it meanwhile does not change what is read; its
 * CRC-32 is verifyRawDictionary's to check. Rejects with the file named, as readRawFile.
 */
export async function openRawFile(dicPath: string, manifest: RawManifest, name: string): Promise<RawFileReader> {
  const entry = Object.prototype.hasOwnProperty.call(manifest.files, name) ? manifest.files[name] : undefined;
  if (!entry) throw new Error(`${RAW_MANIFEST_FILE} lists no ${name}`);
  const { file, length } = entry;
  const handle = await open(path.join(dicPath, file), 'r');
  let fd: number | undefined = handle.fd;
  try {
    const actual = (await handle.stat()).size;
    if (actual !== length) throw new Error(damagedMessage(file, `has ${actual} bytes, ${RAW_MANIFEST_FILE} says ${length}`));
  } catch (e) {
    await handle.close();
    throw e;
  }
  return {
    length,
    read(at, into) {
      if (fd === undefined) throw new Error(`${file} was closed`);
      const want = Math.max(0, Math.min(into.length, length - at));
      let got = 0;
      while (got < want) {
        const n = fs.readSync(fd, into, got, want - got, at + got);
        if (n === 0) throw new Error(damagedMessage(file, `ended at ${at + got} of ${length} bytes while read`));
        got += n;
      }
      return got;
    },
    close() {
      if (fd === undefined) return;
      fd = undefined;
      void handle.close();
    },
  };
}

const damagedMessage = (file: string, what: string): string =>
  `${file} ${what}: the dictionary is damaged or from another build (reinstall Kijun, or rebuild it: npm run build)`;

/**
 * Checks every file of the manifest (its length, then its CRC-32, read in chunks) on a worker thread, so
 * that the main thread only reads: resolves when all match, rejects with the first problem as
 * readRawFile words it (the file named). Without worker threads the check runs here, as readRawFile's.
 * `cancel` stops the worker (the load failed for another reason).
 */
export function verifyRawDictionary(dicPath: string, manifest: RawManifest): { readonly done: Promise<void>; cancel(): void } {
  const entries = [...Object.values(manifest.files), ...(manifest.targetMapIndex ? [manifest.targetMapIndex] : []), ...(manifest.words ? [manifest.words] : [])].map(({ file, length, crc32: crc }) => ({
    file,
    length,
    crc,
  }));
  const source = `const { parentPort, workerData } = require('node:worker_threads');
    parentPort.postMessage((${checkRawFiles.toString()})(require('node:fs'), require('node:zlib'), require('node:path'), workerData.dicPath, workerData.entries, (${damagedMessage.toString()})));`;
  let worker: Worker | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const settle = (problem: string | null) => (problem === null ? resolve() : reject(new Error(problem)));
    try {
      worker = new Worker(source, { eval: true, workerData: { dicPath, entries } });
    } catch {
      settle(checkRawFiles(fs, zlib, path, dicPath, entries, damagedMessage));
      return;
    }
    worker.once('message', (problem: string | null) => settle(problem));
    worker.once('error', (e) => reject(e));
    worker.once('exit', () => reject(new Error('the dictionary check stopped')));
  });
  return { done, cancel: () => void worker?.terminate() };
}

/**
 * The check of verifyRawDictionary: the first file of `entries` whose length or CRC-32 differs, as a
 * message, or null. Self-contained (its source is the worker's code): only its parameters and built-ins.
 */
function checkRawFiles(
  fsModule: typeof fs,
  zlibModule: typeof zlib,
  pathModule: typeof path,
  dicPath: string,
  entries: readonly { file: string; length: number; crc: number }[],
  message: (file: string, what: string) => string,
): string | null {
  let crcOf = (zlibModule as { crc32?: (data: Uint8Array, value: number) => number }).crc32;
  if (!crcOf) {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    crcOf = (data, value) => {
      let c = ~value;
      for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
      return ~c >>> 0;
    };
  }
  const chunk = new Uint8Array(2 * 1024 * 1024);
  for (const { file, length, crc } of entries) {
    let fd: number;
    try {
      fd = fsModule.openSync(pathModule.join(dicPath, file), 'r');
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    try {
      const actual = fsModule.fstatSync(fd).size;
      if (actual !== length) return message(file, `has ${actual} bytes, manifest.json says ${length}`);
      let value = 0;
      for (let at = 0; at < length; ) {
        const n = fsModule.readSync(fd, chunk, 0, Math.min(chunk.length, length - at), at);
        if (n === 0) return message(file, `ended at ${at} of ${length} bytes while read`);
        value = crcOf(chunk.subarray(0, n), value);
        at += n;
      }
      if (value !== crc) return message(file, 'does not match its CRC-32 in manifest.json');
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    } finally {
      fsModule.closeSync(fd);
    }
  }
  return null;
}

/** zlib's native CRC-32 (Node ≥ 20.15), else tableCrc32 (the same values, slower). */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
export const crc32: (data: Uint8Array, value: number) => number = nativeCrc32 ?? tableCrc32;

let table: Uint32Array | undefined;
/** CRC-32 (zlib's) of `data`, continuing from `value` (0 to start). */
export function tableCrc32(data: Uint8Array, value: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
