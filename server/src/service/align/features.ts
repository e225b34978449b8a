import { contentTerms } from '../morph/terms';
import type { TokenizeOptions, Tokenizer } from '../morph/types';
import { normalizeForMatch } from '../text/normalize';
import type { CatalogFeatures } from './catalogFeatures';

/**
 * What a clause is compared by: its content terms (kuromoji compound nouns, their parts, verb and
 * adjective base forms) and its character bigrams. Terms carry meaning; bigrams survive tokenisation
 * differences, typos and okurigana variants the normaliser does not know.
 */
export interface Features {
  readonly terms: ReadonlySet<string>;
  readonly bigrams: ReadonlySet<string>;
}

/**
 * What a containment check reads of the features it checks: membership only. A lead-in context is one of
 * these, so that it can stand for the union of several feature sets without building it.
 */
export interface FeatureMembership {
  readonly terms: { has(term: string): boolean };
  readonly bigrams: { has(bigram: string): boolean };
}

/** What bigrams skip: punctuation, symbols, digits, whitespace (one character). */
const SKIP_CHAR = /^[\p{P}\p{S}\p{N}\s]$/u;
const isHiragana = (c: string): boolean => c.length === 1 && c >= '\u3041' && c <= '\u309f';

/**
 * Character bigrams of normalised text, without punctuation, digits, or all-hiragana pairs (okurigana and
 * particles). Pairs of code points: the text without the skipped characters, then each adjacent pair.
 */
export function bigramsOf(normalized: string): Set<string> {
  // One pass over the code points (no filtered copy, no array of characters): `prev` is the last kept one.
  const out = new Set<string>();
  let prev = '';
  for (let i = 0; i < normalized.length; ) {
    const code = normalized.codePointAt(i)!;
    const units = code > 0xffff ? 2 : 1;
    // A lone surrogate may pair with another once the characters between are skipped: the plain way.
    if (units === 1 && code >= 0xd800 && code <= 0xdfff) return bigramsOfFiltered(normalized);
    const c = units === 1 ? normalized[i]! : normalized.slice(i, i + 2);
    i += units;
    if (units === 1 ? skipsUnit(code) : SKIP_CHAR.test(c)) continue;
    if (prev !== '' && !(isHiragana(prev) && isHiragana(c))) out.add(prev + c);
    prev = c;
  }
  return out;
}

/** bigramsOf as its definition reads: the text without the skipped characters, then each adjacent pair. */
function bigramsOfFiltered(normalized: string): Set<string> {
  const out = new Set<string>();
  const chars = Array.from(normalized.replace(SKIP_CHARS, ''));
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i]!;
    const b = chars[i + 1]!;
    if (!(isHiragana(a) && isHiragana(b))) out.add(a + b);
  }
  return out;
}

const SKIP_CHARS = /[\p{P}\p{S}\p{N}\s]/gu;

/** Per BMP code unit: 0 not known yet, 1 kept, 2 skipped (SKIP_CHAR). */
const skipTable = new Uint8Array(0x10000);

function skipsUnit(code: number): boolean {
  let v = skipTable[code]!;
  if (v === 0) skipTable[code] = v = SKIP_CHAR.test(String.fromCharCode(code)) ? 2 : 1;
  return v === 2;
}

/** contentTerms reads no token's position. */
const NO_POSITIONS: TokenizeOptions = { positions: false };

/** Text markers that are not content: 【推奨事項】 and the like. */
const MARKERS = /【[^】]{0,10}】/g;

/**
 * Extracts features with a bounded per-text cache, so re-analysing a document after an edit tokenises
 * only the clauses whose text changed.
 */
export class FeatureExtractor {
  readonly #tokenizer: Tokenizer;
  readonly #cache = new Map<string, Features>();
  readonly #limit: number;
  /** Replacements applied after normalisation: the draft's own role names → the guideline's. */
  readonly #renames: ReadonlyArray<readonly [string, string]>;

  /** Features computed ahead of time, by text (the catalog's, see catalogFeatures.ts); only without renames. */
  readonly #precomputed: CatalogFeatures | undefined;

  constructor(tokenizer: Tokenizer, renames: ReadonlyArray<readonly [string, string]> = [], limit = 20_000, precomputed?: CatalogFeatures) {
    this.#tokenizer = tokenizer;
    this.#renames = [...renames].sort((a, b) => b[0].length - a[0].length);
    this.#limit = limit;
    this.#precomputed = renames.length === 0 ? precomputed : undefined;
  }

  /** A new extractor sharing the tokenizer but with other renames (the cache is per rename set). */
  withRenames(renames: ReadonlyArray<readonly [string, string]>): FeatureExtractor {
    return new FeatureExtractor(this.#tokenizer, renames, this.#limit);
  }

  normalize(text: string): string {
    let s = normalizeForMatch(text.replace(MARKERS, ''));
    for (let i = 0; i < this.#renames.length; i++) {
      const rename = this.#renames[i]!;
      if (s.includes(rename[0])) s = s.split(rename[0]).join(rename[1]);
    }
    return s;
  }

  features(text: string): Features {
    const hit = this.#cache.get(text) ?? this.#precomputed?.get(text);
    if (hit) return hit;
    const normalized = this.normalize(text);
    const terms = contentTerms(this.#tokenizer.tokenize(normalized, NO_POSITIONS));
    const f: Features = { terms, bigrams: bigramsOf(normalized) };
    if (this.#cache.size >= this.#limit) this.#cache.clear();
    this.#cache.set(text, f);
    return f;
  }
}
