// `kijun roles`: the matrix as Markdown or JSON, and one-line usage errors (run from source through tsx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
function kijun(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server', 'src', 'cli', 'main.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const fixture = 'tests/fixtures/roles/conflicting-approvers/take-out.md';

test('kijun roles <file>: the Markdown matrix and the role findings', () => {
  const r = kijun('roles', fixture);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# 役割と承認の一覧/);
  assert.match(r.stdout, /\| 持ち出し \| 承認（2?\(３\)） \| 許可（2?\(１\)）<br>許可（2?\(２\)） \|/);
  assert.match(r.stdout, /take-out\.md:20:25 warning conflicting-approvers 『持ち出し』/);
});

test('kijun roles --format json: roles, relations, matrix and findings', () => {
  const r = kijun('roles', fixture, '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { roles: { name: string }[]; relations: unknown[]; matrix: { actions: unknown[] }; findings: { code: string }[] };
  assert.deepEqual(out.roles.map((x) => x.name), ['統括情報セキュリティ責任者', '情報セキュリティ管理者']);
  assert.equal(out.relations.length, 3);
  assert.deepEqual(out.findings.map((f) => f.code), ['conflicting-approvers']);
});

test('kijun roles: usage errors are one line', () => {
  const r = kijun('roles', fixture, '--format', 'csv');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^kijun: --format は md \/ json のいずれかです \/ --format must be one of md, json\n$/);
  assert.equal(kijun('roles').code, 2);
});
