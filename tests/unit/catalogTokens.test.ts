/**
 * The precomputed catalog tokens (server/src/morph/catalogTokens.ts, written by scripts/build.mjs to
 * dist/dict/catalog-tokens.json): an alignment index built from them equals the index built live, without
 * asking kuromoji anything; the built file, when there is one, is what the current sources generate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CATALOG_TOKENS_FILE, decodeCatalogTokens, encodeCatalogTokens, recordCatalogTokens, withPrecomputedTokens } from '../../server/src/morph/catalogTokens';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import { Aligner } from '../../server/src/service/align/engine';
import { FeatureExtractor, type Features } from '../../server/src/service/align/features';
import { loadCatalog } from '../../server/src/service/catalog';
import type { Tokenizer } from '../../server/src/service/morph/types';
import { repoRoot } from '../helpers/corpus';

const catalog = loadCatalog();
const live = loadKuromojiTokenizer(undefined, { precomputed: false });
const generated = live.then((tokenizer) => encodeCatalogTokens(recordCatalogTokens(catalog, tokenizer)));

/** Everything the index holds, in comparable form. */
function snapshot(tokenizer: Tokenizer) {
  const index = new Aligner(catalog, new FeatureExtractor(tokenizer)).index;
  const features = (f: Features | undefined) => f && { terms: [...f.terms].sort(), bigrams: [...f.bigrams].sort() };
  return {
    units: index.units.map((u) => ({ id: u.item.id, termMass: u.termMass, bigramMass: u.bigramMass, ...features(u.features) })),
    contexts: catalog.items.map((i) => [i.id, features(index.contextOf(i.id))]),
    termIdf: index.units.flatMap((u) => [...u.features.terms].map((t) => [t, index.termIdf(t)])),
    bigramIdf: index.units.flatMap((u) => [...u.features.bigrams].map((b) => [b, index.bigramIdf(b)])),
  };
}

test('an index built from the precomputed tokens equals the live one, and asks kuromoji nothing', async () => {
  const file = JSON.parse(JSON.stringify(await generated)) as unknown; // as it is written and read
  const asked: string[] = [];
  const nothingElse: Tokenizer = {
    tokenize(text) {
      asked.push(text);
      return [];
    },
  };
  const precomputed = snapshot(withPrecomputedTokens(nothingElse, decodeCatalogTokens(file)));
  assert.deepEqual(asked, [], `texts not in the table: ${asked.slice(0, 3).join(' | ')}`);
  const expected = snapshot(await live);
  assert.ok(expected.units.length > 400, `${expected.units.length} units`);
  assert.deepEqual(precomputed, expected);
});

test('the precomputed tokenizer answers any other text from kuromoji', async () => {
  const tokenizer = await live;
  const seeded = withPrecomputedTokens(tokenizer, decodeCatalogTokens(await generated));
  for (const text of ['本区の情報セキュリティ委員会は、年1回以上開催する。', 'CSIRT', '', catalog.items[40]!.text]) {
    assert.deepEqual(seeded.tokenize(text), tokenizer.tokenize(text), text);
  }
});

test('the table covers the catalog texts once each, and a file of another format is refused', async () => {
  const file = await generated;
  assert.ok(file.texts.length > 300, `${file.texts.length} texts`);
  assert.equal(new Set(file.texts.map(([t]) => t)).size, file.texts.length);
  assert.throws(() => decodeCatalogTokens({ ...file, format: 2 }), /format/);
  assert.throws(() => decodeCatalogTokens(null), /format/);
});

const built = path.join(repoRoot, 'dist', 'dict', CATALOG_TOKENS_FILE);
test('the built dist/dict/catalog-tokens.json is what the current sources generate', { skip: !existsSync(built) && `reason: ${built} not built (npm run build)` }, async () => {
  const file = JSON.parse(readFileSync(built, 'utf8')) as unknown;
  assert.deepEqual(file, JSON.parse(JSON.stringify(await generated)), 'dist/ is older than the catalog or the alignment code: npm run build');
});
