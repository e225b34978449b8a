import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listFixtureCases, runFixture } from '../helpers/structureFixtures';

const cases = listFixtureCases();

test('there is a fixture for every structure finding code', () => {
  const codes = new Set(cases.map((c) => c.code));
  for (const code of [
    'numbering-gap',
    'numbering-duplicate',
    'numbering-order',
    'mixed-numbering-style',
    'unresolved-reference',
    'invalid-front-matter',
  ]) {
    assert.ok(codes.has(code), `missing fixtures for ${code}`);
  }
});

for (const c of cases) {
  test(`fixture ${c.code}/${c.name}`, () => {
    const [actual, expected] = runFixture(c);
    assert.equal(actual, expected);
    if (c.code !== 'clean') {
      assert.ok(actual.split('\n').every((l) => l.includes(` ${c.code} `)), 'only findings of the fixture code');
    }
  });
}
