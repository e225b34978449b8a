/**
 * The sentences the role model reads (roles/text.ts): compact text that maps back, character by character,
 * to the document. On the 例文 drafts, the corpus and the fixtures, and after random edits that insert
 * line breaks, blank lines, tabs, table pipes, emphasis, comments, list and heading markers and brackets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '../../server/src/service/parse/index';
import type { ProvisionNode } from '../../server/src/service/parse/types';
import { excludedRanges, offsetAt, sentencesOf } from '../../server/src/service/roles/text';
import { repoRoot } from '../helpers/corpus';
import { editSequence, referenceDrafts } from '../helpers/drafts';

function fixtureDrafts(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md')) out.push([p, readFileSync(p, 'utf8')]);
    }
  };
  walk(join(repoRoot, 'tests', 'fixtures'));
  return out;
}

/** Kanji and kana: never markup, never skipped by compaction. */
const WORDING = /[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]/;

function assertSentences(text: string, label: string): void {
  const parsed = parsePolicy(text);
  const excluded = excludedRanges(parsed);
  // 1: a comment or the front matter, 2: a provision number.
  const skipped = new Uint8Array(text.length);
  for (const r of excluded) skipped.fill(1, r.start, r.end);
  const visit = (n: ProvisionNode): void => {
    if (n.numberRange) skipped.fill(2, n.numberRange.start, n.numberRange.end);
    n.children.forEach(visit);
  };
  parsed.provisions.forEach(visit);
  const seen = new Uint32Array(text.length);
  let previousStart = -1;
  for (const s of sentencesOf(parsed)) {
    assert.ok(!s.text.includes('\n'), `${label}: a sentence holds a boundary: ${JSON.stringify(s.text)}`);
    assert.ok(/[^\u3000]/.test(s.text), `${label}: an empty sentence`);
    assert.ok(offsetAt(s, 0) >= previousStart, `${label}: sentences out of order at ${JSON.stringify(s.text)}`);
    previousStart = offsetAt(s, 0);
    let previous = -1;
    for (let i = 0; i < s.text.length; i++) {
      const at = offsetAt(s, i);
      const c = s.text[i]!;
      const source = text[at]!;
      assert.ok(at > previous, `${label}: offsets do not grow in ${JSON.stringify(s.text)} at ${i}`);
      // A blank line ends a paragraph, and so a sentence.
      assert.ok(previous < 0 || !/\n[ \t\r]*\n/.test(text.slice(previous, at)), `${label}: ${JSON.stringify(s.text)} runs over a blank line at ${at}`);
      previous = at;
      assert.ok(c === source || (c === '\u3000' && (source === '\t' || source === '|')), `${label}: ${JSON.stringify(c)} at ${i} of ${JSON.stringify(s.text)} maps to ${JSON.stringify(source)} at ${at}`);
      assert.notEqual(skipped[at], 1, `${label}: a sentence reads a comment or the front matter at ${at}`);
      seen[at]!++;
    }
  }
  // Every character of wording outside comments, front matter and provision numbers is read exactly once.
  for (let at = 0; at < text.length; at++) {
    if (skipped[at] !== 0 || seen[at] === 1 || !WORDING.test(text[at]!)) continue;
    assert.fail(`${label}: ${JSON.stringify(text.slice(Math.max(0, at - 10), at + 10))} at ${at} is read ${seen[at]} times`);
  }
}

const PIECES = ['\n', '\n\n', '\t', '|', '**', '__', ' ', '\r\n', '<!-- 注 -->', '<!--', '-->', '# ', '- ', '> ', '　', '（', '）', '。', '「', '」', '1. ', '(1) ', '第3条 ', '*', '市'];

test('every sentence maps back to the document, and all wording is read once (drafts, corpus, fixtures)', () => {
  for (const [name, text] of [...referenceDrafts(), ...fixtureDrafts()]) assertSentences(text, name);
});

test('the same after random edits of line breaks, markup, comments and brackets', () => {
  for (const [name, text] of referenceDrafts()) {
    let k = 0;
    for (const edited of editSequence(text, PIECES, 11 + text.length, 40, 12)) assertSentences(edited, `${name} edit ${k++}`);
  }
});
