/**
 * Loads kuromoji once, from an explicit dictionary folder (the bundle ships it as dist/dict).
 * kuromoji's default dicPath is relative to the working directory and breaks inside a bundle.
 * The dictionary is read by our own loader (./dictionary.ts: the same bytes and the same dictionaries,
 * without kuromoji's copies of 100 MB of buffers), from the uncompressed files the build writes to
 * dist/dict (./rawDictionary.ts) or from kuromoji's stock .dat.gz files; `{ loader: 'stock' }` uses
 * kuromoji's builder, which reads only the stock files.
 * The catalog's features precomputed at build time (catalog-features.json beside the dictionary, see
 * service/align/catalogFeatures.ts) come with the tokenizer, so that the alignment index needs no kuromoji.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as kuromoji from 'kuromoji';
import type { Token, TokenizeOptions, Tokenizer, TokenWords } from '../service/morph/types';
import { decodeCatalogFeatures, type WithCatalogFeatures } from '../service/align/catalogFeatures';
import { wordsOf } from '../service/morph/words';
import { CATALOG_FEATURES_FILE } from './catalogFeatures';
import { loadDictionaryFast, type RawToken, type RawTokenizer, type SegmentWords } from './dictionary';
import { RAW_MANIFEST_FILE } from './rawDictionary';

export function defaultDictionaryPath(): string {
  // In the bundle __dirname is dist/; in tests (tsx) fall back to the installed package.
  const bundled = path.join(__dirname, 'dict');
  return __filename.endsWith('.ts') ? path.join(__dirname, '..', '..', '..', 'node_modules', 'kuromoji', 'dict') : bundled;
}

export interface LoadOptions {
  /** `fast` (default): ./dictionary.ts; `stock`: kuromoji.builder, the reference the fast loader is tested against. */
  readonly loader?: 'fast' | 'stock';
  /** Attach `catalog-features.json` from the dictionary folder when it is there (default true). */
  readonly precomputed?: boolean;
  /** Cache tokens per kuromoji segment (default true; off, every call tokenises, as kuromoji alone). */
  readonly segmentCache?: boolean;
}

/** kuromoji's own tokenizer (tokens as kuromoji gives them), by either loader. */
export function loadRawTokenizer(dicPath: string, loader: 'fast' | 'stock'): Promise<RawTokenizer> {
  if (loader === 'fast') return loadDictionaryFast(dicPath);
  if (!existsSync(path.join(dicPath, 'base.dat.gz')) && existsSync(path.join(dicPath, RAW_MANIFEST_FILE))) {
    return Promise.reject(new Error("kuromoji's own loader reads .dat.gz files; this is the build's uncompressed dictionary (use node_modules/kuromoji/dict)"));
  }
  return new Promise((resolve, reject) => {
    kuromoji.builder({ dicPath }).build((err, raw) => (err || !raw ? reject(err ?? new Error('unknown error')) : resolve(raw as unknown as RawTokenizer)));
  });
}

export async function loadKuromojiTokenizer(dicPath: string = defaultDictionaryPath(), options: LoadOptions = {}): Promise<Tokenizer & WithCatalogFeatures> {
  return load(dicPath, options, options.precomputed === false ? undefined : readCatalogFeatures(dicPath));
}

/** Thrown by the tokenizer of loadingTokenizer when asked to tokenise before the dictionary is loaded. */
export class TokenizerNotLoaded extends Error {
  constructor() {
    super('the kuromoji dictionary is still loading');
  }
}

/**
 * loadKuromojiTokenizer, with the tokenizer to be handed out before it is loaded: `early` resolves once
 * the precomputed catalog features are read (a few milliseconds; undefined when there are none) to a
 * tokenizer that has them and tokenises with the loaded one, throwing TokenizerNotLoaded until then. An
 * alignment index whose catalog texts are all precomputed can so be built while the dictionary loads;
 * one that needs kuromoji throws TokenizerNotLoaded and is built once `loaded` resolves.
 */
export function loadingTokenizer(dicPath: string = defaultDictionaryPath()): {
  readonly early: Promise<(Tokenizer & WithCatalogFeatures) | undefined>;
  readonly loaded: Promise<Tokenizer & WithCatalogFeatures>;
} {
  const features = readCatalogFeatures(dicPath);
  let real: Tokenizer | undefined;
  const loaded = load(dicPath, {}, features).then((t) => (real = t));
  const early = features.then((catalogFeatures) =>
    catalogFeatures
      ? {
          catalogFeatures,
          tokenize(text: string, options?: TokenizeOptions) {
            if (!real) throw new TokenizerNotLoaded();
            return real.tokenize(text, options);
          },
          tokenizeWords(text: string) {
            if (!real) throw new TokenizerNotLoaded();
            return wordsOf(real, text);
          },
        }
      : undefined,
  );
  return { early, loaded };
}

