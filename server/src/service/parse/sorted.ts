/**
 * The index of the element of `items` whose key is `x`, or -1. `items` are sorted by `key`, ascending,
 * without repeats (provisions in document order, by their start).
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

/** The index of `x` in `values` (ascending, without repeats: line starts, number offsets), or -1. */
export function indexOfValue(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = values[mid]!;
    if (k === x) return mid;
    if (k < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
