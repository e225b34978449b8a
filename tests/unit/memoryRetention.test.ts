/**
 * No version of a document outlives its analysis through the strings cut from it: a V8 slice keeps its
 * whole parent, and slices of each version's text kept in the parse's lines, the unit memos and the
 * caches kept every version alive (~0.4 MB a keystroke on the 500 KB draft). Measured in a child process
 * with --expose-gc: heap growth after full collections, and the versions a heap snapshot still holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/corpus';

function child(...args: string[]): Record<string, number> {
  const script = join(repoRoot, 'tests', 'helpers', 'retentionChild.ts');
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

test('detached(): a kept slice no longer keeps the string it was cut from (plain slices do)', () => {
  const plain = child('slices', 'plain');
  const detachedOnes = child('slices', 'detached');
  // 40 parents of 2 MB each: the plain slices keep ~80 MB, the detached ones a few hundred bytes each.
  assert.ok(plain.growth! > 60e6, `plain slices kept only ${plain.growth} bytes: the measurement does not see retention`);
  assert.ok(detachedOnes.growth! < 2e6, `detached slices kept ${detachedOnes.growth} bytes`);
});

test('editing a draft does not keep each version of its text alive', () => {
  const r = child('edits');
  // The current version and the one before it (the last line split) may be there; before, all 200 were.
  assert.ok(r.versionsAlive! <= 4, `${r.versionsAlive} texts of the draft's size are alive after ${r.edits} edits`);
});

test('a known word the tokenizer keeps does not keep the text it was cut from', () => {
  const r = child('words');
  assert.equal(r.wordKept, 1, 'the long word was not tokenised as one word: the test sees nothing');
  assert.equal(r.textsAlive, 0, `${r.textsAlive} texts of 1,000,000 units are alive through a kept word`);
});
