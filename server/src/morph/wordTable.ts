/**
 * What a token takes from a dictionary word's entry (品詞, 細分類1 and base form), for every word of
 * tid.dat, as the build writes it beside the raw dictionary (`tid_words.dat`, see rawDictionary.ts): the
 * tokenizer then never reads a feature string from tid_pos.dat (36 MB, read per entry where asked: a
 * `pread` and a UTF-8 decode for each new word of a document: 761 of them in a first analysis of the
 * つくば policy, which the table made ~10 % faster on the machine measured) for a known word.
 *
 * A token's surface is not in the table: a known word's surface (its features' first field) is the key the
 * trie matched, which the tokenizer has in hand. The build checks that this holds for every word any trie
 * key reaches, and writes no table when it does not (the loader then reads the feature strings).
 *
 * Layout (little-endian): `KJWT`, version, word count N, pair count P, string count S; then N bytes (each
 * word's 品詞 pair, an index below P), padding to 2 bytes, N uint16 (each word's base form: 0 for its
 * surface, else 1 + its index among the strings after the pairs'), padding to 4 bytes, S + 1 uint32 string
 * offsets (UTF-16 code units into the blob), and the blob: the strings as UTF-16LE, first each pair's 品詞
 * and 細分類1, then the base forms.
 */

const MAGIC = 0x54574a4b; // 'KJWT'
const VERSION = 1;
const HEADER = 20;

/** A word of tid.dat: its byte offset there (kuromoji's token info id) is 10 × its index. */
const ENTRY_BYTES = 10;

/** The table as the loader reads it. */
export interface WordTable {
  /** Words in tid.dat. */
  readonly size: number;
  /** 品詞 of word `k` (token info id 10k). */
  pos(k: number): string;
  /** 細分類1 of word `k`. */
  pos1(k: number): string;
  /** The base form of word `k`, given its surface (the base form of most words). */
  base(k: number, surface: string): string;
}

/** The word index of token info id `id`, or -1 when the table has no such word. */
export function wordIndex(table: WordTable, id: number): number {
  const k = id / ENTRY_BYTES;
  return Number.isInteger(k) && k >= 0 && k < table.size ? k : -1;
}

/**
 * The table for a dictionary's files (unpadded or padded, as gunzip gives them): tid.dat, tid_pos.dat,
 * tid_map.dat's decoded target map, and the trie's base.dat and check.dat. Null when a word reached by a
 * trie key has another surface than that key, or the table cannot hold the dictionary (over 256 品詞
 * pairs or 65,535 base forms).
 */
export function encodeWordTable(
  tid: Uint8Array,
  tidPos: Uint8Array,
  targetMap: (trieId: number) => readonly number[] | undefined,
  base: Int32Array,
  check: Int32Array,
): Uint8Array | null {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const tidView = new DataView(tid.buffer, tid.byteOffset, tid.byteLength);
  // The words: up to the last entry that is not zero padding.
  let count = Math.floor(tid.byteLength / ENTRY_BYTES);
  while (count > 0 && tid.subarray((count - 1) * ENTRY_BYTES, count * ENTRY_BYTES).every((b) => b === 0)) count--;
  // A word's feature fields, as kuromoji reads them (getFeatures: the string from its offset to the next
  // zero), or null when they are not valid UTF-8 or have no 細分類1 (no table then: the loader's reading
  // of such strings is kuromoji's own).
  const featuresAt = (id: number): string[] | null => {
    const at = tidView.getInt32(id + 6, true);
    if (at < 0 || at >= tidPos.byteLength) return null;
    let end = tidPos.indexOf(0, at);
    if (end < 0) end = tidPos.byteLength;
    try {
      const f = decoder.decode(tidPos.subarray(at, end)).split(',');
      return f.length >= 3 ? f : null;
    } catch {
      return null;
    }
  };
  const surfaces: string[] = [];
  const pairIndex = new Map<string, number>();
  const strings: string[] = [];
  const bases = new Map<string, number>();
  const posOf = new Uint8Array(count);
  const baseOf = new Uint16Array(count);
  for (let k = 0; k < count; k++) {
    const f = featuresAt(k * ENTRY_BYTES);
    if (f === null) return null;
    surfaces.push(f[0]!);
    const pos = f[1]!;
    const pos1 = f[2]!;
    // Field 7, the base form, as the tokenizer takes it: `*`, empty or none stands for the surface.
    const basic = f[7];
    const key = `${pos}\u0000${pos1}`;
    let pair = pairIndex.get(key);
    if (pair === undefined) {
      pair = pairIndex.size;
      if (pair > 0xff) return null;
      pairIndex.set(key, pair);
      strings.push(pos, pos1);
    }
    posOf[k] = pair;
    if (basic !== undefined && basic !== '' && basic !== '*' && basic !== f[0]) {
      let b = bases.get(basic);
      if (b === undefined) {
        b = bases.size + 1;
        if (b > 0xffff) return null;
        bases.set(basic, b);
      }
      baseOf[k] = b;
    }
  }
  // Every word a trie key reaches has that key for its surface.
  for (const [trieId, key] of trieKeys(base, check)) {
    for (const id of targetMap(trieId) ?? []) {
      const k = id / ENTRY_BYTES;
      if (!Number.isInteger(k) || k >= count || surfaces[k] !== key) return null;
    }
  }
  const all = [...strings, ...bases.keys()];
  const offsets = new Uint32Array(all.length + 1);
  for (let i = 0; i < all.length; i++) offsets[i + 1] = offsets[i]! + all[i]!.length;
  const blobUnits = offsets[all.length]!;
  const { baseStart, offsetStart, blobStart } = layoutOf(count, all.length);
  const out = new Uint8Array(blobStart + 2 * blobUnits);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, count, true);
  view.setUint32(12, pairIndex.size, true);
  view.setUint32(16, all.length, true);
  out.set(posOf, HEADER);
  for (let k = 0; k < count; k++) view.setUint16(baseStart + 2 * k, baseOf[k]!, true);
  for (let i = 0; i < offsets.length; i++) view.setUint32(offsetStart + 4 * i, offsets[i]!, true);
  let at = blobStart;
  for (const s of all) {
    for (let i = 0; i < s.length; i++, at += 2) view.setUint16(at, s.charCodeAt(i), true);
  }
  return out;
}

