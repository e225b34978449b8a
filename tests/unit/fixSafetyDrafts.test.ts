// Quick-fix safety on the repository's own drafts (the sample with its planted defects, the role and structure
// fixtures): every fix offered touches only its own ranges, leaves a text that parses, and is gone (or a no-op)
// once applied. Together they reach every kind of fix the service has. See assertFixSafe in tests/fuzz/properties.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/corpus';
import { assertFixesSafe } from '../fuzz/properties';
import { featureService } from './featuresFixture';

/** The repository's own drafts: the sample (with a role near-miss) and the role and structure fixtures. */
const repoDrafts = [
  'examples/sample-policy.md',
  'tests/fixtures/features/town-article-draft.md',
  ...['roles', 'structure'].flatMap((group) =>
    readdirSync(join(repoRoot, 'tests', 'fixtures', group)).flatMap((dir) =>
      readdirSync(join(repoRoot, 'tests', 'fixtures', group, dir))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `tests/fixtures/${group}/${dir}/${f}`),
    ),
  ),
];

describe('quick fixes on the repository’s drafts', () => {
  it('every fix offered on the sample and the fixtures is safe and idempotent', { timeout: 600_000 }, async () => {
    const s = await featureService();
    const titles = new Set<string>();
    let checked = 0;
    for (const file of repoDrafts) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      const d = { uri: `untitled:fixes-${file}`, version: 1, getText: () => text };
      // 対象外 declarations edit the front matter alone, the same way for every item: one in eight is analysed again.
      const r = assertFixesSafe(s, d, Infinity, undefined, (kind) => (kind === '対象外' ? 8 : 1));
      assert.equal(r.checked, r.offered);
      checked += r.checked;
      for (const t of r.titles) titles.add(t);
      s.forget(d.uri);
    }
    console.log(`# ${repoDrafts.length} drafts, ${checked} fixes checked: ${[...titles].join(', ')}`);
    // Not vacuous: every kind of fix the service has is among them.
    for (const kind of ['挿入', '対象外', '以降の番号を振り直す', '【推奨事項】を付けて採用を明記', 'adopted', '『』に置き換える']) assert.ok(titles.has(kind), `no ${kind} fix: ${[...titles].join(', ')}`);
  });
});

