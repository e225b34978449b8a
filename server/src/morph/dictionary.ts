/**
 * A faster loader for kuromoji 0.1.2's dictionary that builds the same dictionaries from the same files.
 *
 * The stock NodeDictionaryLoader gunzips each file in 16 KB chunks, concatenates them and then copies
 * the result once more into a fresh ArrayBuffer (about 100 MB of output for 17 MB of .gz), and it expands
 * tid_map.dat into a JS object of 326,000 arrays before the first word is looked up: most of the load
 * time is that copying and the garbage collection it causes. This loader
 *  - gunzips each file into one buffer of the size the gzip trailer states and hands kuromoji that
 *    buffer's memory without a copy (native zlib on libuv's thread pool, as before), and
 *  - keeps tid_map.dat as it is and decodes the token ids of a surface form the first time the lattice
 *    builder asks for them (`target_map[trieId]`), memoised, and
 *  - drops the megabyte of zeros after the character class definitions (see withoutPadding).
 * Everything else is kuromoji's own code (DictionaryLoader, DynamicDictionaries, Tokenizer), so the
 * tokens are the same; tests/unit/kuromojiLoader.test.ts compares them with the stock loader's.
 */
import { readFile } from 'node:fs';
import { gunzip } from 'node:zlib';

/* eslint-disable @typescript-eslint/no-require-imports -- kuromoji's internal modules have no typings */
const DictionaryLoader = require('kuromoji/src/loader/DictionaryLoader') as new (dicPath: string) => KuromojiLoader;
const KuromojiTokenizer = require('kuromoji/src/Tokenizer') as new (dic: unknown) => RawTokenizer;
/* eslint-enable @typescript-eslint/no-require-imports */

interface TargetMapHolder {
  target_map: unknown;
  loadTargetMap(buffer: Uint8Array): unknown;
}

type LoadCallback = (err: Error | null, buffer?: ArrayBuffer) => void;

interface KuromojiLoader {
  dic: { token_info_dictionary: TargetMapHolder; unknown_dictionary: TargetMapHolder };
  loadArrayBuffer: (file: string, callback: LoadCallback) => void;
  load(callback: (err: Error | null, dic: unknown) => void): void;
}

/** kuromoji's tokenizer as it comes out of the loader (the fields Kijun reads). */
export interface RawToken {
  readonly surface_form: string;
  readonly basic_form: string;
  readonly pos: string;
  readonly pos_detail_1: string;
  readonly word_position: number;
}
export interface RawTokenizer {
  tokenize(text: string): RawToken[];
  /** One segment (kuromoji cuts its input after 、 and 。) appended to `tokens`, positioned after their last. */
  tokenizeForSentence(sentence: string, tokens: RawToken[]): RawToken[];
}

/** Loads the dictionary in `dicPath` (the stock .dat.gz files) and returns kuromoji's own Tokenizer over it. */
export function loadDictionaryFast(dicPath: string): Promise<RawTokenizer> {
  return new Promise((resolve, reject) => {
    const loader = new DictionaryLoader(dicPath);
    loader.loadArrayBuffer = loadArrayBuffer;
    for (const dictionary of [loader.dic.token_info_dictionary, loader.dic.unknown_dictionary]) {
      dictionary.loadTargetMap = (buffer: Uint8Array) => {
        dictionary.target_map = lazyTargetMap(buffer);
        return dictionary;
      };
    }
    loader.load((err, dic) => {
      if (err) reject(err);
      else resolve(new KuromojiTokenizer(dic));
    });
  });
}

/** Reads and gunzips one file into an ArrayBuffer of exactly its uncompressed size. */
function loadArrayBuffer(file: string, callback: LoadCallback): void {
  readFile(file, (err, gz) => {
    if (err) return callback(err);
    // The gzip trailer's ISIZE: the uncompressed size modulo 2^32. One output chunk of that size means
    // zlib neither concatenates chunks nor needs a copy; a wrong ISIZE only costs the copy below.
    const size = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
    gunzip(gz, { chunkSize: Math.max(64 * 1024, size) }, (err2, out) => {
      if (err2) return callback(err2);
      if (file.endsWith('unk_invoke.dat.gz')) return callback(null, withoutPadding(out));
      const exact = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength;
      callback(null, exact ? (out.buffer as ArrayBuffer) : new Uint8Array(out).buffer);
    });
  });
}

