import type { TextRange } from '../types';
import type { ProvisionNode } from './types';

/**
 * Whether two subtrees have the same shape relative to their starts: kinds, styles, numbers, titles,
 * ranges and (with `withText`) their own texts. The parser decides a provision's shape from the whole
 * document (a list's style, what nests under what), so a subtree kept for its text is reused by the
 * incremental stages only when the new one has the same shape. Walks without allocating.
 */
export function sameShape(a: ProvisionNode, b: ProvisionNode, baseA: number, baseB: number, withText = false): boolean {
  // The parser hands on an unchanged provision as the same node (frozen): same ranges, so same shape where it starts alike.
  if (a === b) return baseA === baseB;
  if (a.kind !== b.kind || a.style !== b.style || a.numberText !== b.numberText || a.title !== b.title || a.children.length !== b.children.length) return false;
  if (withText && a.text !== b.text) return false;
  if (!sameNumber(a.number, b.number)) return false;
  const d = baseB - baseA;
  if (!sameRange(a.range, b.range, d) || !sameRange(a.headRange, b.headRange, d) || !sameRange(a.numberRange, b.numberRange, d)) return false;
  for (let i = 0; i < a.children.length; i++) if (!sameShape(a.children[i]!, b.children[i]!, baseA, baseB, withText)) return false;
  return true;
}

/** Whether `x` moved by `d` is `y` (both null counts as the same). */
export function sameRange(x: TextRange | null, y: TextRange | null, d: number): boolean {
  return x === null || y === null ? x === y : x.start + d === y.start && x.end + d === y.end;
}

export function sameNumber(x: readonly number[] | null, y: readonly number[] | null): boolean {
  if (x === y) return true;
  if (x === null || y === null) return false;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The ancestors of a provision, outermost first (empty when it is not in the tree). */
export function pathTo(roots: readonly ProvisionNode[], target: ProvisionNode): ProvisionNode[] {
  const find = (nodes: readonly ProvisionNode[], path: ProvisionNode[]): ProvisionNode[] | null => {
    for (const n of nodes) {
      if (n === target) return path;
      if (target.range.start >= n.range.start && target.range.end <= n.range.end) {
        const hit = find(n.children, [...path, n]);
        if (hit) return hit;
      }
    }
    return null;
  };
  return find(roots, []) ?? [];
}
