/**
 * CatalogIndex.overlaps (the inner loop of every alignment) against its definition: for each unit of the
 * given parts sharing a term or bigram with the text, the idf mass of the shared terms and of the shared
 * bigrams; no other unit; repeated calls independent of each other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignmentFixture } from '../helpers/alignment';
import { CatalogIndex } from '../../server/src/service/align/catalogIndex';
import { FeatureExtractor, type Features } from '../../server/src/service/align/features';
import type { GuidelinePart } from '../../server/src/service/catalog/types';

function reference(index: CatalogIndex, f: Features, parts?: ReadonlySet<GuidelinePart>): Map<number, { termOverlap: number; bigramOverlap: number }> {
  const out = new Map<number, { termOverlap: number; bigramOverlap: number }>();
  for (const unit of index.units) {
    if (parts && !parts.has(unit.item.part)) continue;
    let termOverlap = 0;
    let bigramOverlap = 0;
    let shared = false;
    for (const t of f.terms) {
      if (!unit.features.terms.has(t)) continue;
      termOverlap += index.termIdf(t);
      shared = true;
    }
    for (const b of f.bigrams) {
      if (!unit.features.bigrams.has(b)) continue;
      bigramOverlap += index.bigramIdf(b);
      shared = true;
    }
    if (shared) out.set(unit.index, { termOverlap, bigramOverlap });
  }
  return out;
}

function assertSame(actual: ReadonlyMap<number, { termOverlap: number; bigramOverlap: number }>, expected: typeof actual, what: string): void {
  assert.deepEqual([...actual.keys()].sort((a, b) => a - b), [...expected.keys()].sort((a, b) => a - b), `${what}: units`);
  for (const [i, e] of expected) {
    const a = actual.get(i)!;
    assert.ok(Math.abs(a.termOverlap - e.termOverlap) < 1e-9 && Math.abs(a.bigramOverlap - e.bigramOverlap) < 1e-9, `${what}: unit ${i} ${JSON.stringify(a)} vs ${JSON.stringify(e)}`);
  }
}

test('overlaps gives each unit sharing a feature the idf mass it shares, within the parts asked, call after call', async () => {
  const { catalog, tokenizer } = await alignmentFixture();
  const extractor = new FeatureExtractor(tokenizer);
  const index = new CatalogIndex(catalog, extractor);
  const texts = [
    ...index.units.slice(0, 60).map((u) => u.item.text),
    '情報セキュリティ委員会は、情報セキュリティ対策基準を定め、毎年度見直すものとする。',
    '職員等は、パスワードを他者に知られないように管理しなければならない。',
    'まったく関係のない文章です。',
    '',
  ];
  const partSets: (ReadonlySet<GuidelinePart> | undefined)[] = [undefined, new Set(['standards']), new Set(['basic-policy']), new Set()];
  let compared = 0;
  for (const text of texts) {
    const f = extractor.features(text);
    for (const parts of partSets) {
      assertSame(index.overlaps(f, parts), reference(index, f, parts), `${text.slice(0, 20)} / ${parts ? [...parts].join('+') || 'none' : 'all'}`);
      compared++;
    }
  }
  assert.equal(compared, texts.length * partSets.length);
  assert.equal(index.overlaps(extractor.features(''), undefined).size, 0);
});
