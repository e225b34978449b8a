/**
 * A guideline catalog supplied by the user instead of the bundled one (kijun.catalog.path in the editor,
 * `--catalog <file>` on the command line), e.g. for a newer edition of the guideline.
 *
 * The file is data: at most 5 MB, UTF-8, parsed with JSON.parse (never evaluated or imported) and checked by
 * service/catalog/validate.ts. In the editor the path must lie inside a workspace folder (a workspace cannot
 * point the server at ~/.ssh or /etc, `..` and symbolic links included); the command line reads the file the
 * user named. Every refusal is one Japanese sentence; the caller keeps the bundled catalog.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../service/catalog';
import type { Catalog } from '../service/catalog/types';
import { validateCatalog } from '../service/catalog/validate';

export const MAX_CATALOG_BYTES = 5 * 1024 * 1024;

export type CatalogFile = { readonly ok: true; readonly file: string; readonly catalog: Catalog } | { readonly ok: false; readonly error: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads and checks a catalog file. */
export async function readCatalogFile(file: string): Promise<CatalogFile> {
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) return { ok: false, error: `${file}: ディレクトリです。カタログの JSON ファイルを指定してください` };
    if (!stat.isFile()) return { ok: false, error: `${file}: 通常のファイルではありません` };
    if (stat.size > MAX_CATALOG_BYTES) return { ok: false, error: `${file}: カタログが大きすぎます（${(stat.size / 1024 / 1024).toFixed(1)} MB、上限 5 MB）` };
    bytes = await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, error: `${file}: カタログのファイルがありません` };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, error: `${file}: カタログのファイルを読む権限がありません` };
    return { ok: false, error: `${file}: カタログのファイルを読めません（${code ?? String(e)}）` };
  }
  // The file may have grown between stat and read.
  if (bytes.length > MAX_CATALOG_BYTES) return { ok: false, error: `${file}: カタログが大きすぎます（上限 5 MB）` };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, error: `${file}: UTF-8 のテキストではありません` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, error: `${file}: JSON として読めません（${(e instanceof Error ? e.message : String(e)).split('\n')[0]}）` };
  }
  const checked = validateCatalog(data);
  return checked.ok ? { ok: true, file, catalog: checked.catalog } : { ok: false, error: `${file}: ${checked.message}` };
}

const inside = (folder: string, file: string): boolean => {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
};

/**
 * The file `setting` names, when it lies inside one of the workspace folders (file: URIs): a relative path is
 * taken from the first folder. Checked once as written and once with symbolic links resolved.
 */
export async function resolveInWorkspace(setting: string, folderUris: readonly string[]): Promise<{ readonly file: string } | { readonly error: string }> {
  const folders = folderUris.flatMap((uri) => {
    try {
      return uri.startsWith('file:') ? [path.resolve(fileURLToPath(uri))] : [];
    } catch {
      return [];
    }
  });
  if (folders.length === 0) return { error: `設定 kijun.catalog.path（${setting}）を使うには、ワークスペースのフォルダーを開いてください` };
  const file = path.isAbsolute(setting) ? path.resolve(setting) : path.resolve(folders[0]!, setting);
  const outside = `設定 kijun.catalog.path（${setting}）はワークスペースのフォルダーの外を指しています。フォルダー内の JSON ファイルを指定してください`;
  if (!folders.some((f) => inside(f, file))) return { error: outside };
  try {
    const real = await fs.realpath(file);
    const realFolders = await Promise.all(folders.map((f) => fs.realpath(f).catch(() => f)));
    if (!realFolders.some((f) => inside(f, real))) return { error: outside };
    return { file: real };
  } catch {
    // Missing files are reported by readCatalogFile, with their path.
    return { file };
  }
}

/**
 * The catalog the language server uses: the bundled one, or the one kijun.catalog.path names once it has been
 * read and checked. A failed load keeps (or goes back to) the bundled catalog.
 */
export class CatalogSource {
  private catalog: Catalog | null = null;
  private key = '';

  /** The catalog in use. */
  current(): Catalog {
    return this.catalog ?? loadCatalog();
  }

  /** The file in use, or null for the bundled catalog. */
  get file(): string | null {
    return this.catalog ? this.key.split('\n')[0]! : null;
  }

  /**
   * Applies the setting. `changed` says whether the catalog in use changed (the service must be rebuilt);
   * `error` is the Japanese reason the file was refused; `message` describes the catalog now in use.
   */
  async apply(setting: string | null, folderUris: readonly string[]): Promise<{ readonly changed: boolean; readonly error?: string; readonly message?: string }> {
    if (setting === null) return this.use(null, '', '同梱のカタログを使います');
    const resolved = await resolveInWorkspace(setting, folderUris);
    if ('error' in resolved) return { ...this.use(null, '', '同梱のカタログを使います'), error: resolved.error };
    const stat = await fs.stat(resolved.file).catch(() => null);
    // Unchanged file (same path, size and time): nothing to read again.
    const key = `${resolved.file}\n${stat?.size}\n${stat?.mtimeMs}`;
    if (this.catalog && key === this.key) return { changed: false };
    const read = await readCatalogFile(resolved.file);
    if (!read.ok) return { ...this.use(null, '', '同梱のカタログを使います'), error: read.error };
    const c = read.catalog;
    return this.use(c, key, `カタログ ${resolved.file} を使います（${c.guideline.title}（${c.guideline.edition}）, ${c.items.length} 項目）`);
  }

  private use(catalog: Catalog | null, key: string, message: string): { readonly changed: boolean; readonly message: string } {
    const changed = catalog !== null || this.catalog !== null;
    this.catalog = catalog;
    this.key = key;
    return { changed, message };
  }
}