/** Where the layout's parts start, for N words and S strings (the 品詞 pairs end at baseStart's padding). */
function layoutOf(count: number, stringCount: number): { posEnd: number; baseStart: number; offsetStart: number; blobStart: number } {
  const posEnd = HEADER + count;
  const baseStart = posEnd + (posEnd % 2);
  const offsetStart = (baseStart + 2 * count + 3) & ~3;
  return { posEnd, baseStart, offsetStart, blobStart: offsetStart + 4 * (stringCount + 1) };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** `count` little-endian uint16s of `bytes` from `at`: a view when aligned on a little-endian platform, else a copy. */
function uint16s(bytes: Uint8Array, at: number, count: number): Uint16Array {
  if (LITTLE_ENDIAN && (bytes.byteOffset + at) % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset + at, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint16(at + 2 * i, true);
  return out;
}

/**
 * Every key of the trie (doublearray's layout, as kuromoji's DoubleArray walks it: a node's child by byte
 * `c` is `base[node] + c` when its check is the node; a key ends where the node has a child by the
 * terminal code 0, whose base `v ≤ 0` stores the value `-v - 1`) with its value, the key as a string.
 */
function* trieKeys(base: Int32Array, check: Int32Array): Generator<[number, string | null]> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const bytes: number[] = [];
  const n = Math.min(base.length, check.length);
  for (let t = 1; t < n; t++) {
    const parent = check[t]!;
    if (parent < 0 || parent >= n || base[parent] !== t || base[t]! > 0) continue;
    // The path from the root to `parent`, read upwards.
    bytes.length = 0;
    let ok = true;
    for (let node = parent, steps = 0; node !== 0; steps++) {
      const up = check[node]!;
      if (up < 0 || up >= n || steps > 1024) {
        ok = false;
        break;
      }
      bytes.push(node - base[up]!);
      node = up;
    }
    bytes.reverse();
    let key: string | null = null;
    try {
      key = ok ? decoder.decode(Uint8Array.from(bytes)) : null;
    } catch {
      key = null; // not UTF-8: no surface can equal it
    }
    yield [-base[t]! - 1, key];
  }
}

/** The table a build wrote (see the layout above), or throws when the bytes are not one. */
export function decodeWordTable(bytes: Uint8Array): WordTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) throw new Error('not a word table');
  const count = view.getUint32(8, true);
  const pairs = view.getUint32(12, true);
  const stringCount = view.getUint32(16, true);
  const { posEnd, baseStart, offsetStart, blobStart } = layoutOf(count, stringCount);
  if (blobStart > bytes.byteLength || pairs * 2 > stringCount) throw new Error('a truncated word table');
  const offsets = new Uint32Array(stringCount + 1);
  for (let i = 0; i <= stringCount; i++) {
    offsets[i] = view.getUint32(offsetStart + 4 * i, true);
    if (i > 0 && offsets[i]! < offsets[i - 1]!) throw new Error('a word table with a string before the one it follows');
  }
  if (blobStart + 2 * offsets[stringCount]! !== bytes.byteLength) throw new Error('a word table of the wrong length');
  const blob = new TextDecoder('utf-16le').decode(bytes.subarray(blobStart));
  const posOf = bytes.subarray(HEADER, posEnd);
  const baseOf = uint16s(bytes, baseStart, count);
  // The strings, cut from the blob where first asked for.
  const cut: (string | undefined)[] = new Array(stringCount);
  const stringAt = (i: number): string => {
    let s = cut[i];
    if (s === undefined) cut[i] = s = i < stringCount ? blob.slice(offsets[i]!, offsets[i + 1]!) : '';
    return s;
  };
  return {
    size: count,
    pos: (k) => stringAt(2 * posOf[k]!),
    pos1: (k) => stringAt(2 * posOf[k]! + 1),
    base: (k, surface) => {
      const b = baseOf[k]!;
      return b === 0 ? surface : stringAt(2 * pairs + b - 1);
    },
  };
}
