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

const SEED = 20_261_122;

const construct = fc.constantFrom(
  '# 見出し',
  '## 1 組織体制',
  '```',
  '~~~',
  '<div>',
  '</div>',
  '<!-- 注記',
  '注記の終わり -->',
  '<pre>',
  '</pre>',
  '| 区分 | 内容 |',
  '|---|---|',
  '| 機密性3 | 秘密文書 |',
  '===',
  '---',
  '***',
  '> 引用',
  '- 箇条書き',
  '  - 字下げした箇条',
  '    字下げした続き',
  '1. 番号付き',
  '[^1]: 脚注',
);
const prose = fc.constantFrom('本市の職員は、情報資産を適切に管理しなければならない。', '(1) 統括情報セキュリティ責任者', '①CISO は…', 'x', '　全角字下げの行');
const blank = fc.constantFrom('', '   ', '\t');
/** A gap: a long alternation of prose and blank lines, so that the skeleton's shrinking is exercised. */
const gap = fc.array(fc.oneof({ weight: 3, arbitrary: prose }, { weight: 2, arbitrary: blank }), { minLength: 0, maxLength: 14 });
const doc = fc
  .array(fc.tuple(fc.array(construct, { minLength: 1, maxLength: 3 }), gap), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.flatMap(([c, g]) => [...c, ...g]));

function layerOf(lines: readonly string[], compress: boolean, chunkLines?: number) {
  const l = markdownLayer(lines, { compress, ...(chunkLines ? { chunkLines } : {}) });
  return {
    headingDepth: [...l.headingDepth].sort((a, b) => a[0] - b[0]),
    opaque: [...l.opaque].sort((a, b) => a - b),
    tableRows: [...l.tableRows].sort((a, b) => a - b),
  };
}

test('the shrunk skeleton gives the same headings, opaque lines and table rows as the full one (fixed seed)', () => {
  let shrunk = 0;
  fc.assert(
    fc.property(doc, (lines) => {
      assert.deepEqual(layerOf(lines, true), layerOf(lines, false));
      if (lines.length > 30) shrunk++;
    }),
    { seed: SEED, numRuns: 400 },
  );
  assert.ok(shrunk > 50, `few long drafts generated (${shrunk})`);
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
