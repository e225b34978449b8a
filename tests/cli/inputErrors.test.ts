// Input the CLI cannot use: each is one line on stderr and exit code 2, never a stack trace, and when one of
// several files fails the findings of the others are still printed (text, JSON and SARIF alike).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertOneLineError, kijun, kijunAs } from './run';

const scratch = mkdtempSync(join(tmpdir(), 'kijun-cli-input-'));
// Others may enter the folder, so that the unreadable file is refused for itself (see below).
chmodSync(scratch, 0o755);
const latin1 = join(scratch, 'latin1.md');
writeFileSync(latin1, Buffer.from('### 第1条 目的\n\n\xe9t\xe9\n', 'latin1'));
const unreadable = join(scratch, 'unreadable.md');
writeFileSync(unreadable, '### 第1条（目的）\n');
chmodSync(unreadable, 0o000);
const dangling = join(scratch, 'dangling.md');
symlinkSync(join(scratch, 'gone.md'), dangling);
mkdirSync(join(scratch, 'folder.md'));
// A short draft with a planted gap (第6条), so that each run is quick.
const sample = 'tests/fixtures/features/town-article-draft.md';
// root reads any file whatever its mode: as root, the CLI runs as nobody for that case.
const asUnprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

describe('kijun with input it cannot use', () => {
  it('a file it may not read, alone and among others', () => {
    assertOneLineError(kijunAs(asUnprivileged, 'check', unreadable), /unreadable\.md: 読み取る権限がありません/);
    assertOneLineError(kijunAs(asUnprivileged, 'outline', unreadable), /unreadable\.md: 読み取る権限がありません/);
    const mixed = kijunAs(asUnprivileged, 'check', unreadable, sample);
    assertOneLineError(mixed, /読み取る権限がありません/);
    assert.match(mixed.stdout, /numbering-gap/);
  });

  it('a missing file, a dangling link, a path through a file, a directory, invalid UTF-8', () => {
    assertOneLineError(kijun('check', 'nowhere/draft.md'), /nowhere\/draft\.md: ファイルがありません/);
    assertOneLineError(kijun('check', dangling), /dangling\.md: ファイルがありません/);
    assertOneLineError(kijun('check', `${sample}/x.md`), /town-article-draft\.md\/x\.md: ファイル/);
    assertOneLineError(kijun('check', join(scratch, 'folder.md')), /folder\.md: ディレクトリです/);
    assertOneLineError(kijun('check', latin1), /latin1\.md: UTF-8 のテキストではありません/);
    for (const command of ['outline', 'coverage', 'roles']) {
      assertOneLineError(kijun(command, latin1), /UTF-8/);
      assertOneLineError(kijun(command, join(scratch, 'folder.md')), /ディレクトリ/);
      assertOneLineError(kijun(command, 'nowhere/draft.md'), /ファイルがありません/);
    }
  });

  it('a glob the shell did not expand (no match) is a file that does not exist', () => {
    // Quoted, or in a shell without nullglob/failglob, `drafts/*.md` reaches kijun as it is.
    const r = kijun('check', 'drafts/*.md');
    assertOneLineError(r, /drafts\/\*\.md: ファイルがありません/);
    assert.equal(r.stdout, '');
  });

  it('bad options and arguments, for every command', () => {
    assertOneLineError(kijun('check', sample, '--format'), /invalid arguments/);
    assertOneLineError(kijun('check', sample, '--fail-on'), /invalid arguments/);
    assertOneLineError(kijun('check', '-x', sample), /invalid arguments/);
    assertOneLineError(kijun('check', '--format=sarif2', sample), /--format/);
    assertOneLineError(kijun('coverage', sample, '--format', 'pdf'), /--format/);
    assertOneLineError(kijun('coverage', sample, sample), /exactly one file/);
    assertOneLineError(kijun('coverage'), /exactly one file/);
    assertOneLineError(kijun('roles', sample, '--format', 'csv'), /--format/);
    assertOneLineError(kijun('roles', '--bogus', sample), /invalid arguments/);
    assertOneLineError(kijun('outline', sample, '--format', 'yaml'), /--format/);
    assertOneLineError(kijun('catalog', 'extra'), /unexpected argument/);
    assertOneLineError(kijun('catalog', '--limit', '0'), /--limit/);
    assertOneLineError(kijun('catalog', '--limit', '1.5'), /--limit/);
    assertOneLineError(kijun('--bogus'), /unknown command/);
  });

  it('still prints the findings of the other files when several fail, in every format, then exits 2', () => {
    const files = ['nowhere/draft.md', latin1, sample, join(scratch, 'folder.md'), dangling];
    const text = kijun('check', ...files);
    for (const words of [/nowhere\/draft\.md: ファイルがありません/, /latin1\.md: UTF-8/, /folder\.md: ディレクトリ/, /dangling\.md: ファイルがありません/]) assertOneLineError(text, words);
    assert.match(text.stdout, /^tests\/fixtures\/features\/town-article-draft\.md:38:5 warning numbering-gap 第6条がありません/m);
    assert.match(text.stderr, /1 ファイルを検査/, 'the summary counts the file that was checked');

    const json = kijun('check', '--format', 'json', ...files);
    assert.equal(json.code, 2);
    const findings = JSON.parse(json.stdout) as { file: string; code: string }[];
    assert.ok(findings.some((f) => f.code === 'numbering-gap'));
    assert.ok(findings.every((f) => f.file === sample), 'only the readable file has findings');

    const sarif = kijun('check', '--format', 'sarif', ...files);
    assert.equal(sarif.code, 2);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] };
    assert.ok(log.runs[0]!.results.some((r) => r.ruleId === 'numbering-gap'));
  });

  it('exits 2 rather than 1 when a file fails, even if the others have findings at --fail-on', () => {
    const r = kijun('check', '--fail-on', 'warning', sample, 'nowhere/draft.md');
    assert.equal(r.code, 2);
    assert.match(r.stdout, /numbering-gap/);
  });
});
