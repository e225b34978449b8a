import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadCatalog } from '../service/catalog';
import type { Catalog } from '../service/catalog/types';
import { readCatalogFile } from '../workspace/catalog';
import { CliError, usageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with strict checking, turning its exceptions into one-line usage errors. */
export function parse<O extends Options>(args: readonly string[], options: O, command: string) {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    const detail = (e instanceof Error ? e.message : String(e)).split(/\n|\. /)[0]!;
    throw usageError(`引数が不正です（kijun ${command} --help を参照）`, `invalid arguments: ${detail}`);
  }
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`--${name} は ${allowed.join(' / ')} のいずれかです`, `--${name} must be one of ${allowed.join(', ')}`);
}

export function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`--${name} は正の整数です`, `--${name} must be a positive integer`);
  return n;
}

/** `--catalog <file>`: a guideline catalog JSON to use instead of the bundled one (spread into a command's options). */
export const catalogOption = { catalog: { type: 'string' } } as const;

/** The help line of `--catalog`. */
export const catalogHelpLine = '  --catalog  同梱の代わりに使うガイドラインのカタログ（catalog.json と同じ形式の JSON、5 MB まで）';

/**
 * The catalog `--catalog` names (read as JSON data and checked, see workspace/catalog.ts), or the bundled one.
 * A file that cannot be used is a one-line error (exit code 2) naming the file and its first problem.
 */
export async function catalogFrom(values: { readonly catalog?: unknown }): Promise<Catalog> {
  const file = values.catalog;
  if (file === undefined) return loadCatalog();
  if (typeof file !== 'string' || file.trim() === '') throw usageError('--catalog にはカタログの JSON ファイルを指定してください', '--catalog needs a file');
  const read = await readCatalogFile(file);
  if (!read.ok) throw new CliError(`${read.error} / cannot use this catalog`);
  return read.catalog;
}
