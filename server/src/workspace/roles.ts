/**
 * Role definitions from the other policy files beside a document (used by the LSP server and the CLI) (a 基本方針 or 組織規程 next to the
 * 対策基準 that uses its roles). The service is pure, so this adapter reads the files, asks the service
 * for their definitions, and hands them back by uri; it keeps each file's LineIndex so that a definition
 * in another file converts to a position in that file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PolicyService, RoleDefinition } from '../service';
import { LineIndex } from '../service/text/lineIndex';
import type { Logger } from '../service/types';

/** A folder of policies holds a handful of files; more is not a policy folder and is not read. */
const MAX_FILES = 20;
const MAX_BYTES = 2 * 1024 * 1024;
/** A file mentions an organisation (or declares itself) before its definitions are worth reading. */
const LOOKS_LIKE_POLICY = /^---[\s\S]*?\n(?:kijun|policy):|組織|任命|置く|とする/u;

interface FileEntry {
  readonly mtimeMs: number;
  readonly definitions: readonly RoleDefinition[];
  readonly lineIndex: LineIndex;
}

export interface WorkspaceRoles {
  /** Reads (or re-reads changed) sibling files of `uri`; resolves when their definitions are known. */
  refresh(uri: string, service: PolicyService): Promise<void>;
  /** The definitions of the siblings of `uri` last read, each with its `uri`. */
  definitionsFor(uri: string): readonly RoleDefinition[];
  /** The LineIndex of a sibling file read for definitions. */
  lineIndexOf(uri: string): LineIndex | undefined;
}

export function createWorkspaceRoles(logger: Logger): WorkspaceRoles {
  const files = new Map<string, FileEntry>();
  const siblings = new Map<string, string[]>();

  async function readSibling(file: string, service: PolicyService): Promise<void> {
    const uri = pathToFileURL(file).href;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile() || stat.size > MAX_BYTES) return;
      const cached = files.get(uri);
      if (cached && cached.mtimeMs === stat.mtimeMs) return;
      const text = await fs.readFile(file, 'utf8');
      if (!LOOKS_LIKE_POLICY.test(text)) {
        files.set(uri, { mtimeMs: stat.mtimeMs, definitions: [], lineIndex: new LineIndex('') });
        return;
      }
      // A separate cache key: the same file may be open in the editor at another version.
      const doc = { uri: `${uri}#workspace`, version: stat.mtimeMs, getText: () => text };
      const definitions = service.getRoleDefinitions(doc).map((d) => ({ ...d, uri }));
      service.forget(doc.uri);
      files.set(uri, { mtimeMs: stat.mtimeMs, definitions, lineIndex: new LineIndex(text) });
    } catch (e) {
      logger.log('warn', `役割の定義を読めません / cannot read role definitions from ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return {
    async refresh(uri, service) {
      if (!uri.startsWith('file:')) return;
      let file: string;
      try {
        file = fileURLToPath(uri);
      } catch {
        return;
      }
      const dir = path.dirname(file);
      let names: string[];
      try {
        names = (await fs.readdir(dir)).filter((n) => n.endsWith('.md') && path.join(dir, n) !== file).sort().slice(0, MAX_FILES);
      } catch {
        return;
      }
      const paths = names.map((n) => path.join(dir, n));
      for (const p of paths) await readSibling(p, service);
      siblings.set(uri, paths.map((p) => pathToFileURL(p).href));
    },
    definitionsFor(uri) {
      return (siblings.get(uri) ?? []).flatMap((s) => files.get(s)?.definitions ?? []);
    },
    lineIndexOf(uri) {
      return files.get(uri)?.lineIndex;
    },
  };
}
