/**
 * Generation of the precomputed catalog features (server/src/service/align/catalogFeatures.ts), run by
 * scripts/build.mjs with the bundled code: which texts the alignment engine asks features of while it is
 * built, and their features computed live with the dictionary they will be loaded with.
 */
import { AlignmentEngine } from '../service/align';
import { encodeCatalogFeatures, type CatalogFeatures, type CatalogFeaturesFile } from '../service/align/catalogFeatures';
import { FeatureExtractor, type Features } from '../service/align/features';
import type { Catalog } from '../service/catalog/types';
import type { Tokenizer } from '../service/morph/types';

export const CATALOG_FEATURES_FILE = 'catalog-features.json';

/**
 * The texts an engine asks features of while it is built, in that order, with their features computed
 * live: the engine is built over a tokenizer whose catalog features answer nothing but note each text.
 */
export function recordCatalogFeatures(catalog: Catalog, tokenizer: Tokenizer): Map<string, Features> {
  const asked: string[] = [];
  const recorder: CatalogFeatures = {
    get(text) {
      asked.push(text);
      return undefined;
    },
  };
  new AlignmentEngine(catalog, { tokenize: (text, options) => tokenizer.tokenize(text, options), catalogFeatures: recorder } as Tokenizer);
  const live = new FeatureExtractor(tokenizer);
  return new Map(asked.map((text) => [text, live.features(text)]));
}

export function catalogFeaturesFile(catalog: Catalog, tokenizer: Tokenizer): CatalogFeaturesFile {
  return encodeCatalogFeatures(recordCatalogFeatures(catalog, tokenizer));
}