async function load(dicPath: string, options: LoadOptions, features: ReturnType<typeof readCatalogFeatures> | undefined): Promise<Tokenizer & WithCatalogFeatures> {
  let raw: RawTokenizer;
  try {
    raw = await loadRawTokenizer(dicPath, options.loader ?? 'fast');
  } catch (e) {
    const message = e instanceof Error ? e.message : 'unknown error';
    throw new Error(`形態素解析の辞書を読み込めません / cannot load the kuromoji dictionary at ${dicPath}: ${message}`);
  }
  const tokenizer = kuromojiTokenizer(raw, options.segmentCache ?? true);
  const catalogFeatures = await features;
  return catalogFeatures ? { ...tokenizer, catalogFeatures } : tokenizer;
}

/**
 * The precomputed catalog features beside the dictionary, or undefined when there are none or they cannot
 * be read: they only save time, and every text they would have answered is then computed.
 */
async function readCatalogFeatures(dicPath: string): Promise<ReturnType<typeof decodeCatalogFeatures> | undefined> {
  try {
    return decodeCatalogFeatures(JSON.parse(await readFile(path.join(dicPath, CATALOG_FEATURES_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * Most segments kept in a tokenizer's segment cache, emptied when full: the whole guideline (200,000
 * characters) has some 9,000 distinct segments, about twice that with their normalised forms; ~0.5 KB each.
 */
const SEGMENT_CACHE_LIMIT = 30_000;

/**
 * kuromoji cuts its input after every 、 and 。 and tokenises each segment on its own lattice, so a
 * segment's tokens never depend on what surrounds it. They are cached per segment: the role model and the
 * alignment tokenise much the same sentences (the alignment after normalisation, which leaves most
 * segments as they are), and an edit changes few segments of a clause. Positions are rebuilt the way
 * kuromoji computes them (a segment's tokens are offset by the position of the previous segment's last
 * token), so the tokens are exactly those of `raw.tokenize(piece)` (tests/unit/kuromojiLoader.test.ts).
 * The cache holds each segment's words and starts (SegmentWords), not token objects: the tokens handed
 * out are made per call (they die young, unless the caller keeps them), or, without positions, are the
 * shared words themselves.
 */
export function kuromojiTokenizer(raw: RawTokenizer, cache: boolean): Tokenizer {
  if (!cache) return uncachedTokenizer(raw);
  const segments = new Map<string, SegmentWords>();
  const segmentWords = (segment: string): SegmentWords => {
    let words = segments.get(segment);
    if (!words) {
      words = raw.segmentWords?.(segment) ?? segmentWordsOf(raw.tokenizeForSentence(segment, []));
      if (segments.size >= SEGMENT_CACHE_LIMIT) segments.clear();
      segments.set(segment, words);
    }
    return words;
  };
  // As kuromoji's Tokenizer.tokenize: the segments of a piece (splitByPunctuation, cut here in place),
  // each offset by the 1-based position (word_position) of the last token so far. Into `out`: tokens with
  // their positions (POSITIONED), the words themselves (WORDS), or the words with their starts in `starts`.
  const tokenizePiece = (out: Token[], starts: number[] | null, from: number, piece: string, mode: number): void => {
    let lastPosition = 0;
    for (let start = 0; start < piece.length; ) {
      const end = segmentEnd(piece, start);
      const segment = segmentWords(piece.slice(start, end));
      const words = segment.words;
      const at = segment.starts;
      const offset = from + lastPosition;
      if (mode === POSITIONED) {
        for (let i = 0; i < words.length; i++) {
          const w = words[i]!;
          out.push({ surface: w.surface, base: w.base, pos: w.pos, pos1: w.pos1, start: offset + at[i]! });
        }
      } else {
        for (let i = 0; i < words.length; i++) out.push(words[i]!);
        if (starts !== null) for (let i = 0; i < at.length; i++) starts.push(offset + at[i]!);
      }
      if (at.length > 0) lastPosition += at[at.length - 1]! + 1;
      start = end;
    }
  };
  const run = (text: string, starts: number[] | null, mode: number): Token[] => {
    const out: Token[] = [];
    if (text.length <= MAX_CHUNK) tokenizePiece(out, starts, 0, text, mode);
    else for (const [from, piece] of chunks(text)) tokenizePiece(out, starts, from, piece, mode);
    return out;
  };
  return {
    tokenize(text: string, options?: TokenizeOptions): readonly Token[] {
      return run(text, null, options?.positions === false ? WORDS : POSITIONED);
    },
    tokenizeWords(text: string): TokenWords {
      const starts: number[] = [];
      return { words: run(text, starts, WORDS), starts };
    },
  };
}

const POSITIONED = 0;
const WORDS = 1;

/** kuromoji's tokens of one segment (tokenizeForSentence) as SegmentWords: 0-based starts (word_position − 1). */
function segmentWordsOf(tokens: readonly RawToken[]): SegmentWords {
  return { words: tokens.map((t) => tokenOf(t, -1)), starts: tokens.map((t) => t.word_position - 1) };
}

/** A kuromoji token as Kijun's, its word_position moved by `offset`; the base form is the surface where kuromoji has none (`*`). */
export function tokenOf(t: RawToken, offset: number): Token {
  return {
    surface: t.surface_form,
    base: t.basic_form && t.basic_form !== '*' ? t.basic_form : t.surface_form,
    pos: t.pos,
    pos1: t.pos_detail_1,
    start: offset + t.word_position,
  };
}

/** kuromoji's tokenize over each piece, nothing kept. */
function uncachedTokenizer(raw: RawTokenizer): Tokenizer {
  return {
    tokenize(text: string): readonly Token[] {
      const out: Token[] = [];
      for (const [from, piece] of chunks(text)) {
        for (const t of raw.tokenize(piece)) out.push(tokenOf(t, from - 1));
      }
      return out;
    },
  };
}

/** Where the segment that starts at `start` ends: after the next 、 or 。, or at the end of the text. */
function segmentEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length) {
    const c = text.charCodeAt(end++);
    if (c === 0x3001 || c === 0x3002) break;
  }
  return end;
}

/** kuromoji's Tokenizer.splitByPunctuation: the text cut after every 、 and 。 (no empty segments), as the tokenizer cuts it. */
export function splitByPunctuation(text: string): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; ) {
    const end = segmentEnd(text, start);
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/**
 * Longest piece handed to kuromoji at once. kuromoji 0.1.2 groups a run of one character class
 * (letters, digits, katakana, kanji) as one unknown word in time quadratic in its length: 4,000 letters
 * take seconds and 20,000 exhaust the heap. Sentences of policy prose are far shorter than this.
 */
const MAX_CHUNK = 256;

/**
 * Splits text into pieces of at most MAX_CHUNK code units, cut after 。/、/whitespace when there is
 * one in the second half of the piece, else at a change of character class, never inside a surrogate pair.
 */
export function* chunks(text: string): Generator<[number, string]> {
  if (text.length <= MAX_CHUNK) {
    yield [0, text];
    return;
  }
  let from = 0;
  while (from < text.length) {
    let to = Math.min(text.length, from + MAX_CHUNK);
    if (to < text.length) {
      const window = text.slice(from + MAX_CHUNK / 2, to);
      const soft = Math.max(window.lastIndexOf('。'), window.lastIndexOf('、'), window.search(/\s(?!.*\s)/su));
      if (soft >= 0) to = from + MAX_CHUNK / 2 + soft + 1;
      else {
        let k = to;
        while (k > from + 1 && classOf(text.charCodeAt(k - 1)) === classOf(text.charCodeAt(k))) k--;
        if (k > from + 1) to = k;
      }
      // Never split a surrogate pair.
      if (to < text.length && text.charCodeAt(to - 1) >= 0xd800 && text.charCodeAt(to - 1) <= 0xdbff) to--;
    }
    yield [from, text.slice(from, to)];
    from = to;
  }
}

function classOf(c: number): number {
  if (c >= 0x3040 && c <= 0x309f) return 1; // hiragana
  if (c >= 0x30a0 && c <= 0x30ff) return 2; // katakana
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return 3; // kanji
  if ((c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19)) return 4; // digits
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xff21 && c <= 0xff5a)) return 5; // letters
  return 6;
}

let shared: Promise<Tokenizer> | undefined;

/** The process-wide tokenizer, loaded lazily on first use. */
export function sharedTokenizer(dicPath?: string): Promise<Tokenizer> {
  shared ??= loadKuromojiTokenizer(dicPath);
  return shared;
}
