// `kijun coverage`: the 対応表 of a draft from the bundled CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');
const cliJs = join(root, 'dist', 'cli.js');

function kijun(...args: string[]) {
  if (!existsSync(cliJs)) throw new Error('dist/cli.js がありません。先に npm run build を実行してください');
  const r = spawnSync(process.execPath, [cliJs, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('kijun coverage --format json gives every item its status and the draft clauses that cover it', () => {
  const r = kijun('coverage', 'examples/sample-policy.md', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    file: string;
    kind: string;
    items: { id: string; status: string; recommended: boolean; adopted?: boolean; matches: { range: { start: { line: number; character: number } }; score: number }[] }[];
    summary: { total: number; covered: number; missing: number; recommendedTotal: number };
  };
  assert.equal(report.file, 'examples/sample-policy.md');
  assert.equal(report.kind, 'standards');
  const byId = new Map(report.items.map((i) => [i.id, i]));
  // The sample leaves out the password-length clause on purpose (see its header comment).
  assert.equal(byId.get('5.4(3)③')!.status, 'missing');
  assert.equal(report.summary.missing, 1);
  const bios = byId.get('4.4③')!;
  assert.deepEqual([bios.status, bios.recommended, bios.adopted], ['covered', true, false]);
  assert.ok(bios.matches[0]!.range.start.line > 0 && bios.matches[0]!.score > 0.6);
  assert.equal(report.summary.recommendedTotal, 17);
});

test('kijun coverage --format csv and md are tables a committee can open', () => {
  const csv = kijun('coverage', 'examples/sample-policy.md', '--format', 'csv');
  assert.equal(csv.code, 0, csv.stderr);
  assert.ok(csv.stdout.startsWith('\uFEFF項目,節,節の見出し,内容,区分,状態,対応箇所,一致度,理由\r\n'));
  assert.match(csv.stdout, /\r\n5\.4\(3\)③,5\.4,[^\r\n]*,必須,未対応,/);
  const md = kijun('coverage', 'examples/sample-policy.md', '--format', 'md');
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /^# 対応表: examples\/sample-policy\.md\n/);
  assert.match(md.stdout, /\n\| 5\.4\(3\)③ \| [^|]+ \| 必須 \| 未対応 \|/);
});

test('kijun coverage rejects bad usage with one line and exit code 2', () => {
  for (const args of [['coverage'], ['coverage', 'examples/sample-policy.md', '--format', 'xml'], ['coverage', 'no-such-file.md']]) {
    const r = kijun(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^kijun: .* \/ /);
  }
  assert.equal(kijun('coverage', '--help').code, 0);
});
