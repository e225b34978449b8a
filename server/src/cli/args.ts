import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './errors';

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
