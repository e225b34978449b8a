// Reading a user-supplied catalog (server/src/workspace/catalog.ts): only inside the workspace folder, at most
// 5 MB, JSON data that is never evaluated, checked by the validator; every refusal keeps the bundled catalog.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadCatalog } from '../../server/src/service/catalog';
import { CatalogSource, MAX_CATALOG_BYTES, readCatalogFile, resolveInWorkspace } from '../../server/src/workspace/catalog';

const base = mkdtempSync(join(tmpdir(), 'kijun-catalog-'));
const folder = join(base, 'workspace');
const outside = join(base, 'outside');
mkdirSync(join(folder, 'catalogs'), { recursive: true });
mkdirSync(outside, { recursive: true });
const folderUri = pathToFileURL(folder).href;

const edition = { ...loadCatalog(), guideline: { title: loadCatalog().guideline.title, edition: '令和7年3月版（試験用）' } };
writeFileSync(join(folder, 'catalogs', 'r7.json'), JSON.stringify(edition));
writeFileSync(join(outside, 'r7.json'), JSON.stringify(edition));
symlinkSync(join(outside, 'r7.json'), join(folder, 'catalogs', 'link.json'));
const sentinel = join(base, 'evaluated');
// JavaScript that would leave a file behind if anything evaluated it.
writeFileSync(join(folder, 'catalogs', 'code.json'), `require('fs').writeFileSync(${JSON.stringify(sentinel)}, 'x'); module.exports = {}`);
writeFileSync(join(folder, 'catalogs', 'broken.json'), JSON.stringify({ ...edition, items: edition.items.map((x, i) => (i === 2 ? { ...x, level: 'chapter' } : x)) }));
writeFileSync(join(folder, 'catalogs', 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
writeFileSync(join(folder, 'catalogs', 'bom.json'), `\uFEFF${JSON.stringify(edition)}`);
writeFileSync(join(folder, 'catalogs', 'huge.json'), Buffer.alloc(MAX_CATALOG_BYTES + 1, 0x20));

describe('user-supplied catalog file', () => {
  it('resolves relative paths from the workspace folder and accepts absolute paths inside it', async () => {
    assert.deepEqual(await resolveInWorkspace('catalogs/r7.json', [folderUri]), { file: join(folder, 'catalogs', 'r7.json') });
    assert.deepEqual(await resolveInWorkspace(join(folder, 'catalogs', 'r7.json'), [folderUri]), { file: join(folder, 'catalogs', 'r7.json') });
    assert.deepEqual(await resolveInWorkspace('catalogs/../catalogs/r7.json', [folderUri]), { file: join(folder, 'catalogs', 'r7.json') });
    // A second folder of a multi-root workspace counts too.
    assert.deepEqual(await resolveInWorkspace(join(outside, 'r7.json'), [folderUri, pathToFileURL(outside).href]), { file: join(outside, 'r7.json') });
  });

  it('refuses paths outside the workspace: absolute, .. escapes, symbolic links, the folder itself, no folder', async () => {
    for (const setting of [join(outside, 'r7.json'), '../outside/r7.json', 'catalogs/../../outside/r7.json', '/etc/passwd', 'catalogs/link.json', '.', '']) {
      const r = await resolveInWorkspace(setting, [folderUri]);
      assert.ok('error' in r, `${setting} → ${JSON.stringify(r)}`);
      assert.match(r.error, /ワークスペースのフォルダーの外/);
    }
    const none = await resolveInWorkspace('catalogs/r7.json', []);
    assert.ok('error' in none && /フォルダーを開いてください/.test(none.error));
    const remote = await resolveInWorkspace('catalogs/r7.json', ['vscode-vfs://github/x/y']);
    assert.ok('error' in remote);
  });

  it('reads a valid catalog, with or without a BOM', async () => {
    for (const name of ['r7.json', 'bom.json']) {
      const r = await readCatalogFile(join(folder, 'catalogs', name));
      assert.ok(r.ok, JSON.stringify(r));
      if (r.ok) assert.equal(r.catalog.guideline.edition, '令和7年3月版（試験用）');
    }
  });

  it('refuses what is not a catalog, with the file and the first problem in one Japanese sentence', async () => {
    const table: [string, RegExp][] = [
      ['missing.json', /カタログのファイルがありません/],
      ['.', /ディレクトリです/],
      ['huge.json', /大きすぎます（5\.0 MB、上限 5 MB）/],
      ['latin1.json', /UTF-8 のテキストではありません/],
      ['code.json', /JSON として読めません/],
      ['broken.json', /カタログの \$\.items\[2\]\.level は part \/ section/],
    ];
    for (const [name, words] of table) {
      const file = join(folder, 'catalogs', name);
      const r = await readCatalogFile(file);
      assert.equal(r.ok, false, name);
      if (!r.ok) {
        assert.ok(r.error.startsWith(`${file}: `), r.error);
        assert.match(r.error, words);
        assert.doesNotMatch(r.error, /\n/);
      }
    }
    assert.equal(existsSync(sentinel), false, 'the JavaScript in code.json was never evaluated');
  });

  it('CatalogSource: uses a valid file, keeps the bundled catalog on any refusal, and goes back when the setting is cleared', async () => {
    const source = new CatalogSource();
    const bundled = source.current();
    assert.equal(bundled, loadCatalog());
    assert.deepEqual(await source.apply(null, [folderUri]), { changed: false, message: '同梱のカタログを使います' });

    const used = await source.apply('catalogs/r7.json', [folderUri]);
    assert.equal(used.changed, true);
    assert.match(used.message ?? '', /令和7年3月版（試験用）/);
    assert.equal(source.current().guideline.edition, '令和7年3月版（試験用）');
    assert.equal(source.file, join(folder, 'catalogs', 'r7.json'));
    assert.deepEqual(await source.apply('catalogs/r7.json', [folderUri]), { changed: false }, 'the same file is not read again');

    const refused = await source.apply('catalogs/broken.json', [folderUri]);
    assert.equal(refused.changed, true, 'back to the bundled catalog');
    assert.match(refused.error ?? '', /\$\.items\[2\]\.level/);
    assert.equal(source.current(), bundled);
    assert.equal(source.file, null);

    const escaped = await source.apply('../outside/r7.json', [folderUri]);
    assert.equal(escaped.changed, false);
    assert.match(escaped.error ?? '', /外/);
    assert.equal(source.current(), bundled);

    await source.apply('catalogs/r7.json', [folderUri]);
    assert.deepEqual(await source.apply(null, [folderUri]), { changed: true, message: '同梱のカタログを使います' });
    assert.equal(source.current(), bundled);
  });
});
