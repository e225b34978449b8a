import { key } from './phrases';

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/**
 * The defined name a misspelt one is closest to (総括 for 統括, CIO for CISO): one edit for short names,
 * two for longer ones, and only when one candidate is clearly closest.
 */
export function nearMiss(name: string, candidates: readonly string[]): string | null {
  const k = key(name);
  const limit = k.length <= 5 ? 1 : 2;
  let best: string | null = null;
  let bestD = Infinity;
  let tie = false;
  for (const c of candidates) {
    const d = distance(k, key(c));
    if (d === 0 || d > limit) continue;
    if (d < bestD) {
      best = c;
      bestD = d;
      tie = false;
    } else if (d === bestD && key(c) !== key(best ?? '')) tie = true;
  }
  return tie ? null : best;
}
