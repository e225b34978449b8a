// Quick-fix safety on the real policies of the corpus: every fix the service offers, for every finding, touches
// only its own ranges, leaves a text that parses, and is gone (or a no-op) once applied. See assertFixSafe in
// tests/fuzz/properties.ts (the same check runs on random drafts, on the repository's drafts and on the
// guideline's 例文 draft).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CORPUS_SKIP, hasCorpus, readCorpus } from '../helpers/corpus';
import { assertFixesSafe } from '../fuzz/properties';
import { featureService } from './featuresFixture';

const documents: [name: string, options: { readonly recommendedMarker?: 'inline' | 'frontMatter' }][] = [
  ['tsukuba-smartcity-policy.txt', {}],
  ['omuta-basic-policy.txt', {}],
];

describe('quick fixes on the corpus', () => {
  for (const [name, options] of documents) {
    it(`every fix offered on ${name}${options.recommendedMarker ? ` (recommendedMarker ${options.recommendedMarker})` : ''} is safe and idempotent`, { skip: !hasCorpus(name) && CORPUS_SKIP, timeout: 600_000 }, async () => {
      const s = await featureService();
      // As an editor asks for a document Kijun checks: a policy front matter on the text.
      const text = `---\nkijun: {}\n---\n\n${readCorpus(name)}`;
      const d = { uri: `untitled:corpus-fixes-${name}-${options.recommendedMarker ?? 'inline'}.md`, version: 1, getText: () => text };
      const started = performance.now();
      // 対象外 declarations edit the front matter alone, the same way for every item (tests/unit/fixIdempotence.test.ts):
      // one in eight is analysed again; every other fix is.
      const r = assertFixesSafe(s, d, Infinity, options, (kind) => (kind === '対象外' ? 8 : 1));
      console.log(`# ${name}: ${r.checked} fixes checked, ${r.reanalysed} analysed again (${[...r.titles].join(', ')}) in ${(performance.now() - started).toFixed(0)} ms`);
      assert.equal(r.checked, r.offered, 'every offered fix');
      assert.ok(r.checked > 0, 'the document gets fixes');
      s.forget(d.uri);
    });
  }
});