/**
 * unk_invoke.dat: the character classes (DEFAULT, SPACE, KANJI…), 152 bytes followed by 1 MB of zeros.
 * InvokeDefinitionMap.load reads classes until the end of the buffer, so the zeros become some 150,000
 * nameless classes with ids above the real ones, which nothing looks up: the lattice builder asks for a
 * class by the id cat_map gives a character, or by name (DEFAULT); only lookupCompatibleCategory, which
 * the tokenizer never calls, walks ids 0…31. The buffer ends after the last class's terminating zero.
 */
function withoutPadding(bytes: Uint8Array): ArrayBuffer {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  // A copy (Buffer#slice would share the padded memory).
  return new Uint8Array(bytes.subarray(0, Math.min(bytes.length, end + 1))).buffer;
}

/**
 * A target map file (tid_map.dat, unk_map.dat) as the object kuromoji's TokenInfoDictionary.loadTargetMap
 * would build (trie id or character class → token info ids), decoded per key on first access. The file is
 * an int32 count, then records of `key, n, id × n` (little-endian), read to the end of the buffer exactly
 * as loadTargetMap reads it: past the end an int reads as 0, a record with n ≤ 0 adds nothing, and a
 * repeated key appends.
 */
export function lazyTargetMap(bytes: Uint8Array): Record<number, number[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  const int = (pos: number): number => (pos + 4 <= length ? view.getInt32(pos, true) : 0);
  // Pass 1: the key range. Keys are dense small integers (0…392,125 in the shipped dictionary).
  let min = Infinity;
  let max = -Infinity;
  for (let pos = 4; length >= pos + 1; ) {
    const key = int(pos);
    const n = int(pos + 4);
    if (n > 0) {
      if (key < min) min = key;
      if (key > max) max = key;
      pos += 8 + 4 * n;
    } else pos += 8;
  }
  const dense = min >= 0 && max < 1 << 24;
  // Pass 2: where the first record of each key starts, and further records of a repeated key.
  const firstDense = new Int32Array(dense ? max + 1 : 0).fill(-1);
  const firstSparse = new Map<number, number>();
  const more = new Map<number, number[]>();
  const firstOf = (key: number): number => (dense ? (key >= 0 && key <= max ? firstDense[key]! : -1) : (firstSparse.get(key) ?? -1));
  for (let pos = 4; length >= pos + 1; ) {
    const key = int(pos);
    const n = int(pos + 4);
    if (n > 0) {
      if (firstOf(key) >= 0) (more.get(key) ?? more.set(key, []).get(key)!).push(pos);
      else if (dense) firstDense[key] = pos;
      else firstSparse.set(key, pos);
      pos += 8 + 4 * n;
    } else pos += 8;
  }
  const decoded = new Map<number, number[]>();
  const decode = (key: number): number[] | undefined => {
    let ids = decoded.get(key);
    if (ids) return ids;
    const at = firstOf(key);
    if (at < 0) return undefined;
    ids = [];
    for (const record of [at, ...(more.get(key) ?? [])]) {
      const n = int(record + 4);
      for (let i = 0; i < n; i++) ids.push(int(record + 8 + 4 * i));
    }
    decoded.set(key, ids);
    return ids;
  };
  // A plain object's integer keys: canonical decimal strings.
  const INTEGER = /^-?(?:0|[1-9][0-9]{0,9})$/;
  const keyOf = (prop: string | symbol): number | undefined => (typeof prop === 'string' && INTEGER.test(prop) ? Number(prop) : undefined);
  return new Proxy({} as Record<number, number[]>, {
    get(target, prop) {
      const key = keyOf(prop);
      return key === undefined ? Reflect.get(target, prop) : decode(key);
    },
    has(target, prop) {
      const key = keyOf(prop);
      return key === undefined ? Reflect.has(target, prop) : firstOf(key) >= 0;
    },
  });
}
