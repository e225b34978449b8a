/**
 * The features of the catalog texts the alignment index is built from (about 500 normalised 例文 texts,
 * 32,000 characters), computed ahead of time.
 *
 * Building the index means normalising, tokenising and reducing every one of those texts: 0.5–0.7 s with
 * kuromoji, still 0.1–0.2 s without, on every start of the server or the CLI. scripts/build.mjs computes
 * them with the bundled code into `dist/dict/catalog-features.json`, beside the dictionary they were
 * tokenised with; the adapter that loads that dictionary (server/src/morph/kuromoji.ts) attaches them to
 * the tokenizer it hands the service, and the engine's feature extractor takes a text's features from
 * there before computing them (server/src/morph/catalogFeatures.ts records which texts). They are keyed by the exact text, so a catalog or a normalisation other
 * than the one they were computed for only misses and is computed as before; without them (tests from
 * source) everything is. tests/unit/catalogFeatures.test.ts proves that an index built from them equals
 * the index built live, and that the built file is what the sources generate.
 */
import type { Tokenizer } from '../morph/types';
import type { Features } from './features';

/** Features by text, as the engine's feature extractor asks (ReadonlyMap is one). */
export interface CatalogFeatures {
  get(text: string): Features | undefined;
}

/** A tokenizer that comes with the catalog's features computed with it. */
export interface WithCatalogFeatures {
  readonly catalogFeatures?: CatalogFeatures;
}

/** The catalog features a tokenizer comes with, if any. */
export function catalogFeaturesOf(tokenizer: Tokenizer): CatalogFeatures | undefined {
  return (tokenizer as Tokenizer & WithCatalogFeatures).catalogFeatures;
}

export const CATALOG_FEATURES_FORMAT = 1;

/** The file: each text with its terms and bigrams, in their sets' order (sums over them follow it). */
export interface CatalogFeaturesFile {
  readonly format: typeof CATALOG_FEATURES_FORMAT;
  readonly texts: readonly (readonly [text: string, terms: readonly string[], bigrams: readonly string[]])[];
}

export function encodeCatalogFeatures(features: ReadonlyMap<string, Features>): CatalogFeaturesFile {
  return { format: CATALOG_FEATURES_FORMAT, texts: [...features].map(([text, f]) => [text, [...f.terms], [...f.bigrams]] as const) };
}

/** Throws on anything but a file of this format. */
export function decodeCatalogFeatures(data: unknown): Map<string, Features> {
  const file = data as CatalogFeaturesFile | null;
  if (!file || file.format !== CATALOG_FEATURES_FORMAT || !Array.isArray(file.texts)) throw new Error(`catalog features: not format ${CATALOG_FEATURES_FORMAT}`);
  const out = new Map<string, Features>();
  for (const entry of file.texts as CatalogFeaturesFile['texts']) {
    const [text, terms, bigrams] = entry;
    if (typeof text !== 'string' || !Array.isArray(terms) || !Array.isArray(bigrams)) throw new Error('catalog features: malformed entry');
    out.set(text, { terms: new Set(terms), bigrams: new Set(bigrams) });
  }
  return out;
}
