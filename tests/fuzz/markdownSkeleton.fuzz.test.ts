// The Markdown layer shrinks what remark sees (runs of paragraph lines and blank lines between block
// constructs). This property checks that the shrunk skeleton gives exactly the block structure of the full
// one, on drafts built to have long alternations of paragraphs and blank lines between every kind of
// construct (fences, HTML blocks and comments, tables, setext headings, quotes, lists), and on the
// general fuzz drafts; and that cutting the skeleton into separately parsed chunks changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { markdownLayer } from '../../server/src/service/parse/markdown';
import { draftOf } from './arbitraries';
import { layerOf, skeletonDoc as doc, skeletonProperty } from './properties';

const SEED = 20_261_122;

test('the shrunk skeleton gives the same headings, opaque lines and table rows as the full one (fixed seed)', () => {
  fc.assert(skeletonProperty, { seed: SEED, numRuns: 400 });
  const long = fc.sample(doc, { seed: SEED, numRuns: 400 }).filter((lines) => lines.length > 30).length;
  assert.ok(long > 50, `few long drafts generated (${long})`);
});

test('cutting the skeleton into chunks at headings (as small as 2 lines) changes nothing (fixed seed)', () => {
  fc.assert(
    fc.property(doc, fc.integer({ min: 2, max: 8 }), (lines, chunkLines) => {
      assert.deepEqual(layerOf(lines, true, chunkLines), layerOf(lines, false));
    }),
    { seed: SEED + 1, numRuns: 400 },
  );
});

test('the same holds on the general fuzz drafts', () => {
  fc.assert(
    fc.property(draftOf(true), (text) => {
      const lines = text.split(/\r\n|\n|\r/);
      assert.deepEqual(layerOf(lines, true), layerOf(lines, false));
      assert.deepEqual(layerOf(lines, true, 2), layerOf(lines, false));
    }),
    { seed: SEED, numRuns: 150 },
  );
});

test('a multi-line HTML comment ends at its closing line', () => {
  const lines = ['<!-- 注記', '一行目', '二行目', '三行目', 'ここまで -->', '', '## 2 見出し'];
  const l = markdownLayer(lines);
  assert.deepEqual([...l.opaque].sort(), [0, 1, 2, 3, 4]);
  assert.equal(l.headingDepth.get(6), 2);
});
