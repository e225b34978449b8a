// The bundled `kijun` command: exit codes, output shapes, and one-line errors without stack traces.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');
const cliJs = join(root, 'dist', 'cli.js');
const sample = 'examples/sample-policy.md';

function kijun(...args: string[]) {
  if (!existsSync(cliJs)) throw new Error('dist/cli.js がありません。先に npm run build を実行してください');
  const r = spawnSync(process.execPath, [cliJs, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(r: ReturnType<typeof kijun>, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  const error = lines.find((l) => l.startsWith('kijun: '));
  assert.ok(error, r.stderr);
  assert.match(error, pattern);
  assert.match(error, / \/ /, 'Japanese / English');
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

const scratch = mkdtempSync(join(tmpdir(), 'kijun-cli-'));
const binary = join(scratch, 'binary.md');
writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]));

describe('kijun CLI', () => {
  it('prints its version and help', () => {
    const version = kijun('--version');
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    for (const command of [[], ['check'], ['outline'], ['catalog']]) {
      const r = kijun(...command, '--help');
      assert.equal(r.code, 0, command.join(' '));
      assert.match(r.stdout, /usage: kijun/);
    }
  });

  it('checks a draft: text format, exit 0 below --fail-on, 1 at or above it', () => {
    const r = kijun('check', sample);
    assert.equal(r.code, 0, r.stderr);
    // The defects planted in the sample (see its header comment).
    assert.match(r.stdout, /^examples\/sample-policy\.md:382:1 warning numbering-gap 第40条がありません（第39条の次が第41条です）$/m);
    assert.match(r.stdout, /^examples\/sample-policy\.md:\d+:\d+ warning unresolved-reference 第200条がありません/m);
    assert.match(r.stdout, /^examples\/sample-policy\.md:\d+:\d+ warning missing-item ガイドライン 5\.4\(3\)③ /m);
    assert.match(r.stdout, /^examples\/sample-policy\.md:\d+:\d+ warning unmarked-recommendation .*4\.4③/m);
    assert.match(r.stdout, /^examples\/sample-policy\.md:\d+:\d+ warning weakened-obligation ガイドライン 6\.4\(3\)④ /m);
    assert.match(r.stdout, /^examples\/sample-policy\.md:\d+:\d+ warning undefined-role 『総括情報セキュリティ責任者』は任命・定義されていません（『統括情報セキュリティ責任者』の誤り/m);
    assert.match(r.stdout, /^examples\/sample-policy\.md:\d+:\d+ warning undefined-role 『情報セキュリティ監査統括責任者』/m);
    assert.equal((r.stdout.match(/ warning /g) ?? []).length, 7, 'nothing but the planted defects');
    assert.equal(kijun('check', sample, '--fail-on', 'warning').code, 1);
    assert.equal(kijun('check', sample, '--fail-on', 'none').code, 0);
    assert.equal(kijun('check', sample, '--fail-on', 'error').code, 0);
  });

  it('prints findings as JSON', () => {
    const r = kijun('check', sample, '--format', 'json');
    assert.equal(r.code, 0);
    const findings = JSON.parse(r.stdout) as { file: string; range: { start: { line: number; character: number } }; severity: string; code: string; message: string }[];
    const gap = findings.find((f) => f.code === 'numbering-gap' && f.message.includes('第40条'));
    assert.ok(gap);
    assert.deepEqual({ file: gap.file, start: gap.range.start, severity: gap.severity }, { file: sample, start: { line: 381, character: 0 }, severity: 'warning' });
    const missing = findings.find((f) => f.code === 'missing-item') as { guidelineId?: string } | undefined;
    assert.equal(missing?.guidelineId, '5.4(3)③', 'alignment findings carry the guideline id');
  });

  it('prints SARIF 2.1.0 with rules, results and 1-based regions', () => {
    const r = kijun('check', sample, '--format', 'sarif');
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'kijun');
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ruleIds.includes('numbering-gap'));
    const gap = run.results.find((x: { ruleId: string; message: { text: string } }) => x.ruleId === 'numbering-gap' && x.message.text.includes('第40条'));
    assert.equal(ruleIds[gap.ruleIndex], 'numbering-gap');
    assert.equal(gap.level, 'warning');
    const loc = gap.locations[0].physicalLocation;
    assert.deepEqual(loc.artifactLocation, { uri: sample, uriBaseId: 'SRCROOT' });
    assert.equal(loc.region.startLine, 382);
    assert.equal(loc.region.startColumn, 1);
  });

  it('still prints the findings of good files when another file is unreadable, then exits 2', () => {
    const r = kijun('check', 'does-not-exist.md', sample);
    assertOneLineError(r, /does-not-exist\.md: ファイルがありません/);
    assert.match(r.stdout, /numbering-gap/);
  });

  it('rejects directories, invalid UTF-8, no files and bad options with one line', () => {
    assertOneLineError(kijun('check', 'examples'), /ディレクトリ/);
    assertOneLineError(kijun('check', binary), /UTF-8/);
    assertOneLineError(kijun('check'), /ファイルを指定/);
    assertOneLineError(kijun('check', '--format', 'xml', sample), /--format/);
    assertOneLineError(kijun('check', '--fail-on', 'fatal', sample), /--fail-on/);
    assertOneLineError(kijun('check', '--bogus', sample), /invalid arguments/);
    assertOneLineError(kijun('frobnicate'), /unknown command/);
    assertOneLineError(kijun(), /no command/);
    assertOneLineError(kijun('outline'), /exactly one file/);
    assertOneLineError(kijun('outline', binary), /UTF-8/);
    assertOneLineError(kijun('catalog', '--limit', 'many'), /--limit/);
    assertOneLineError(kijun('catalog', '--search', ' '), /--search/);
  });

  it('prints an outline', () => {
    const text = kijun('outline', sample);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /第1条/);
    const json = kijun('outline', sample, '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    assert.doesNotThrow(() => JSON.parse(json.stdout));
  });

  it('prints the catalog and searches it', () => {
    const json = kijun('catalog', '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    const catalog = JSON.parse(json.stdout);
    assert.ok(catalog.guideline.title);
    for (const key of ['items', 'roles', 'terms']) assert.ok(Array.isArray(catalog[key]), key);
    assert.ok(catalog.items.length > 0);
    assert.equal(kijun('catalog').code, 0);
    const search = kijun('catalog', '--search', '最高情報セキュリティ責任者', '--limit', '3', '--format', 'json');
    assert.equal(search.code, 0, search.stderr);
    const results = JSON.parse(search.stdout).results as { score: number }[];
    assert.ok(results.length >= 1 && results.length <= 3);
  });
});
