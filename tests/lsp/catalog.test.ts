// kijun.catalog.path over the protocol, against the BUNDLED server: a catalog file inside the workspace folder
// replaces the bundled one (findings name its items), a refused file (outside the workspace, too big, not
// JSON, not a catalog) is logged and shown on screen and the bundled catalog stays in use.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadCatalog } from '../../server/src/service/catalog';
import { changeSettings, msg, open, pull, readyServer, root, stopServer, waitFor, type Harness } from './harness';

const base = mkdtempSync(join(tmpdir(), 'kijun-lsp-catalog-'));
const folder = join(base, 'workspace');
mkdirSync(join(folder, 'catalogs'), { recursive: true });
mkdirSync(join(base, 'outside'), { recursive: true });

// The sample lacks 5.4(3)③; the test edition gives that item a title, so the finding shows which catalog is used.
const missingId = '5.4(3)③';
const bundled = loadCatalog();
const edition = {
  ...bundled,
  guideline: { title: bundled.guideline.title, edition: '令和7年3月版（試験用）' },
  items: bundled.items.map((item) => (item.id === missingId ? { ...item, title: '試験用の改訂項目' } : item)),
};
writeFileSync(join(folder, 'catalogs', 'r7.json'), JSON.stringify(edition));
writeFileSync(join(base, 'outside', 'r7.json'), JSON.stringify(edition));
symlinkSync(join(base, 'outside', 'r7.json'), join(folder, 'catalogs', 'link.json'));
writeFileSync(join(folder, 'catalogs', 'broken.json'), JSON.stringify({ ...edition, terms: [{ term: '', definition: '', itemId: null, sourceLine: 1 }] }));
const sentinel = join(base, 'evaluated');
writeFileSync(join(folder, 'catalogs', 'code.js'), `require('fs').writeFileSync(${JSON.stringify(sentinel)}, 'x'); module.exports = ${JSON.stringify(edition)}`);
writeFileSync(join(folder, 'catalogs', 'huge.json'), Buffer.alloc(5 * 1024 * 1024 + 10, 0x20));

const samplePath = join(root, 'examples', 'sample-policy.md');
const uri = pathToFileURL(join(folder, 'sample-policy.md')).href;

describe('kijun.catalog.path over the protocol', () => {
  let h: Harness;

  before(async () => {
    ({ h } = await readyServer(folder));
    open(h, uri, readFileSync(samplePath, 'utf8'));
  });

  after(async () => {
    await stopServer(h);
  });

  const missingMessage = async () => {
    const report = await pull(h, uri);
    const missing = report.items.find((d) => d.code === 'missing-item' && msg(d).includes(missingId));
    assert.ok(missing, JSON.stringify(report.items.map(msg)));
    return msg(missing);
  };

  /** Pulls until the findings name the test edition's title (`custom`) or not; the catalog changes after the settings. */
  async function untilCatalog(custom: boolean): Promise<void> {
    const until = Date.now() + 10_000;
    while (/試験用の改訂項目/.test(await missingMessage()) !== custom) {
      if (Date.now() > until) throw new Error(`timed out waiting for the ${custom ? 'test' : 'bundled'} catalog`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sets kijun.catalog.path; for a refused file, returns the error shown on screen. */
  async function setCatalog(path: string | null, expect: 'used' | 'refused' | 'bundled'): Promise<{ type: number; message: string } | undefined> {
    const shown = h.shown.length;
    await changeSettings(h, path === null ? null : { catalog: { path } });
    if (expect === 'refused') {
      await waitFor('the refusal on screen', () => h.shown.length > shown);
      return h.shown.slice(shown).find((m) => m.type === 1);
    }
    await untilCatalog(expect === 'used');
    return undefined;
  }

  it('uses the bundled catalog by default', async () => {
    assert.doesNotMatch(await missingMessage(), /試験用の改訂項目/);
  });

  it('uses a valid catalog file inside the workspace folder, and says so', async () => {
    await setCatalog('catalogs/r7.json', 'used');
    assert.match(await missingMessage(), /5\.4\(3\)③「試験用の改訂項目」/);
    const explained = await h.conn.sendRequest<{ details: string[] }>('kijun/explain', { uri });
    assert.ok(explained.details.some((d) => d.includes('r7.json') && d.includes('令和7年3月版（試験用）')), JSON.stringify(explained.details));
    assert.ok(h.logs.some((l) => l.type === 3 && l.message.includes('r7.json') && l.message.includes('553 項目')), 'logged with the item count');
  });

  const refusals: [string, string, RegExp][] = [
    ['outside the workspace (..)', '../outside/r7.json', /ワークスペースのフォルダーの外/],
    ['outside the workspace (absolute)', join(base, 'outside', 'r7.json'), /ワークスペースのフォルダーの外/],
    ['a symbolic link out of the workspace', 'catalogs/link.json', /ワークスペースのフォルダーの外/],
    ['not a catalog (schema)', 'catalogs/broken.json', /カタログの \$\.terms\[0\]\.term が空です/],
    ['JavaScript, not JSON', 'catalogs/code.js', /JSON として読めません/],
    ['larger than 5 MB', 'catalogs/huge.json', /大きすぎます/],
    ['missing', 'catalogs/none.json', /ファイルがありません/],
  ];
  for (const [n, [name, path, words]] of refusals.entries()) {
    it(`refuses a catalog file ${name}: an error on screen and in the log, the bundled catalog in use`, async () => {
      // The first refusal comes while the test edition is in use, so that going back to the bundled one is
      // visible; the others find the bundled catalog in use and must leave it so (a switch costs an index build).
      if (n === 0) assert.match(await missingMessage(), /試験用の改訂項目/);
      const shownError = await setCatalog(path, 'refused');
      assert.ok(shownError, 'an error message on screen');
      assert.match(shownError.message, words);
      assert.match(shownError.message, /^Kijun: .*（同梱のカタログを使います）$/);
      assert.doesNotMatch(shownError.message, /\n/);
      assert.ok(h.logs.some((l) => l.type === 1 && words.test(l.message)));
      await untilCatalog(false);
      assert.equal(h.proc.exitCode, null);
    });
  }

  it('never evaluated the JavaScript file', () => {
    assert.equal(existsSync(sentinel), false);
  });

  it('goes back to the bundled catalog when the setting is cleared', async () => {
    await setCatalog('catalogs/r7.json', 'used');
    const logs = h.logs.length;
    await setCatalog(null, 'bundled');
    assert.ok(h.logs.slice(logs).some((l) => l.message === '同梱のカタログを使います'));
  });
});
