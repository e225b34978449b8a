// `--catalog <file>`: a guideline catalog JSON instead of the bundled one, for the commands that use the catalog
// (check, coverage, roles, catalog).
// A file that cannot be used is one line naming it and its first problem, exit code 2, and nothing else is printed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertOneLineError, kijun, root } from './run';

const scratch = mkdtempSync(join(tmpdir(), 'kijun-cli-catalog-'));
const bundled = JSON.parse(readFileSync(join(root, 'server', 'src', 'service', 'catalog', 'catalog.json'), 'utf8')) as {
  guideline: { title: string; edition: string };
  items: { id: string; title: string | null; level: string }[];
};
// Another edition: a new edition name and another title for 1(2), which the town draft leaves out.
const edition = { ...bundled, guideline: { ...bundled.guideline, edition: '令和7年3月版（試験用）' }, items: bundled.items.map((i) => (i.id === '1(2)' ? { ...i, title: '試験用の改訂項目' } : i)) };
const good = join(scratch, 'r7.json');
writeFileSync(good, JSON.stringify(edition));
const broken = join(scratch, 'broken.json');
writeFileSync(broken, JSON.stringify({ ...edition, items: edition.items.map((i, n) => (n === 7 ? { ...i, level: 'chapter' } : i)) }));
const code = join(scratch, 'code.json');
const sentinel = join(scratch, 'evaluated');
writeFileSync(code, `require('fs').writeFileSync(${JSON.stringify(sentinel)}, 'x')`);
const huge = join(scratch, 'huge.json');
writeFileSync(huge, Buffer.alloc(5 * 1024 * 1024 + 1, 0x20));
// A short draft (a 対策基準 of みどり町 without most of chapter 1), so that each run is quick.
const sample = 'tests/fixtures/features/town-article-draft.md';

describe('kijun --catalog', () => {
  it('catalog: prints the given catalog (and so checks that it can be used)', () => {
    const r = kijun('catalog', '--catalog', good, '--format', 'json', '--limit', '1');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).guideline.edition, '令和7年3月版（試験用）');
    const text = kijun('catalog', '--catalog', good, '--search', 'パスワード', '--limit', '20');
    assert.equal(text.code, 0, text.stderr);
    assert.match(kijun('catalog', '--catalog', good).stdout, /^地方公共団体における情報セキュリティポリシーに関するガイドライン（令和7年3月版（試験用））: 553 項目/);
  });

  it('check uses it: findings name the items of the given catalog, SARIF names its edition', () => {
    const text = kijun('check', sample, '--catalog', good);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^tests\/fixtures\/features\/town-article-draft\.md:\d+:\d+ warning missing-item ガイドライン 1\(2\)「試験用の改訂項目」/m);
    assert.doesNotMatch(kijun('check', sample).stdout, /試験用の改訂項目/, 'the bundled catalog otherwise');
    const sarif = JSON.parse(kijun('check', sample, '--catalog', good, '--format', 'sarif').stdout) as { runs: { properties: { guideline: string } }[] };
    assert.match(sarif.runs[0]!.properties.guideline, /令和7年3月版（試験用）/);
  });

  it('coverage and roles use it', () => {
    const r = kijun('coverage', sample, '--catalog', good, '--format', 'md');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /試験用の改訂項目/);
    assert.doesNotMatch(kijun('coverage', sample, '--format', 'md').stdout, /試験用の改訂項目/, 'the bundled catalog otherwise');
    assert.equal(kijun('roles', sample, '--catalog', good, '--format', 'json').code, 0);
  });

  it('refuses a catalog it cannot use with one line, exit code 2 and no output', () => {
    const table: [string, RegExp][] = [
      [join(scratch, 'none.json'), /none\.json: カタログのファイルがありません/],
      [scratch, /ディレクトリです/],
      [broken, /broken\.json: カタログの \$\.items\[7\]\.level は part \/ section/],
      [code, /code\.json: JSON として読めません/],
      [huge, /huge\.json: カタログが大きすぎます/],
    ];
    for (const [file, words] of table) {
      for (const command of [['check', sample], ['catalog'], ['coverage', sample], ['roles', sample]]) {
        const r = kijun(...command, '--catalog', file);
        assertOneLineError(r, words);
        assert.equal(r.stdout, '', `${command[0]} printed nothing`);
      }
    }
    assert.equal(existsSync(sentinel), false, 'the JavaScript was never evaluated');
    assertOneLineError(kijun('catalog', '--catalog'), /invalid arguments/);
    assertOneLineError(kijun('catalog', '--catalog', ' '), /--catalog/);
  });

  it('is not an option of outline, which needs no catalog', () => {
    assertOneLineError(kijun('outline', sample, '--catalog', good), /invalid arguments/);
  });
});
