import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/service/text/lineIndex';

test('positions count UTF-16 code units and all three line breaks', () => {
  const text = 'a𠮷b\r\n第1条\rx\ny';
  const idx = new LineIndex(text);
  assert.equal(idx.lineCount, 4);
  assert.deepEqual(idx.positionAt(3), { line: 0, character: 3 }); // after the surrogate pair
  assert.deepEqual(idx.positionAt(6), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(10), { line: 2, character: 0 });
  assert.deepEqual(idx.positionAt(12), { line: 3, character: 0 });
  assert.equal(idx.offsetAt({ line: 1, character: 2 }), 8);
});

test('out-of-range positions and offsets are clamped, never thrown', () => {
  const idx = new LineIndex('abc\ndef');
  assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(999), { line: 1, character: 3 });
  assert.equal(idx.offsetAt({ line: 9, character: 0 }), 7);
  assert.equal(idx.offsetAt({ line: 0, character: 99 }), 3);
});
