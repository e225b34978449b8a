/**
 * Which Markdown documents Kijun analyses: those that declare themselves policies in their front matter
 * (`kijun:` or `policy:`), those matching `kijun.activation.globs`, and those the user asked for with
 * 「Kijunで検査」. Everything else gets empty answers, so ordinary Markdown never shows Kijun diagnostics.
 */
import { minimatch } from 'minimatch';
import { fileURLToPath } from 'node:url';
import type { PolicyConfig } from './settings';

// Only the opening YAML block counts; a top-level (unindented) key is enough, its value is the parser's business.
const frontMatter = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)^(?:---|\.\.\.)[ \t]*$/m;
const policyKey = /^(?:kijun|policy)[ \t]*:/m;

export function declaresPolicy(text: string): boolean {
  if (!text.startsWith('---') && !text.startsWith('\uFEFF---')) return false;
  const m = frontMatter.exec(text.slice(0, 8192));
  return m !== null && m.index === 0 && policyKey.test(m[1]!);
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri).replace(/\\/g, '/');
  } catch {
    return undefined;
  }
}

/**
 * Inside a workspace folder a glob matches the folder-relative path, as VS Code's own glob settings do,
 * so that where the folder happens to live (e.g. under /srv/policy/) does not matter; outside, the absolute path.
 */
export function matchesGlobs(uri: string, globs: readonly string[], workspaceFolders: readonly string[]): boolean {
  const path = filePath(uri);
  if (!path || globs.length === 0) return false;
  let candidate = path;
  for (const folderUri of workspaceFolders) {
    const folder = filePath(folderUri)?.replace(/\/$/, '');
    if (folder && path.startsWith(`${folder}/`)) {
      candidate = path.slice(folder.length + 1);
      break;
    }
  }
  return globs.some((g) => minimatch(candidate, g, { dot: true, nocase: process.platform === 'win32' }));
}

export type ActivationReason = 'disabled' | 'command' | 'front-matter' | 'glob' | 'not-a-policy';

export interface Activation {
  isEnabled(uri: string, text: string, config: PolicyConfig): boolean;
  /** Why a document is analysed or not, for 「診断が出ない理由を表示」. */
  reason(uri: string, text: string, config: PolicyConfig): ActivationReason;
  /** 「Kijunで検査」: analyse this document from now on, whatever it looks like. */
  enable(uri: string): void;
  forget(uri: string): void;
  setWorkspaceFolders(uris: readonly string[]): void;
}

export function createActivation(): Activation {
  const explicit = new Set<string>();
  let folders: readonly string[] = [];
  return {
    isEnabled: (uri, text, config) =>
      config.enable && (explicit.has(uri) || declaresPolicy(text) || matchesGlobs(uri, config.activationGlobs, folders)),
    reason: (uri, text, config) => {
      if (!config.enable) return 'disabled';
      if (explicit.has(uri)) return 'command';
      if (declaresPolicy(text)) return 'front-matter';
      if (matchesGlobs(uri, config.activationGlobs, folders)) return 'glob';
      return 'not-a-policy';
    },
    enable: (uri) => void explicit.add(uri),
    forget: (uri) => void explicit.delete(uri),
    setWorkspaceFolders: (uris) => void (folders = uris),
  };
}
