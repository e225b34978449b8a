/**
 * Rule isolation: a rule that throws (a bug, or input nobody foresaw) costs only its own findings. It is
 * replaced by one `internal-error` finding that names it, and every other rule still runs.
 */
import type { Finding } from '../types';

export function runRule(rule: string, check: () => readonly Finding[]): readonly Finding[] {
  try {
    return check();
  } catch (e) {
    return [internalError(rule, e)];
  }
}

/** Runs `compute`; on a throw, returns `fallback` and records the internal-error finding for `rule` in `errors`. */
export function guarded<T>(rule: string, compute: () => T, fallback: T, errors: Finding[]): T {
  try {
    return compute();
  } catch (e) {
    errors.push(internalError(rule, e));
    return fallback;
  }
}

export function internalError(rule: string, e: unknown): Finding {
  const detail = e instanceof Error ? e.message : String(e);
  return {
    code: 'internal-error',
    severity: 'warning',
    message: `Kijun の内部エラーにより「${rule}」の検査を完了できませんでした（${detail.slice(0, 200)}）。ほかの検査の結果は有効です`,
    range: { start: 0, end: 0 },
  };
}
