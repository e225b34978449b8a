// Which Markdown the server analyses, and how settings are validated: no LSP connection needed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActivation, declaresPolicy, matchesGlobs } from '../../server/src/lsp/activation';
import { applyRules, defaultConfig, validateSettings } from '../../server/src/lsp/settings';
import type { Logger } from '../../server/src/service/types';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message) => void lines.push(`${level} ${message}`) };
}

describe('activation', () => {
  it('recognises drafts that declare themselves in front matter', () => {
    const valid = [
      '---\nkijun:\n  kind: 対策基準\n---\n本文', // nested settings
      '---\npolicy: 基本方針\n---\n', // the alternative key
      '\uFEFF---\ntitle: x\nkijun: {}\n...\n', // BOM and YAML's "..." end marker
      '---\r\nkijun: {}\r\n---\r\n', // CRLF
    ];
    for (const text of valid) assert.equal(declaresPolicy(text), true, JSON.stringify(text));
    const invalid = [
      '# 見出し\n\nkijun: は本文', // no front matter
      '---\ntitle: x\n---\nkijun: {}\n', // the key is in the body, not the front matter
      '---\nmeta:\n  kijun: {}\n---\n', // not top level
      '---\nkijun: {}\n', // never closed
      '\n---\nkijun: {}\n---\n', // front matter must start the file
    ];
    for (const text of invalid) assert.equal(declaresPolicy(text), false, JSON.stringify(text));
  });

  it('matches globs against the folder-relative path inside a workspace folder', () => {
    const folders = ['file:///srv/policy/repo'];
    // The folder itself lives under policy/, which must not make every file in it a policy.
    assert.equal(matchesGlobs('file:///srv/policy/repo/notes.md', ['**/policy/**/*.md'], folders), false);
    assert.equal(matchesGlobs('file:///srv/policy/repo/policy/a.md', ['**/policy/**/*.md'], folders), true);
    assert.equal(matchesGlobs('file:///srv/policy/repo/drafts/%E5%AF%BE%E7%AD%96%E5%9F%BA%E6%BA%96.md', ['**/*対策基準*.md'], folders), true);
    assert.equal(matchesGlobs('file:///srv/policy/repo/drafts/x.md', ['drafts/*.md'], folders), true);
    assert.equal(matchesGlobs('file:///elsewhere/%E5%9F%BA%E6%9C%AC%E6%96%B9%E9%87%9D.md', ['**/*基本方針*.md'], folders), true);
    assert.equal(matchesGlobs('untitled:Untitled-1', ['**/*'], folders), false);
    assert.equal(matchesGlobs('file:///srv/policy/repo/a.md', [], folders), false);
  });

  it('enables a document on request and forgets it when closed', () => {
    const a = createActivation();
    const uri = 'file:///tmp/notes.md';
    assert.equal(a.isEnabled(uri, '# メモ', defaultConfig), false);
    a.enable(uri);
    assert.equal(a.isEnabled(uri, '# メモ', defaultConfig), true);
    assert.equal(a.isEnabled(uri, '# メモ', { ...defaultConfig, enable: false }), false);
    a.forget(uri);
    assert.equal(a.isEnabled(uri, '# メモ', defaultConfig), false);
  });
});

describe('settings validation', () => {
  it('uses defaults silently when nothing is set', () => {
    const log = recorder();
    assert.equal(validateSettings(undefined, log), defaultConfig);
    assert.equal(validateSettings(null, log), defaultConfig);
    assert.deepEqual(log.lines, []);
  });

  it('accepts well-formed settings', () => {
    const log = recorder();
    assert.deepEqual(validateSettings({ enable: false, activation: { globs: ['drafts/**/*.md'] } }, log), { ...defaultConfig, enable: false, activationGlobs: ['drafts/**/*.md'] });
    assert.deepEqual(
      validateSettings({ rules: { 'missing-item': 'error', 'numbering-gap': 'off' }, recommendedMarker: 'frontMatter', organisation: { name: 'みどり町' } }, log),
      { ...defaultConfig, rules: { 'missing-item': 'error', 'numbering-gap': 'off' }, recommendedMarker: 'frontMatter', selfReference: '本町' },
    );
    assert.equal(validateSettings({ organisation: { type: '区' } }, log).selfReference, '本区');
    assert.equal(validateSettings({ organisation: { name: '○○広域連合', selfReference: '本連合' } }, log).selfReference, '本連合');
    assert.equal(validateSettings({ organisation: { name: '北部情報化推進協議会' } }, log).selfReference, '本協議会');
    assert.equal(validateSettings({ organisation: { name: 'みどり町', type: '' } }, log).selfReference, '本町', 'the empty type of package.json is no type');
    assert.equal(validateSettings({ catalog: { path: ' catalogs/r6.json ' }, trace: { server: 'verbose' } }, log).catalogPath, 'catalogs/r6.json');
    assert.equal(validateSettings({ catalog: { path: '' } }, log).catalogPath, null);
    assert.deepEqual(log.lines, []);
  });

  it('applies kijun.rules and kijun.recommendedMarker to findings', () => {
    const finding = { code: 'missing-item', severity: 'warning' as const, message: '', range: { start: 0, end: 0 } };
    const config = validateSettings({ rules: { 'missing-item': 'error', 'weakened-obligation': 'off' }, recommendedMarker: 'off' }, recorder());
    assert.equal(applyRules(finding, config)?.severity, 'error');
    assert.equal(applyRules({ ...finding, code: 'weakened-obligation' }, config), null);
    assert.equal(applyRules({ ...finding, code: 'unmarked-recommendation' }, config), null);
    assert.deepEqual(applyRules({ ...finding, code: 'numbering-gap' }, config), { ...finding, code: 'numbering-gap' });
  });

  it('falls back field by field, with a warning for each malformed one', () => {
    const log = recorder();
    const table: [unknown, typeof defaultConfig][] = [
      ['garbage', defaultConfig],
      [[1, 2], defaultConfig],
      [{ enable: 'yes' }, defaultConfig],
      [{ activation: { globs: 'drafts/*.md' } }, defaultConfig],
      [{ activation: 'drafts' }, defaultConfig],
      [{ enable: false, activation: { globs: ['a.md', 3, ''] } }, { ...defaultConfig, enable: false, activationGlobs: ['a.md'] }],
      [{ rules: ['missing-item'] }, defaultConfig],
      [{ rules: { 'missing-item': 'loud', 'numbering-gap': 'hint' } }, { ...defaultConfig, rules: { 'numbering-gap': 'hint' } }],
      [{ recommendedMarker: 'bold' }, defaultConfig],
      [{ organisation: '本町' }, defaultConfig],
      [{ organisation: { name: 42, type: '町' } }, { ...defaultConfig, selfReference: '本町' }],
      [{ organisation: { type: '国', name: 'みどり村' } }, { ...defaultConfig, selfReference: '本村' }],
      [{ organisation: { selfReference: ['本区'] } }, defaultConfig],
      [{ catalog: { path: 5 } }, defaultConfig],
      [{ catalog: 'x.json' }, defaultConfig],
      [{ trace: { server: 'loud' } }, defaultConfig],
    ];
    for (const [raw, expected] of table) {
      const before = log.lines.length;
      assert.deepEqual(validateSettings(raw, log), expected, JSON.stringify(raw));
      assert.ok(log.lines.length > before && log.lines.slice(before).every((l) => l.startsWith('warn ')), JSON.stringify(raw));
    }
  });
});
