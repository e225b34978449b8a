// package.json's contributions agree with the code: every setting the server validates is declared with both
// descriptions and the server's default, every command has both titles, and the setting that makes the
// server read a workspace file is restricted in untrusted workspaces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RESTART_COMMAND, RESTART_COMMAND_TITLE } from '../../client/src/restartPolicy';
import { defaultConfig } from '../../server/src/lsp/settings';
import { repoRoot } from '../helpers/corpus';

const read = (name: string) => JSON.parse(readFileSync(join(repoRoot, name), 'utf8')) as Record<string, unknown>;
const pkg = read('package.json') as {
  capabilities: { untrustedWorkspaces: { supported: unknown; description?: string; restrictedConfigurations?: string[] } };
  contributes: { commands: { command: string; title: string; category?: string }[]; configuration: { properties: Record<string, { default?: unknown; description?: string; markdownDescription?: string; scope?: string }> } };
};
const nls = { en: read('package.nls.json') as Record<string, string>, ja: read('package.nls.ja.json') as Record<string, string> };
const key = (s: string | undefined) => /^%(.+)%$/.exec(s ?? '')?.[1];

describe('package.json contributions', () => {
  const props = pkg.contributes.configuration.properties;

  it('declares every setting with an English and a Japanese description', () => {
    for (const [name, p] of Object.entries(props)) {
      const k = key(p.markdownDescription ?? p.description);
      assert.ok(k, `${name} has a localised description`);
      assert.ok(nls.en[k] && nls.ja[k], `${name}: ${k} in both package.nls files`);
    }
    for (const c of pkg.contributes.commands) {
      const k = key(c.title);
      assert.ok(k && nls.en[k] && nls.ja[k], `${c.command}: title in both package.nls files`);
    }
  });

  it('declares the server defaults', () => {
    assert.equal(props['kijun.enable']?.default, defaultConfig.enable);
    assert.deepEqual(props['kijun.activation.globs']?.default, defaultConfig.activationGlobs);
    assert.equal(props['kijun.recommendedMarker']?.default, defaultConfig.recommendedMarker);
    assert.equal(props['kijun.catalog.path']?.default, '');
    assert.equal(defaultConfig.catalogPath, null, 'an empty path is the bundled catalog');
  });

  it('declares kijun.catalog.path for the whole window and restricts it in untrusted workspaces', () => {
    assert.equal(props['kijun.catalog.path']?.scope, 'window');
    const trust = pkg.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.ok(trust.restrictedConfigurations?.includes('kijun.catalog.path'));
    const k = key(trust.description);
    assert.ok(k && nls.en[k] && nls.ja[k]);
  });

  it('contributes the restart command the restart policy tells the user about', () => {
    const restart = pkg.contributes.commands.find((c) => c.command === RESTART_COMMAND);
    assert.ok(restart);
    assert.equal(`${restart.category}: ${nls.ja[key(restart.title)!]}`, RESTART_COMMAND_TITLE);
  });
});
