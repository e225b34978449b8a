/**
 * Work in steps: a generator that yields between pieces of a long computation and returns its result, so
 * that a caller with time to share (the LSP server's first analysis of a large draft) can pause between
 * them, and any other caller runs it through at once.
 */

/** The result of `steps`, run through without pausing. */
export function completed<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The steps of `steps`, its result put into `into.value` at the end (for a runner of plain steps). */
export function* resultInto<T>(steps: Generator<void, T>, into: { value: T }): Generator<void> {
  for (;;) {
    const step = steps.next();
    if (step.done) {
      into.value = step.value;
      return;
    }
    yield;
  }
}
