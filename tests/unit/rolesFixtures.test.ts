/**
 * Role findings on annotated fixture drafts, and the contract of their quick fixes: a fix edits only its
 * ranges, and once applied the finding is gone, so applying the fixes offered again changes nothing.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import type { Tokenizer } from '../../server/src/service/morph/types';
import { applyEdits, findingsOf, listRoleFixtures, runRoleFixture } from '../helpers/roleFixtures';

let tokenizer: Tokenizer;
before(async () => {
  tokenizer = await loadKuromojiTokenizer();
});

const cases = listRoleFixtures();

test('there is a fixture for every role finding code', () => {
  const codes = new Set(cases.map((c) => c.code));
  for (const code of ['undefined-role', 'conflicting-approvers', 'self-approval', 'unused-role', 'clean']) assert.ok(codes.has(code), `missing fixtures for ${code}`);
});

for (const c of cases) {
  test(`fixture ${c.code}/${c.name}`, () => {
    const [actual, expected, findings, text] = runRoleFixture(c, tokenizer);
    assert.equal(actual, expected);
    if (c.code === 'clean') assert.equal(findings.length, 0);
    else assert.ok(findings.length > 0 && findings.every((f) => f.code === c.code), 'only findings of the fixture code');
    for (const f of findings) {
      for (const fix of f.fixes ?? []) {
        for (const e of fix.edits) assert.ok(e.range.start >= 0 && e.range.end <= text.length && e.range.start <= e.range.end, `${fix.title}: edit inside the document`);
        const fixed = applyEdits(text, fix.edits);
        // Outside its edits the text is unchanged.
        const first = Math.min(...fix.edits.map((e) => e.range.start));
        assert.equal(fixed.slice(0, first), text.slice(0, first));
        const again = findingsOf(fixed, tokenizer, c.code === 'unused-role').filter((g) => g.code === f.code && g.message === f.message);
        assert.deepEqual(again, [], `${fix.title}: the finding is gone once fixed`);
        const refix = findingsOf(fixed, tokenizer).flatMap((g) => g.fixes ?? []).filter((g) => g.title === fix.title);
        assert.deepEqual(refix, [], `${fix.title}: not offered again`);
      }
    }
  });
}
