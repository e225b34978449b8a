/**
 * A faster loader for kuromoji 0.1.2's dictionary that builds the same dictionaries from the same bytes.
 *
 * The stock NodeDictionaryLoader gunzips each file in 16 KB chunks, concatenates them and then copies
 * the result once more into a fresh ArrayBuffer (about 100 MB of output for 17 MB of .gz), and it expands
 * tid_map.dat into a JS object of 326,000 arrays before the first word is looked up: most of the load
 * time is that copying and the garbage collection it causes. This loader
 *  - reads the bundle's dictionary, written uncompressed without its zero padding by the build
 *    (rawDictionary.ts, chosen when its manifest.json is there), into buffers of the uncompressed size:
 *    no gunzip at all (about 2.3 times faster and 40 MB less memory), the padding's pages never touched,
 *    and tid_pos.dat (the entries' feature strings, 36 MB) not read at all but per entry where asked
 *    (LazyStrings: a fresh page costs ~10 µs to fault in here, so 36 MB cost ~100 ms of a cold load);
 *  - or, from kuromoji's stock .dat.gz files (node_modules/kuromoji/dict, the tests), gunzips each file
 *    into one buffer of the size the gzip trailer states and hands kuromoji that buffer's memory without
 *    a copy (native zlib on libuv's thread pool), and
 *  - keeps tid_map.dat as it is and decodes the token ids of a surface form the first time the lattice
 *    builder asks for them (`target_map[trieId]`), memoised (targetMap.ts; with the index the build
 *    wrote, tid_map.idx, without scanning the file first), and
 *  - drops the megabyte of zeros after the character class definitions (see withoutPadding).
 * and tokenises with kuromoji's own Tokenizer and Viterbi search, except for the hot spots: the lattice
 * builder, which converted the whole rest of the sentence to UTF-8 at every character (quadratic, and
 * most of the garbage), is latticeBuilder below; segmentWords (what Kijun calls) builds the lattice and
 * runs the Viterbi search in one pass over typed arrays (fusedViterbi) and makes a dictionary word's token
 * once, from the build's word table when there is one (wordTable.ts: no feature string read), else from
 * its feature string.
 * Everything else is kuromoji's own code (DictionaryLoader, DynamicDictionaries, Tokenizer), so the
 * tokens are the same; tests/unit/kuromojiLoader.test.ts compares them with the stock loader's, and
 * tests/unit/dictRaw.test.ts the raw files' bytes and tokens with the stock ones.
 */
import { readFile } from 'node:fs';
import * as path from 'node:path';
import type { Token } from '../service/morph/types';
import { gunzip } from 'node:zlib';
import { knownZerosFrom, openRawFile, readRawFile, readRawIndex, readRawManifest, TARGET_MAP_FILE, verifyRawDictionary, type RawFileReader, type RawManifest } from './rawDictionary';
import { decodeTargetMapIndex, lazyTargetMap, lookupOf, targetMapIndex, zerosFrom, type TargetMapIndex } from './targetMap';
import { decodeWordTable, wordIndex, type WordTable } from './wordTable';
import { detached } from '../service/text/detach';

