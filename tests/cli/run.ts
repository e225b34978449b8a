/** Runs the BUNDLED `kijun` command (dist/cli.js) from the repository root and checks its one-line errors. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');
const cliJs = join(root, 'dist', 'cli.js');

export function kijun(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return kijunAs({}, ...args);
}

/** The same, as another user (`uid`/`gid`; only root may switch). */
export function kijunAs(user: { uid?: number; gid?: number }, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  if (!existsSync(cliJs)) throw new Error('dist/cli.js がありません。先に npm run build を実行してください');
  const r = spawnSync(process.execPath, [cliJs, ...args], { cwd: root, encoding: 'utf8', ...user });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit code 2, and the error is one `kijun: 日本語 / English` line matching `pattern`, without a stack trace. */
export function assertOneLineError(r: ReturnType<typeof kijun>, pattern: RegExp): string {
  assert.equal(r.code, 2, r.stderr);
  const errors = r.stderr.trimEnd().split('\n').filter((l) => l.startsWith('kijun: '));
  const error = errors.find((l) => pattern.test(l));
  assert.ok(error, `${pattern} in ${r.stderr}`);
  assert.match(error, / \/ /, 'Japanese / English');
  assert.doesNotMatch(r.stderr, /\n\s+at |Error:|node:internal/, 'no stack trace');
  return error;
}
