/**
 * kuromoji's target maps (tid_map.dat, unk_map.dat: trie id or character class → token info ids), read
 * lazily: the file is indexed once (targetMapIndex: where each key's records start) and a key's ids are
 * decoded the first time the lattice builder asks for them. The build indexes the shipped tid_map.dat
 * ahead of time (rawDictionary.ts writes tid_map.idx), which spares the loader the scan of its 325,871
 * records (~25 ms of cold code at every start).
 *
 * The file is an int32 count, then records of `key, n, id × n` (little-endian), read to the end of the
 * buffer exactly as TokenInfoDictionary.loadTargetMap reads it: past the end an int reads as 0, a record
 * with n ≤ 0 adds nothing, and a repeated key appends.
 */

/** Where each key's records start (byte offsets in the file). */
export interface TargetMapIndex {
  /** The first record of each key from 0 up (-1: none): keys are dense small integers, 0…392,125 in the shipped dictionary. */
  readonly first: Int32Array;
  /** The first record of each key outside `first`'s range (negative, or 2^24 and above). */
  readonly sparse: ReadonlyMap<number, number>;
  /** The further records of a repeated key. */
  readonly more: ReadonlyMap<number, readonly number[]>;
}

/** Keys below this are indexed in `first`, an array; others in a Map. */
const DENSE_KEYS = 1 << 24;

/**
 * One pass over the file (in cold code, so with everything inline). `zerosAt`: the offset from which the
 * bytes are known to be zero (a raw file's padding), so that checking the padding reads none of it.
 */
export function targetMapIndex(bytes: Uint8Array, zerosAt: number = bytes.byteLength): TargetMapIndex {
  const length = bytes.byteLength;
  let first = new Int32Array(1 << 16).fill(-1);
  const sparse = new Map<number, number>();
  const more = new Map<number, number[]>();
  const words = int32s(bytes);
  const whole = words.length;
  let zeroTailChecked = false;
  for (let w = 1; 4 * w + 1 <= length; ) {
    const key = w < whole ? words[w]! : 0;
    const n = w + 1 < whole ? words[w + 1]! : 0;
    const pos = 4 * w;
    if (n > 0) {
      const dense = key >= 0 && key < DENSE_KEYS;
      const seen = dense ? (key < first.length ? first[key]! : -1) : (sparse.get(key) ?? -1);
      if (seen >= 0) (more.get(key) ?? more.set(key, []).get(key)!).push(pos);
      else if (dense) {
        if (key >= first.length) {
          const grown = new Int32Array(Math.max(key + 1, first.length * 2)).fill(-1);
          grown.set(first);
          first = grown;
        }
        first[key] = pos;
      } else sparse.set(key, pos);
      w += 2 + n;
    } else {
      // A record that adds nothing, as does every record of the zeros that pad the file to its end.
      if (!zeroTailChecked && key === 0 && n === 0) {
        zeroTailChecked = true;
        if (zerosFrom(bytes, pos, zerosAt)) break;
      }
      w += 2;
    }
  }
  return { first, sparse, more };
}

/**
 * The file's int32s (words[w] = the int at 4w): a view of the bytes when they are aligned and the platform
 * little-endian, else a copy. Every record starts at a multiple of 4.
 */
export function int32s(bytes: Uint8Array): Int32Array {
  const whole = bytes.byteLength >> 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, whole);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = new Int32Array(whole);
  for (let w = 0; w < whole; w++) words[w] = view.getInt32(4 * w, true);
  return words;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The index as the build writes it beside the file (`first` as little-endian int32s), or null when it
 * cannot stand for the scan: keys outside `first` or repeated keys (none in the shipped dictionary).
 */
export function encodeTargetMapIndex(index: TargetMapIndex): Uint8Array | null {
  if (index.sparse.size > 0 || index.more.size > 0) return null;
  let end = index.first.length;
  while (end > 0 && index.first[end - 1]! < 0) end--;
  const out = new Uint8Array(end * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < end; i++) view.setInt32(4 * i, index.first[i]!, true);
  return out;
}

/** An index encodeTargetMapIndex wrote (read into an aligned buffer), for lazyTargetMap. */
export function decodeTargetMapIndex(bytes: Uint8Array): TargetMapIndex {
  return { first: int32s(bytes), sparse: new Map(), more: new Map() };
}

/** Whether every byte from `pos` on is zero (compared natively; from `zerosAt` on, known to be). */
export function zerosFrom(bytes: Uint8Array, pos: number, zerosAt: number = bytes.byteLength): boolean {
  const end = Math.max(0, Math.min(bytes.byteLength, zerosAt));
  if (pos >= end) return true;
  const rest = Buffer.from(bytes.buffer, bytes.byteOffset + pos, end - pos);
  return rest.equals(Buffer.alloc(rest.length));
}

/**
 * The target map file as the object kuromoji's TokenInfoDictionary.loadTargetMap would build, decoded per
 * key on first access, with `index` of the file (targetMapIndex, or the build's).
 */
export function lazyTargetMap(bytes: Uint8Array, index: TargetMapIndex = targetMapIndex(bytes)): Record<number, number[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  const int = (pos: number): number => (pos + 4 <= length ? view.getInt32(pos, true) : 0);
  const { first, sparse, more } = index;
  const isDense = (key: number): boolean => key >= 0 && key < DENSE_KEYS;
  const firstOf = (key: number): number => (isDense(key) ? (key < first.length ? first[key]! : -1) : (sparse.get(key) ?? -1));
  // Decoded ids: by dense key in an array (a Map lookup per dictionary match cost), other keys in a Map.
  let decodedDense: (number[] | undefined)[] | undefined;
  const decodedSparse = new Map<number, number[]>();
  const readIds = (at: number, ids: number[]): void => {
    const n = int(at + 4);
    for (let i = 0; i < n; i++) ids.push(int(at + 8 + 4 * i));
  };
  const decode = (key: number): number[] | undefined => {
    const dense = isDense(key) && key < first.length;
    let ids = dense ? decodedDense?.[key] : decodedSparse.get(key);
    if (ids) return ids;
    const at = firstOf(key);
    if (at < 0) return undefined;
    ids = [];
    readIds(at, ids);
    const further = more.get(key);
    if (further) for (const record of further) readIds(record, ids);
    if (dense) (decodedDense ??= new Array<number[] | undefined>(first.length))[key] = ids;
    else decodedSparse.set(key, ids);
    return ids;
  };
  // A plain object's integer keys: canonical decimal strings.
  const INTEGER = /^-?(?:0|[1-9][0-9]{0,9})$/;
  const keyOf = (prop: string | symbol): number | undefined => (typeof prop === 'string' && INTEGER.test(prop) ? Number(prop) : undefined);
  const map = new Proxy({} as Record<number, number[]>, {
    get(target, prop) {
      const key = keyOf(prop);
      return key === undefined ? Reflect.get(target, prop) : decode(key);
    },
    has(target, prop) {
      const key = keyOf(prop);
      return key === undefined ? Reflect.has(target, prop) : firstOf(key) >= 0;
    },
  });
  lookups.set(map, decode);
  return map;
}

/** The decoder behind each lazy target map, for the lattice builder (a Proxy trap per lookup costs). */
const lookups = new WeakMap<object, (key: number) => number[] | undefined>();

/** `(key) => targetMap[key]`, straight to the decoder for a lazy target map. */
export function lookupOf(targetMap: Record<number, number[]>): (key: number) => number[] | undefined {
  return lookups.get(targetMap) ?? ((key) => targetMap[key]);
}