/* eslint-disable @typescript-eslint/no-require-imports -- kuromoji's internal modules have no typings */
const DictionaryLoader = require('kuromoji/src/loader/DictionaryLoader') as new (dicPath: string) => KuromojiLoader;
const KuromojiTokenizer = require('kuromoji/src/Tokenizer') as new (dic: Dictionaries) => RawTokenizer & {
  viterbi_builder: { build(sentence: string): unknown };
  viterbi_searcher: { search(lattice: unknown): PathNode[] };
};
const ByteBuffer = require('kuromoji/src/util/ByteBuffer') as new (bytes: Uint8Array) => { getString(index: number): string };
const ViterbiLattice = require('kuromoji/src/viterbi/ViterbiLattice') as new () => { append(node: unknown): void; appendEos(): void };
const ViterbiNode = require('kuromoji/src/viterbi/ViterbiNode') as new (
  name: number,
  cost: number,
  startPos: number,
  length: number,
  type: 'KNOWN' | 'UNKNOWN',
  leftId: number,
  rightId: number,
  surface: string,
) => unknown;
const SurrogateAwareString = require('kuromoji/src/util/SurrogateAwareString') as new (s: string) => {
  readonly length: number;
  readonly index_mapping: number[];
  charAt(index: number): string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** A node of the best path (viterbi/ViterbiNode.js). */
interface PathNode {
  readonly name: number;
  readonly type: string;
  readonly start_pos: number;
  readonly surface_form: string;
}

interface ShortReader {
  getShort(index: number): number;
}
interface CharacterClass {
  readonly class_id: number;
  readonly class_name: string;
  readonly is_always_invoke: number;
  readonly is_grouping: number;
}
interface Dictionaries {
  trie: {
    bc: { getBase(i: number): number; getCheck(i: number): number };
    commonPrefixSearch(key: string): { k: string; v?: number }[];
  };
  token_info_dictionary: { target_map: Record<number, number[]>; dictionary: ShortReader; getFeatures(id: number): string | null };
  unknown_dictionary: {
    target_map: Record<number, number[]>;
    dictionary: ShortReader;
    getFeatures(id: number): string | null;
    lookup(ch: string): CharacterClass;
  };
  connection_costs: ConnectionCosts;
}

interface TargetMapHolder {
  target_map: unknown;
  loadTargetMap(buffer: Uint8Array): unknown;
}
interface PosVectorHolder {
  pos_buffer: unknown;
  loadPosVector(buffer: Uint8Array): unknown;
}

type LoadCallback = (err: Error | null, buffer?: ArrayBuffer) => void;

interface KuromojiLoader {
  dic: { token_info_dictionary: TargetMapHolder & PosVectorHolder; unknown_dictionary: TargetMapHolder };
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
  /**
   * One segment's tokens as words and starts (SegmentWords), each start the 0-based offset in the segment
   * alone (kuromoji's word_position − 1): tokenizeForSentence without kuromoji's 14-field token objects
   * (fast loader only).
   */
  segmentWords?(segment: string): SegmentWords;
}

/**
 * A segment's tokens without a token object each: `words[i]` is the i-th token with `start` 0, shared by
 * every occurrence of a dictionary word (tokens are never changed), and `starts[i]` its start in the
 * segment. What the tokenizer caches per segment: ~5 times smaller than the tokens, and the tokens a
 * caller asks for (with their positions in its text) are made from it and die young.
 */
export interface SegmentWords {
  readonly words: readonly Token[];
  readonly starts: readonly number[];
}

/**
 * Loads the dictionary in `dicPath` (the build's raw files when its manifest is there, else the stock
 * .dat.gz files) and returns kuromoji's own Tokenizer over it.
 */
export async function loadDictionaryFast(dicPath: string): Promise<RawTokenizer> {
  const manifest = await readRawManifest(dicPath);
  // The raw files' CRC-32 is checked on a worker thread while they are read and built here.
  const check = manifest ? verifyRawDictionary(dicPath, manifest) : undefined;
  const built = buildDictionaries(dicPath, manifest);
  try {
    await Promise.all([built, check?.done]);
  } catch (e) {
    check?.cancel();
    throw e;
  }
  return built;
}

function buildDictionaries(dicPath: string, manifest: RawManifest | undefined): Promise<RawTokenizer> {
  return new Promise((resolve, reject) => {
    const loader = new DictionaryLoader(dicPath);
    // What the raw loader reads besides kuromoji's buffers: the feature strings, the target map's index.
    const extras: RawExtras = {};
    const load = manifest ? rawLoader(dicPath, manifest, extras) : loadArrayBuffer;
    const tokenInfo = loader.dic.token_info_dictionary;
    const loadPosVector = tokenInfo.loadPosVector.bind(tokenInfo);
    tokenInfo.loadPosVector = (buffer: Uint8Array) => {
      if (!extras.features) return loadPosVector(buffer);
      tokenInfo.pos_buffer = extras.features;
      return tokenInfo;
    };
    loader.loadArrayBuffer = (file, callback) =>
      load(file, (err, buffer) => {
        try {
          if (!err && path.basename(file) === 'unk_invoke.dat.gz') buffer = withoutPadding(new Uint8Array(buffer!));
          // kuromoji builds each dictionary in this callback: what it throws on bytes it cannot read
          // (a buffer of an odd length for an Int32Array…) rejects the load instead of escaping it.
          callback(err, buffer);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    for (const dictionary of [loader.dic.token_info_dictionary, loader.dic.unknown_dictionary]) {
      dictionary.loadTargetMap = (buffer: Uint8Array) => {
        const index = dictionary === tokenInfo ? extras.tidMapIndex : undefined;
        dictionary.target_map = lazyTargetMap(buffer, index ?? targetMapIndex(buffer, zerosAt(buffer)));
        return dictionary;
      };
    }
    loader.load((err, dic) => {
      if (err) return reject(err);
      const dictionaries = dic as Dictionaries;
      const tokenizer = new KuromojiTokenizer(dictionaries);
      tokenizer.viterbi_builder.build = latticeBuilder(dictionaries);
      tokenizer.segmentWords = segmentTokenizer(tokenizer, dictionaries, extras.words);
      resolve(tokenizer);
    });
  });
}

type FileLoader = (file: string, callback: LoadCallback) => void;

/** Reads and gunzips one file into an ArrayBuffer of exactly its uncompressed size. */
function loadArrayBuffer(file: string, callback: LoadCallback): void {
  readFile(file, (err, gz) => {
    if (err) return callback(err);
    // The gzip trailer's ISIZE: the uncompressed size modulo 2^32. One output chunk of that size means
    // zlib neither concatenates chunks nor needs a copy; a wrong ISIZE only costs the copy below.
    const size = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
    gunzip(gz, { chunkSize: Math.max(64 * 1024, size) }, (err2, out) => {
      if (err2) return callback(err2);
      const exact = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength;
      callback(null, exact ? (out.buffer as ArrayBuffer) : new Uint8Array(out).buffer);
    });
  });
}

/** The word table of `file`, or an error naming the file (as a damaged raw file's). */
function wordTableOf(file: string, bytes: Uint8Array): WordTable {
  try {
    return decodeWordTable(bytes);
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}: the dictionary is damaged or from another build (reinstall Kijun, or rebuild it: npm run build)`);
  }
}

/** What the raw loader reads besides the buffers it hands kuromoji. */
interface RawExtras {
  /** tid_pos.dat, read per entry where asked (kuromoji gets an empty buffer for it). */
  features?: LazyStrings;
  /** tid_map.dat's index, when the build wrote one. */
  tidMapIndex?: TargetMapIndex;
  /** The known words' 品詞 and base forms, when the build wrote them (wordTable.ts). */
  words?: WordTable;
}

/**
 * The file kuromoji asks for (`<dicPath>/base.dat.gz`) from the raw dictionary of `dicPath`: only what
 * kuromoji keeps of it, tid_pos.dat opened instead of read, tid_map.dat with its index (into `extras`).
 */
function rawLoader(dicPath: string, manifest: RawManifest, extras: RawExtras): FileLoader {
  const read = (name: string): Promise<ArrayBuffer> => {
    if (name === LAZY_FEATURES_FILE) {
      const entry = manifest.words;
      const words = entry ? readRawIndex(dicPath, entry).then((bytes) => wordTableOf(entry.file, new Uint8Array(bytes))) : undefined;
      return Promise.all([openRawFile(dicPath, manifest, name), words]).then(([reader, table]) => {
        extras.features = new LazyStrings(reader);
        extras.words = table;
        return new ArrayBuffer(0);
      });
    }
    const buffer = readRawFile(dicPath, manifest, name, { crc: false, kept: true });
    const index = manifest.targetMapIndex;
    if (name !== TARGET_MAP_FILE || !index) return buffer;
    return Promise.all([buffer, readRawIndex(dicPath, index)]).then(([bytes, indexBytes]) => {
      extras.tidMapIndex = decodeTargetMapIndex(new Uint8Array(indexBytes));
      return bytes;
    });
  };
  return (file, callback) => {
    read(path.basename(file)).then(
      (buffer) => callback(null, buffer),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  };
}

/** The file of the entries' feature strings (36 MB), which the raw loader reads per entry. */
const LAZY_FEATURES_FILE = 'tid_pos.dat.gz';

/** Strict UTF-8: throws on bytes that are not (ByteBuffer's own decoder reads those its way). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Closes a LazyStrings' file once nothing holds the dictionary any more. */
const closeWhenCollected = new FinalizationRegistry<RawFileReader>((reader) => reader.close());

/**
 * tid_pos.dat as kuromoji's ByteBuffer serves it to TokenInfoDictionary.getFeatures (`getString(index)`:
 * the bytes from `index` to the next zero or the end of the buffer, UTF-8 decoded by ByteBuffer itself),
 * read from the open file where asked and kept per index. Kijun's own segments read none for a known
 * word when the build wrote the word table (wordTable.ts), only for kuromoji's own tokenize (and without
 * the table: a document then reads a few thousand of its 392,000 strings, each at most once); reading the
 * whole file costs the page faults of 36 MB, the largest part of a cold load here.
 */
class LazyStrings {
  readonly #reader: RawFileReader;
  readonly #strings = new Map<number, string>();
  #scratch = new Uint8Array(256);

  constructor(reader: RawFileReader) {
    this.#reader = reader;
    closeWhenCollected.register(this, reader);
  }

  getString(index: number): string {
    let s = this.#strings.get(index);
    if (s !== undefined) return s;
    const bytes = this.#bytesAt(index);
    // Valid UTF-8 (the whole dictionary is) decodes natively to what ByteBuffer's decoder gives; any other
    // bytes go through ByteBuffer itself.
    try {
      s = UTF8.decode(bytes);
    } catch {
      s = new ByteBuffer(bytes).getString(0);
    }
    this.#strings.set(index, s);
    return s;
  }

  /** The bytes from `index` up to and without the next zero, or to the end of the buffer. */
  #bytesAt(index: number): Uint8Array {
    const reader = this.#reader;
    if (!(index >= 0) || index >= reader.length) return new Uint8Array(0); // zeros, or nothing, there
    for (let got = 0; ; ) {
      const n = reader.read(index + got, this.#scratch.subarray(got));
      const zero = this.#scratch.subarray(got, got + n).indexOf(0);
      if (zero >= 0) return this.#scratch.slice(0, got + zero);
      got += n;
      if (index + got >= reader.length) return this.#scratch.slice(0, got); // the zeros of the padding end it
      const grown = new Uint8Array(this.#scratch.length * 2);
      grown.set(this.#scratch);
      this.#scratch = grown;
    }
  }
}

/**
 * unk_invoke.dat: the character classes (DEFAULT, SPACE, KANJI…), 152 bytes followed by 1 MB of zeros.
 * InvokeDefinitionMap.load reads classes until the end of the buffer, so the zeros become some 150,000
 * nameless classes with ids above the real ones, which nothing looks up: the lattice builder asks for a
 * class by the id cat_map gives a character, or by name (DEFAULT); only lookupCompatibleCategory, which
 * the tokenizer never calls, walks ids 0…31. The buffer ends after the last class's terminating zero.
 */
function withoutPadding(bytes: Uint8Array): ArrayBuffer {
  // The first run of 8 zero bytes starts right after the last class (no class has 8 zero bytes in a row:
  // its name is not empty); a loop over the megabyte of zeros would take 10–30 ms of cold code.
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = buf.indexOf(Buffer.alloc(8));
  if (end < 0 || !zerosFrom(bytes, end, zerosAt(bytes))) {
    end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
  }
  // The last class's terminating zero stays. A copy (Buffer#slice would share the padded memory).
  return new Uint8Array(bytes.subarray(0, Math.min(bytes.length, end + 1))).buffer;
}

/** Where the bytes of `bytes` are known to be zero from (a raw file's padding), else its length. */
function zerosAt(bytes: Uint8Array): number {
  const known = knownZerosFrom(bytes.buffer);
  return known === undefined ? bytes.byteLength : known - bytes.byteOffset;
}

/**
 * Tokenizer.tokenizeForSentence (Tokenizer.js) and IpadicFormatter for one segment tokenised alone,
 * straight to Kijun's tokens as SegmentWords: a dictionary word's token (start 0) is made once and kept,
 * its 品詞, 細分類1 and base form from the build's word table when there is one (its surface the text the
 * trie matched), else split out of its features string (surface included). The lattice and the Viterbi
 * search are fusedViterbi below (kuromoji's own builder and searcher for a segment with a broken surrogate).
 */
function segmentTokenizer(tokenizer: InstanceType<typeof KuromojiTokenizer>, dic: Dictionaries, table: WordTable | undefined): (segment: string) => SegmentWords {
  type Entry = readonly [surface: string | undefined, pos: string | undefined, pos1: string | undefined, basic: string | undefined];
  const entryOf = (features: string | null): Entry => {
    const f = features === null || features === undefined ? [] : features.split(',');
    return [f[0], f[1], f[2], f[7]];
  };
  const wordOf = (surface: string | undefined, entry: Entry): Token => {
    const basic = entry[3];
    return { surface: surface!, base: (basic && basic !== '*' ? basic : surface)!, pos: entry[1]!, pos1: entry[2]!, start: 0 };
  };
  // A known word's token depends on its entry only; an unknown word's on its surface too (one each).
  const known = new Map<number, Token>();
  const unknown = new Map<number, Entry>();
  const empty: Entry = [undefined, undefined, undefined, undefined];
  // A word's token: `text[from, to)` is the word as matched (a known word's surface, when the table is read).
  const word = (name: number, kind: number, text: string, from: number, to: number): Token => {
    if (kind === KNOWN) {
      let w = known.get(name);
      if (w === undefined) {
        const k = table ? wordIndex(table, name) : -1;
        if (k >= 0) {
          // Kept for as long as the tokenizer: detached, or a long one would keep the text it was cut from.
          const surface = detached(text.slice(from, to));
          w = { surface, base: table!.base(k, surface), pos: table!.pos(k), pos1: table!.pos1(k), start: 0 };
        } else {
          const entry = entryOf(dic.token_info_dictionary.getFeatures(name));
          w = wordOf(entry[0], entry);
        }
        known.set(name, w);
      }
      return w;
    }
    if (kind === UNKNOWN) {
      let entry = unknown.get(name);
      if (entry === undefined) unknown.set(name, (entry = entryOf(dic.unknown_dictionary.getFeatures(name))));
      return wordOf(text.slice(from, to), entry);
    }
    return wordOf(undefined, empty);
  };
  const fused = fusedViterbi(dic);
  return (segment) => {
    if (hasBrokenSurrogate(segment)) {
      // kuromoji's own lattice (via latticeBuilder, which asks the stock trie search) and searcher.
      const path = tokenizer.viterbi_searcher.search(tokenizer.viterbi_builder.build(segment));
      return {
        words: path.map((node) => word(node.name, node.type === 'KNOWN' ? KNOWN : node.type === 'UNKNOWN' ? UNKNOWN : 0, node.surface_form, 0, node.surface_form.length)),
        starts: path.map((node) => node.start_pos - 1),
      };
    }
    return fused(segment, word);
  };
}

const NO_WORDS: SegmentWords = { words: [], starts: [] };

/** Node kinds of the fused lattice (0: BOS). */
const KNOWN = 1;
const UNKNOWN = 2;

interface ConnectionCosts {
  readonly buffer: Int16Array;
  readonly backward_dimension: number;
  get(forward: number, backward: number): number;
}

/** Int16 little-endian reads of a ByteBuffer as getShort gives them (0 past the end). */
function shortReader(reader: ShortReader): (index: number) => number {
  const bytes = (reader as unknown as { buffer?: Uint8Array }).buffer;
  if (bytes instanceof Uint8Array && bytes.byteOffset % 2 === 0 && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
    const shorts = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
    const length = bytes.length;
    return (index) => (index % 2 === 0 && index + 2 <= length ? shorts[index >> 1]! : reader.getShort(index));
  }
  return (index) => reader.getShort(index);
}

/**
 * kuromoji's lattice (ViterbiBuilder.build as latticeBuilder below builds it) and Viterbi search
 * (ViterbiSearcher.forward and backward) in one pass over a segment without a broken surrogate, with the
 * lattice in reused typed arrays instead of a ViterbiNode object per candidate word. kuromoji's forward
 * pass visits the nodes ending at each position in the order they were appended and keeps, per node, the
 * first previous node of least cost (strict <, costs as doubles: Number.MAX_VALUE for none); a node's
 * previous nodes are those ending just before it, all appended (and so final) before any node starting
 * where it starts, so computing each node's cost when it is appended gives the same costs, the same
 * choices and the same best path. Positions are kuromoji's: start in code points, length in UTF-16 code
 * units (its quirk for a word with a surrogate pair, kept).
 */
function fusedViterbi(dic: Dictionaries): (segment: string, word: (name: number, kind: number, text: string, from: number, to: number) => Token) => SegmentWords {
  const trie = dic.trie;
  const tokenInfo = dic.token_info_dictionary;
  const unknown = dic.unknown_dictionary;
  const tokenIds = lookupOf(tokenInfo.target_map);
  const unknownIds = lookupOf(unknown.target_map);
  const knownShort = shortReader(tokenInfo.dictionary);
  const unknownShort = shortReader(unknown.dictionary);
  const cc = dic.connection_costs;
  const ccBuffer = cc.buffer;
  const ccWidth = cc.backward_dimension;
  const ccLength = ccBuffer.length;
  const edge = (right: number, left: number): number => {
    const index = right * ccWidth + left + 2;
    return index + 1 <= ccLength ? ccBuffer[index]! : cc.get(right, left);
  };
  // The character class of each BMP code unit (CharacterDefinition.lookup), looked up once: its index in
  // `classes` plus one (0: not looked up yet).
  const classes: CharacterClass[] = [];
  const classOfCode = new Uint16Array(0x10000);
  const classOfAt = (s: string, at: number, units: number): CharacterClass => {
    if (units === 2) return unknown.lookup(s.slice(at, at + 2));
    const c = s.charCodeAt(at);
    const known = classOfCode[c]!;
    if (known > 0) return classes[known - 1]!;
    const found = unknown.lookup(s.charAt(at));
    let index = classes.indexOf(found);
    if (index < 0) index = classes.push(found) - 1;
    classOfCode[c] = index + 1;
    return found;
  };
  // Nodes (reused between segments). Node 0 is BOS.
  let capacity = 0;
  let nodeName = new Int32Array(0);
  let nodeStart = new Int32Array(0); // kuromoji's start_pos (1-based code points)
  let nodeRight = new Int32Array(0);
  let nodeKind = new Uint8Array(0); // 0 BOS, 1 KNOWN, 2 UNKNOWN
  let nodeTo = new Int32Array(0); // a word's end in UTF-16 units (as matched: segment.slice(from, to))
  let nodeFrom = new Int32Array(0);
  let nodeCost = new Float64Array(0); // shortest cost to the node
  let nodePrev = new Int32Array(0); // -1: none
  let nextSameEnd = new Int32Array(0);
  const grow = (n: number) => {
    if (n <= capacity) return;
    capacity = Math.max(n, capacity * 2, 256);
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    nodeName = g32(nodeName);
    nodeStart = g32(nodeStart);
    nodeRight = g32(nodeRight);
    nodeTo = g32(nodeTo);
    nodeFrom = g32(nodeFrom);
    nodePrev = g32(nodePrev);
    nextSameEnd = g32(nextSameEnd);
    const k = new Uint8Array(capacity);
    k.set(nodeKind);
    nodeKind = k;
    const c = new Float64Array(capacity);
    c.set(nodeCost);
    nodeCost = c;
  };
  // Per position (kuromoji's nodes_end_at index): the first and last node ending there (-1: none).
  let endHead = new Int32Array(0);
  let endTail = new Int32Array(0);
  // Per code point: its index in the segment, and where its run of one character class ends.
  let indexOf = new Int32Array(0);
  let runEnd = new Int32Array(0);
  const posClass: CharacterClass[] = [];
  // Matches of the trie at a position: trie id and key length in UTF-16 units.
  let matchId = new Int32Array(16);
  let matchLength = new Int32Array(16);
  let matchHasId = new Uint8Array(16);

  return (segment, word) => {
    const units = segment.length;
    // The code points (SurrogateAwareString: a high surrogate takes the next unit with it).
    if (indexOf.length < units + 1) {
      indexOf = new Int32Array(units + 1);
      runEnd = new Int32Array(units + 1);
    }
    let codePoints = 0;
    for (let i = 0; i < units; i++) {
      indexOf[codePoints++] = i;
      const c = segment.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) i++;
    }
    indexOf[codePoints] = units;
    posClass.length = codePoints;
    for (let p = 0; p < codePoints; p++) posClass[p] = classOfAt(segment, indexOf[p]!, indexOf[p + 1]! - indexOf[p]!);
    for (let p = codePoints - 1; p >= 0; p--) {
      runEnd[p] = p + 1 < codePoints && posClass[p + 1]!.class_name === posClass[p]!.class_name ? runEnd[p + 1]! : p + 1;
    }
    // Positions run to at most codePoints + units (a known word's length is in code units).
    const positions = codePoints + units + 2;
    if (endHead.length < positions) {
      endHead = new Int32Array(positions);
      endTail = new Int32Array(positions);
    }
    endHead.fill(-1, 0, positions);
    grow(4);
    let count = 1;
    nodeKind[0] = 0;
    nodeStart[0] = 0;
    nodeRight[0] = 0;
    nodeCost[0] = 0;
    nodePrev[0] = -1;
    nextSameEnd[0] = -1;
    endHead[0] = 0;
    endTail[0] = 0;
    let eosPos = 1;
    const append = (name: number, kind: number, startPos: number, length: number, left: number, right: number, wordCost: number, from: number, to: number): void => {
      grow(count + 1);
      const n = count++;
      nodeName[n] = name;
      nodeKind[n] = kind;
      nodeStart[n] = startPos;
      nodeRight[n] = right;
      nodeFrom[n] = from;
      nodeTo[n] = to;
      nextSameEnd[n] = -1;
      // ViterbiSearcher.forward for this node.
      let cost = Number.MAX_VALUE;
      let prev = -1;
      for (let p = endHead[startPos - 1]!; p >= 0; p = nextSameEnd[p]!) {
        const c = nodeCost[p]! + edge(nodeRight[p]!, left) + wordCost;
        if (c < cost) {
          prev = p;
          cost = c;
        }
      }
      nodeCost[n] = cost;
      nodePrev[n] = prev;
      // ViterbiLattice.append.
      const last = startPos + length - 1;
      if (eosPos < last) eosPos = last;
      if (endHead[last]! < 0) endHead[last] = n;
      else nextSameEnd[endTail[last]!] = n;
      endTail[last] = n;
    };
    for (let pos = 0; pos < codePoints; pos++) {
      const from = indexOf[pos]!;
      // Known words: the trie's matches from here, shortest first.
      let matches = prefixMatches(trie, segment, from);
      if (matches < 0) {
        const stock = trie.commonPrefixSearch(segment.slice(from));
        matches = stock.length;
        for (let m = 0; m < matches; m++) setMatch(m, stock[m]!.v, stock[m]!.k.length);
      }
      for (let m = 0; m < matches; m++) {
        const ids = tokenIds((matchHasId[m] ? matchId[m] : undefined)!)!;
        const length = matchLength[m]!;
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]!;
          append(id, KNOWN, pos + 1, length, knownShort(id), knownShort(id + 2), knownShort(id + 4), from, from + length);
        }
      }
      // Unknown words, as the stock builder: the head's class, grouped with the run of that class.
      const headClass = posClass[pos]!;
      if (matches === 0 || headClass.is_always_invoke === 1) {
        let to = indexOf[pos + 1]!;
        let length = 1;
        if (headClass.is_grouping === 1 && 1 < codePoints - pos && runEnd[pos]! > pos + 1) {
          to = indexOf[runEnd[pos]!]!;
          length = to - from;
        }
        const ids = unknownIds(headClass.class_id)!;
        for (let j = 0; j < ids.length; j++) {
          const id = ids[j]!;
          append(id, UNKNOWN, pos + 1, length, unknownShort(id), unknownShort(id + 2), unknownShort(id + 4), from, to);
        }
      }
    }
    // ViterbiLattice.appendEos and the EOS node's forward step, then ViterbiSearcher.backward.
    const eosStart = eosPos + 1;
    let best = -1;
    let cost = Number.MAX_VALUE;
    for (let p = endHead[eosStart - 1]!; p >= 0; p = nextSameEnd[p]!) {
      const c = nodeCost[p]! + edge(nodeRight[p]!, 0) + 0;
      if (c < cost) {
        best = p;
        cost = c;
      }
    }
    // The best path backwards: counted first, so that the words and starts are made at their size.
    let length = 0;
    for (let n = best; n !== 0; n = nodePrev[n]!) {
      if (n < 0) return NO_WORDS;
      length++;
    }
    const words = new Array<Token>(length);
    const starts = new Array<number>(length);
    for (let n = best, i = length - 1; n !== 0; n = nodePrev[n]!, i--) {
      const kind = nodeKind[n]!;
      words[i] = word(nodeName[n]!, kind, segment, nodeFrom[n]!, nodeTo[n]!);
      starts[i] = nodeStart[n]! - 1;
    }
    return { words, starts };
  };

  function setMatch(m: number, id: number | undefined, length: number): void {
    if (m >= matchId.length) {
      const grownId = new Int32Array(matchId.length * 2);
      grownId.set(matchId);
      matchId = grownId;
      const grownLength = new Int32Array(matchLength.length * 2);
      grownLength.set(matchLength);
      matchLength = grownLength;
      const grownHas = new Uint8Array(matchHasId.length * 2);
      grownHas.set(matchHasId);
      matchHasId = grownHas;
    }
    matchHasId[m] = id === undefined ? 0 : 1;
    matchId[m] = id ?? 0;
    matchLength[m] = length;
  }

  /**
   * prefixSearch below into the match arrays: how many matches, or -1 when the stock search must answer
   * (a match that ends inside a character's UTF-8 bytes).
   */
  function prefixMatches(t: Dictionaries['trie'], text: string, from: number): number {
    const bc = t.bc;
    let count = 0;
    let parent = 0;
    for (let i = from; i < text.length; ) {
      const c = text.charCodeAt(i);
      let code = c;
      let step = 1;
      if (c >= 0xd800 && c <= 0xdbff) {
        code = (c - 0xd800) * 1024 + 0x10000 + (text.charCodeAt(i + 1) - 0xdc00);
        step = 2;
      }
      const n = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let b = 0; b < n; b++) {
        // The b-th UTF-8 byte of the code point.
        const shift = 6 * (n - 1 - b);
        const byte = b === 0 ? (n === 1 ? code : ((0xf00 >> n) & 0xff) | (code >>> shift)) : ((code >>> shift) & 0x3f) | 0x80;
        const child = bc.getBase(parent) + byte;
        if (bc.getCheck(child) !== parent) return count;
        parent = child;
        const leaf = bc.getBase(child) + 0; // the terminal code
        if (bc.getCheck(leaf) === child) {
          if (b < n - 1) return -1;
          const base = bc.getBase(leaf);
          setMatch(count++, base <= 0 ? -base - 1 : undefined, i + step - from);
        }
      }
      i += step;
    }
    return count;
  }
}

/**
 * kuromoji's ViterbiBuilder.build (viterbi/ViterbiBuilder.js) building the same lattice, node for node
 * and in the same order, without its quadratic steps: at every character it converted the rest of the
 * sentence to UTF-8 bytes for the trie (DoubleArray.commonPrefixSearch) and re-indexed it for surrogate
 * pairs (new SurrogateAwareString(tail)). Here the trie is walked from the character on, encoding as it
 * goes and stopping where the trie does, and the sentence is indexed once.
 */
function latticeBuilder(dic: Dictionaries): (sentence: string) => unknown {
  const trie = dic.trie;
  const tokenInfo = dic.token_info_dictionary;
  const unknown = dic.unknown_dictionary;
  const stockSearch = (text: string) => trie.commonPrefixSearch(text);
  const tokenIds = lookupOf(tokenInfo.target_map);
  const unknownIds = lookupOf(unknown.target_map);
  return (sentenceStr: string) => {
    const lattice = new ViterbiLattice();
    const sentence = new SurrogateAwareString(sentenceStr);
    // DoubleArray's UTF-8 encoder fails on a high surrogate without its low half, and then the stock
    // search throws on every tail that holds one: such a sentence goes the stock way, throw and all.
    const malformed = hasBrokenSurrogate(sentenceStr);
    const codePoints = sentence.length;
    for (let pos = 0; pos < codePoints; pos++) {
      const from = sentence.index_mapping[pos]!;
      const vocabulary = malformed ? stockSearch(sentenceStr.slice(from)) : prefixSearch(trie, sentenceStr, from);
      for (const { k: key, v: trieId } of vocabulary) {
        const ids = tokenIds(trieId!)!;
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]!;
          const left = tokenInfo.dictionary.getShort(id);
          const right = tokenInfo.dictionary.getShort(id + 2);
          const cost = tokenInfo.dictionary.getShort(id + 4);
          lattice.append(new ViterbiNode(id, cost, pos + 1, key.length, 'KNOWN', left, right, key));
        }
      }
      // Unknown words: as the stock builder, with the tail's characters read from the sentence's index.
      const tailLength = codePoints - pos;
      const head = sentence.charAt(pos);
      const headClass = unknown.lookup(head);
      if (vocabulary.length === 0 || headClass.is_always_invoke === 1) {
        let key = head;
        let grouped = false;
        if (headClass.is_grouping === 1 && 1 < tailLength) {
          for (let k = 1; k < tailLength; k++) {
            const next = sentence.charAt(pos + k);
            if (headClass.class_name !== unknown.lookup(next).class_name) break;
            key += next;
            grouped = true;
          }
        }
        // The stock key stays a SurrogateAwareString (length in code points, 1) until a character is added.
        const length = grouped ? key.length : 1;
        const ids = unknownIds(headClass.class_id)!;
        for (let j = 0; j < ids.length; j++) {
          const id = ids[j]!;
          const left = unknown.dictionary.getShort(id);
          const right = unknown.dictionary.getShort(id + 2);
          const cost = unknown.dictionary.getShort(id + 4);
          lattice.append(new ViterbiNode(id, cost, pos + 1, length, 'UNKNOWN', left, right, key));
        }
      }
    }
    lattice.appendEos();
    return lattice;
  };
}

/** A high surrogate not followed by a low one (which DoubleArray's UTF-8 encoder rejects). */
function hasBrokenSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    }
  }
  return false;
}

/**
 * DoubleArray.commonPrefixSearch(text.slice(from)) without encoding the whole tail: the dictionary words
 * that start at `from`, shortest first, as `{ k, v }` (v only for a leaf, as the stock search). A match
 * that ended inside a character's UTF-8 bytes would be a key no dictionary holds; the stock search is
 * asked then, so that even that case stays the same.
 */
function prefixSearch(trie: Dictionaries['trie'], text: string, from: number): { k: string; v?: number }[] {
  const bc = trie.bc;
  const result: { k: string; v?: number }[] = [];
  const bytes = [0, 0, 0, 0];
  let parent = 0;
  for (let i = from; i < text.length; ) {
    const c = text.charCodeAt(i);
    let code = c;
    let units = 1;
    if (c >= 0xd800 && c <= 0xdbff) {
      code = (c - 0xd800) * 1024 + 0x10000 + (text.charCodeAt(i + 1) - 0xdc00);
      units = 2;
    }
    let n: number;
    if (code < 0x80) {
      bytes[0] = code;
      n = 1;
    } else if (code < 0x800) {
      bytes[0] = (code >>> 6) | 0xc0;
      bytes[1] = (code & 0x3f) | 0x80;
      n = 2;
    } else if (code < 0x10000) {
      bytes[0] = (code >>> 12) | 0xe0;
      bytes[1] = ((code >> 6) & 0x3f) | 0x80;
      bytes[2] = (code & 0x3f) | 0x80;
      n = 3;
    } else {
      bytes[0] = (code >>> 18) | 0xf0;
      bytes[1] = ((code >> 12) & 0x3f) | 0x80;
      bytes[2] = ((code >> 6) & 0x3f) | 0x80;
      bytes[3] = (code & 0x3f) | 0x80;
      n = 4;
    }
    for (let b = 0; b < n; b++) {
      const child = bc.getBase(parent) + bytes[b]!;
      if (bc.getCheck(child) !== parent) return result;
      parent = child;
      const leaf = bc.getBase(child) + 0; // the terminal code
      if (bc.getCheck(leaf) === child) {
        if (b < n - 1) return trie.commonPrefixSearch(text.slice(from));
        const base = bc.getBase(leaf);
        const r: { k: string; v?: number } = {} as { k: string; v?: number };
        if (base <= 0) r.v = -base - 1;
        r.k = text.slice(from, i + units);
        result.push(r);
      }
    }
    i += units;
  }
  return result;
}
