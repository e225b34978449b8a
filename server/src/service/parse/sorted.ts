/**
 * The index of the element of `items` whose key is `x`, or -1. `items` are sorted by `key`, ascending,
 * without repeats (line starts, provision starts in document order, number offsets).
 */
export function indexByKey<T>(items: readonly T[], key: (item: T) => number, x: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = key(items[mid]!);
    if (k === x) return mid;
    if (k < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
