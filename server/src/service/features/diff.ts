/**
 * A character diff of Japanese clauses (no spaces to split words on), cleaned up so that it reads as word-sized
 * changes, and its Markdown rendering: what the draft adds in **bold**, what it drops from the 例文 in ~~strike~~.
 */

export type DiffOp = { readonly kind: 'equal' | 'insert' | 'delete'; readonly text: string };

const MAX = 3000;

/** Longest-common-subsequence diff of `from` (the 例文) to `to` (the draft clause). */
export function diffChars(from: string, to: string): DiffOp[] {
  if (from === to) return from ? [{ kind: 'equal', text: from }] : [];
  // Common prefix and suffix first: most clauses differ in a few places.
  let p = 0;
  while (p < from.length && p < to.length && from[p] === to[p]) p++;
  let s = 0;
  while (s < from.length - p && s < to.length - p && from[from.length - 1 - s] === to[to.length - 1 - s]) s++;
  const a = from.slice(p, from.length - s);
  const b = to.slice(p, to.length - s);
  const ops: DiffOp[] = [];
  if (p > 0) ops.push({ kind: 'equal', text: from.slice(0, p) });
  if (a.length * b.length > MAX * MAX || a.length === 0 || b.length === 0) {
    if (a) ops.push({ kind: 'delete', text: a });
    if (b) ops.push({ kind: 'insert', text: b });
  } else {
    ops.push(...lcs(a, b));
  }
  if (s > 0) ops.push({ kind: 'equal', text: from.slice(from.length - s) });
  return cleanup(merge(ops));
}

function lcs(a: string, b: string): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const dp = new Uint16Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i * (m + 1) + j] = a[i] === b[j] ? dp[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(dp[(i + 1) * (m + 1) + j]!, dp[i * (m + 1) + j + 1]!);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: 'equal', text: a[i]! });
      i++;
      j++;
    } else if (dp[(i + 1) * (m + 1) + j]! >= dp[i * (m + 1) + j + 1]!) {
      ops.push({ kind: 'delete', text: a[i++]! });
    } else {
      ops.push({ kind: 'insert', text: b[j++]! });
    }
  }
  if (i < n) ops.push({ kind: 'delete', text: a.slice(i) });
  if (j < m) ops.push({ kind: 'insert', text: b.slice(j) });
  return ops;
}

function merge(ops: readonly DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  for (const op of ops) {
    if (!op.text) continue;
    const last = out[out.length - 1];
    if (last && last.kind === op.kind) out[out.length - 1] = { kind: op.kind, text: last.text + op.text };
    else out.push(op);
  }
  return out;
}

/**
 * Folds short equal runs caught between changes into the changes (「管理者」→「責任者」 reads as one
 * replacement, not three), and orders each replacement as deletion then insertion.
 */
function cleanup(ops: DiffOp[]): DiffOp[] {
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 1; i < ops.length - 1; i++) {
      const op = ops[i]!;
      if (op.kind !== 'equal' || op.text.length > 2) continue;
      const before = ops[i - 1]!;
      const after = ops[i + 1]!;
      if (before.kind === 'equal' || after.kind === 'equal') continue;
      const changedLen = (x: DiffOp): number => (x.kind === 'equal' ? 0 : x.text.length);
      if (changedLen(before) + changedLen(after) < op.text.length * 2) continue;
      // Turn the short equal run into a deletion and an insertion and regroup around it.
      const del: DiffOp[] = [];
      const ins: DiffOp[] = [];
      let j = i - 1;
      while (j >= 0 && ops[j]!.kind !== 'equal') j--;
      let k = i + 1;
      while (k < ops.length && ops[k]!.kind !== 'equal') k++;
      for (let x = j + 1; x < k; x++) {
        const o = ops[x]!;
        if (o.kind === 'equal') {
          del.push({ kind: 'delete', text: o.text });
          ins.push({ kind: 'insert', text: o.text });
        } else if (o.kind === 'delete') del.push(o);
        else ins.push(o);
      }
      ops = [...ops.slice(0, j + 1), ...merge([...del, ...ins]), ...ops.slice(k)];
      changed = true;
      break;
    }
  }
  return merge(ops);
}

const PUNCT = /[\p{P}\p{S}]/u;
const SPACE = /\s/u;

/** Backslash-escapes Markdown syntax characters. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|~<>]/g, (c) => `\\${c}`);
}

/**
 * Renders the diff as Markdown. A delimiter next to punctuation (「、」) can fail CommonMark's flanking rules
 * between CJK letters (commonmark-spec#650), so a space is put on the outer side where that would happen.
 */
export function renderDiffMarkdown(ops: readonly DiffOp[]): string {
  let out = '';
  ops.forEach((op, i) => {
    const text = escapeMarkdown(op.text);
    if (op.kind === 'equal') {
      out += text;
      return;
    }
    const mark = op.kind === 'insert' ? '**' : '~~';
    const prevChar = i > 0 ? ops[i - 1]!.text.slice(-1) : '';
    const nextChar = i + 1 < ops.length ? ops[i + 1]!.text.charAt(0) : '';
    const first = op.text.charAt(0);
    const lastChar = op.text.slice(-1);
    const padBefore = PUNCT.test(first) && prevChar !== '' && !PUNCT.test(prevChar) && !SPACE.test(prevChar) && ops[i - 1]!.kind === 'equal' ? ' ' : '';
    const padAfter = PUNCT.test(lastChar) && nextChar !== '' && ops[i + 1]!.kind === 'equal' && !PUNCT.test(nextChar) && !SPACE.test(nextChar) ? ' ' : '';
    const inner = SPACE.test(first) || SPACE.test(lastChar) ? text.trim() : text;
    if (!inner) {
      out += text;
      return;
    }
    out += `${padBefore}${mark}${inner}${mark}${padAfter}`;
  });
  return out;
}

/** How much of the 例文 the draft keeps, 0..1. */
export function similarity(ops: readonly DiffOp[]): number {
  let eq = 0;
  let total = 0;
  for (const op of ops) {
    if (op.kind === 'equal') {
      eq += op.text.length * 2;
      total += op.text.length * 2;
    } else total += op.text.length;
  }
  return total === 0 ? 1 : eq / total;
}
