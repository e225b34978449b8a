/**
 * The precomputed catalog features (server/src/service/align/catalogFeatures.ts, written by scripts/build.mjs
 * to dist/dict/catalog-features.json): an alignment engine built over a tokenizer that comes with them has
 * the index an engine computes live, without tokenising anything; the built file, when there is one, is
 * what the current sources generate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CATALOG_FEATURES_FILE, catalogFeaturesFile, recordCatalogFeatures } from '../../server/src/morph/catalogFeatures';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import { AlignmentEngine } from '../../server/src/service/align';
import { catalogFeaturesOf, decodeCatalogFeatures, type WithCatalogFeatures } from '../../server/src/service/align/catalogFeatures';
import { Aligner } from '../../server/src/service/align/engine';
import { FeatureExtractor, type Features } from '../../server/src/service/align/features';
import { loadCatalog } from '../../server/src/service/catalog';
import type { Tokenizer } from '../../server/src/service/morph/types';
import { parsePolicy } from '../../server/src/service/parse';
import { repoRoot } from '../helpers/corpus';

const catalog = loadCatalog();
const live = loadKuromojiTokenizer(undefined, { precomputed: false });
const generated = live.then((tokenizer) => JSON.parse(JSON.stringify(catalogFeaturesFile(catalog, tokenizer))) as unknown); // as written and read

/** Everything the index holds, in comparable form (sets as arrays, in their order: sums follow it). */
function snapshot(extractor: FeatureExtractor) {
  const index = new Aligner(catalog, extractor).index;
  const features = (f: Features | undefined) => f && { terms: [...f.terms], bigrams: [...f.bigrams] };
  return {
    units: index.units.map((u) => ({ id: u.item.id, termMass: u.termMass, bigramMass: u.bigramMass, ...features(u.features) })),
    contexts: catalog.items.map((i) => [i.id, features(index.contextOf(i.id))]),
    termIdf: index.units.flatMap((u) => [...u.features.terms].map((t) => [t, index.termIdf(t)])),
    bigramIdf: index.units.flatMap((u) => [...u.features.bigrams].map((b) => [b, index.bigramIdf(b)])),
  };
}

/** A tokenizer that notes every text it is asked, and knows nothing. */
function noting(asked: string[]): Tokenizer {
  return {
    tokenize(text) {
      asked.push(text);
      return [];
    },
  };
}

test('an index built from the precomputed features equals the live one, and tokenises nothing', async () => {
  const precomputed = decodeCatalogFeatures(await generated);
  const asked: string[] = [];
  const fromFile = snapshot(new FeatureExtractor(noting(asked), [], undefined, precomputed));
  assert.deepEqual(asked, [], `texts not in the file: ${asked.slice(0, 3).join(' | ')}`);
  const expected = snapshot(new FeatureExtractor(await live));
  assert.ok(expected.units.length > 400, `${expected.units.length} units`);
  assert.deepEqual(fromFile, expected);
});

test('the engine takes the features the tokenizer comes with: building it tokenises nothing, analysing still does', async () => {
  const asked: string[] = [];
  const tokenizer: Tokenizer & WithCatalogFeatures = { ...noting(asked), catalogFeatures: decodeCatalogFeatures(await generated) };
  assert.ok(catalogFeaturesOf(tokenizer));
  const engine = new AlignmentEngine(catalog, tokenizer);
  assert.deepEqual(asked, []);
  engine.analyze(parsePolicy('# 情報セキュリティ基本方針\n\n## 1 目的\n\n本市の情報資産を守る。\n'));
  assert.ok(asked.length > 0, 'the draft is tokenised');
});

test('the file holds every text the engine asks, and a file of another format is refused', async () => {
  const recorded = recordCatalogFeatures(catalog, await live);
  assert.ok(recorded.size > 300, `${recorded.size} texts`);
  const file = (await generated) as { texts: unknown[] };
  assert.equal(file.texts.length, recorded.size);
  assert.throws(() => decodeCatalogFeatures({ ...file, format: 2 }), /format/);
  assert.throws(() => decodeCatalogFeatures(null), /format/);
  assert.throws(() => decodeCatalogFeatures({ format: 1, texts: [['x', 'not an array', []]] }), /malformed/);
});

test('renamed extractors do not take the precomputed features (renames change the normalised text)', async () => {
  const precomputed = decodeCatalogFeatures(await generated);
  const [text] = [...precomputed.keys()].filter((t) => t.includes('統括情報セキュリティ責任者'));
  assert.ok(text, 'a catalog text naming 統括情報セキュリティ責任者');
  const renamed = new FeatureExtractor(await live, [['統括情報セキュリティ責任者', '情報管理者']], undefined, precomputed);
  assert.notDeepEqual(renamed.features(text), precomputed.get(text));
});

const built = path.join(repoRoot, 'dist', 'dict', CATALOG_FEATURES_FILE);
test('the built dist/dict/catalog-features.json is what the current sources generate', { skip: !existsSync(built) && `reason: ${built} not built (npm run build)` }, async () => {
  assert.deepEqual(JSON.parse(readFileSync(built, 'utf8')), await generated, 'dist/ is older than the catalog or the alignment code: npm run build');
});
