// `kijun check` with a damaged dictionary: the load fails naming the file, and the check reports what it
// reports without a dictionary (structure findings only), although the alignment index was built from
// the precomputed catalog features while the dictionary was loading.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');
const dist = join(root, 'dist');
const built = existsSync(join(dist, 'cli.js')) && existsSync(join(dist, 'dict', 'manifest.json'));

test('a damaged dictionary: its file named, structure findings only, as without a dictionary', { skip: !built && 'reason: dist/ is not built (npm run build)' }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kijun-cli-dict-'));
  try {
    const damaged = join(scratch, 'damaged');
    const none = join(scratch, 'none');
    for (const dir of [damaged, none]) {
      mkdirSync(join(dir, 'dict'), { recursive: true });
      copyFileSync(join(dist, 'cli.js'), join(dir, 'cli.js'));
    }
    // The damaged copy: every file as built but tid_pos.dat, one byte of which is altered.
    for (const name of readdirSync(join(dist, 'dict'))) {
      if (name !== 'tid_pos.dat') symlinkSync(join(dist, 'dict', name), join(damaged, 'dict', name));
    }
    const tidPos = readFileSync(join(dist, 'dict', 'tid_pos.dat'));
    tidPos[tidPos.length >> 1]! ^= 0x40;
    writeFileSync(join(damaged, 'dict', 'tid_pos.dat'), tidPos);
    const check = (dir: string) => spawnSync(process.execPath, [join(dir, 'cli.js'), 'check', 'examples/sample-policy.md', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    const withDamaged = check(damaged);
    const withNone = check(none);
    assert.match(withDamaged.stderr, /tid_pos\.dat does not match its CRC-32 in manifest\.json/);
    assert.match(withDamaged.stderr, /構成の検査のみ/);
    assert.match(withNone.stderr, /構成の検査のみ/);
    assert.equal(withDamaged.status, withNone.status);
    assert.deepEqual(JSON.parse(withDamaged.stdout), JSON.parse(withNone.stdout));
    assert.ok(!/internal-error/.test(withDamaged.stdout), withDamaged.stdout);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
