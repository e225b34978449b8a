import type { Token, TokenWords } from '../morph/types';

/**
 * Role phrases. A role name is a compound noun (kuromoji noun run) that ends in a suffix of the field;
 * names already known (defined here or in the workspace, with their aliases) are matched longest first
 * inside a run, so 統括情報セキュリティ責任者 is never read as 情報セキュリティ責任者.
 */

/** Suffixes that make a compound a role name even when nothing defines it. */
const STRONG_SUFFIXES = ['責任者', '管理者', '担当者', 'アドバイザー', '補佐官', 'CSIRT'];
/** Organs: only with information-security words, because 教育委員会 and Web会議 are not roles of the policy. */
const ORGAN_SUFFIXES = ['委員会', '会議'];
/** Suffixes a definition may give a role (所属長, 委員長, 委員) but that alone do not make an undefined role. */
const DEFINITION_SUFFIXES = ['長', '委員', '統括者', '総括者', 'チーム'];

/** Tokens that modify a role without changing it: 各情報セキュリティ管理者, 当該情報システム管理者. */
const TOKEN_MODIFIERS = ['各', '全', '当該', '同', '前記', '上記', '現'];
/** Words before a known name inside one compound that still leave it that role (所属情報セキュリティ管理者). */
const MODIFIER_PREFIXES = [...TOKEN_MODIFIERS, '所属', '所管', '関係', '直属'];
const TRAILING = ['等', 'ら', 'たち', '各位', '全員'];

export interface Run {
  /** Offsets in the sentence text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The token before the run: の / その mark a description (システム開発の責任者). */
  readonly descriptive: boolean;
}

// The expressions of the per-token tests, built once: a regular expression literal is a new object each
// time it is evaluated, and these run for every token of a first analysis.
const LATIN_WORD = /^[A-Za-zＡ-Ｚａ-ｚ]+$/;
const PUNCTUATION_ONLY = /^[\p{P}\s]+$/u;

function isRunToken(t: Token): boolean {
  // kuromoji tags an unknown acronym by its context (CISO及び → 感動詞); Latin letters are always a noun here.
  if (LATIN_WORD.test(t.surface)) return true;
  if (t.pos === '接頭詞') return t.pos1 === '名詞接続';
  if (t.pos !== '名詞') return false;
  if (t.pos1 === '非自立' || t.pos1 === '代名詞') return false;
  if (t.pos1 === '副詞可能') return t.surface === '長' || t.surface === '各位';
  return !PUNCTUATION_ONLY.test(t.surface);
}

/**
 * Compound nouns of a sentence, with modifiers (各, 当該) and a trailing 等 taken off, from its tokens as
 * words and starts (`starts[i]` is `words[i]`'s offset in `text`; the words' own `start` is not read).
 */
export function nounRuns(text: string, { words, starts }: TokenWords): Run[] {
  const runs: Run[] = [];
  // The run being read is words[from, to) (a run's tokens are adjacent in the array and in the text);
  // `before` is the token before it. Indexed, and each token tested once: this runs over every token of a
  // first analysis, mostly in code not yet optimised, where an iterator step or a closure is an allocation.
  let from = 0;
  let to = 0;
  let before: Token | undefined;
  for (let i = 0; i <= words.length; i++) {
    const t = i < words.length ? words[i] : undefined;
    const inRun = t !== undefined && isRunToken(t);
    if (inRun && (to === from || starts[to - 1]! + words[to - 1]!.surface.length === starts[i])) {
      if (to === from) from = i;
      to = i + 1;
      continue;
    }
    if (to > from) pushRun(text, words, starts, from, to, before, runs);
    from = to = i + 1;
    before = t;
  }
  return runs;
}

const OPENING = /^[（(「『]$/;
const CLOSING = /^[）)」』]$/;

/**
 * The starts of a sentence's topic particles (は, a 助詞) outside brackets, in order: where a subject may
 * end (subjectOf in model.ts reads these, not the tokens). From the tokens as words and starts.
 */
export function topicMarks({ words, starts }: TokenWords): number[] {
  const out: number[] = [];
  let depth = 0;
  for (let i = 0; i < words.length; i++) {
    const tok = words[i]!;
    const c = tok.surface;
    if (OPENING.test(c)) depth++;
    else if (CLOSING.test(c)) depth = Math.max(0, depth - 1);
    if (depth === 0 && c === 'は' && tok.pos === '助詞') out.push(starts[i]!);
  }
  return out;
}

/** The run words[from, to) with modifiers (各, 当該) and a trailing 等 taken off, if anything is left. */
function pushRun(text: string, words: readonly Token[], starts: readonly number[], from: number, to: number, before: Token | undefined, runs: Run[]): void {
  let a = from;
  let b = to;
  while (a < b - 1 && TOKEN_MODIFIERS.includes(words[a]!.surface)) a++;
  while (b > a + 1 && TRAILING.includes(words[b - 1]!.surface)) b--;
  const start = starts[a]!;
  const end = starts[b - 1]! + words[b - 1]!.surface.length;
  const prev = a > from ? words[a - 1] : before;
  // の, その, ごとの and an attributive verb (統括する最高責任者) make a description, not a name.
  const descriptive = prev !== undefined && a === from && (prev.surface === 'の' || prev.pos === '連体詞' || prev.surface === 'ごと' || prev.pos === '動詞' || prev.pos === '助動詞' || prev.pos === '形容詞');
  if (end > start) runs.push({ start, end, text: text.slice(start, end), descriptive });
}

/**
 * The answers of the pure name tests below (a role name is asked about again and again), kept per name;
 * emptied when full.
 */
const MEMO_LIMIT = 20_000;
function memo<T>(cache: Map<string, T>, name: string, compute: (name: string) => T): T {
  let hit = cache.get(name);
  if (hit === undefined && !cache.has(name)) {
    hit = compute(name);
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(name, hit);
  }
  return hit as T;
}
const roleShaped = new Map<string, boolean>();
const definable = new Map<string, boolean>();
const keys = new Map<string, string>();

/** A name that may be a role of the policy even when nothing defines it (the gate of `undefined-role`). */
export function isRoleShaped(name: string): boolean {
  return memo(roleShaped, name, roleShapedUncached);
}

function roleShapedUncached(name: string): boolean {
  const n = name.normalize('NFKC');
  if (/^C[A-Z]{1,3}O$/.test(n)) return true;
  const strong = endsWithAny(n, STRONG_SUFFIXES);
  if (strong) return !/事業者|業者|委託先/.test(n);
  const organ = endsWithAny(n, ORGAN_SUFFIXES);
  if (organ) return /情報|セキュリティ|CSIRT|IT|ＩＴ/.test(n);
  return n === 'CSIRT';
}

/** A name a definition may introduce as a role: the above, and 所属長, 委員長, 委員. */
export function isDefinableRole(name: string): boolean {
  return memo(definable, name, definableUncached);
}

const DEFINABLE_SUFFIXES = [...ORGAN_SUFFIXES, ...DEFINITION_SUFFIXES];

function definableUncached(name: string): boolean {
  if (isRoleShaped(name)) return true;
  const n = name.normalize('NFKC');
  if (/^[A-Z]{2,8}$/.test(n)) return true;
  if (n === '委員') return true;
  return endsWithAny(n, DEFINABLE_SUFFIXES);
}

/** Whether `n` ends with one of `suffixes` and has more before it (an indexed loop: asked of every noun run). */
function endsWithAny(n: string, suffixes: readonly string[]): boolean {
  for (let i = 0; i < suffixes.length; i++) {
    const s = suffixes[i]!;
    if (n.length > s.length && n.endsWith(s)) return true;
  }
  return false;
}

export function key(name: string): string {
  return memo(keys, name, (n) => n.normalize('NFKC').replace(/\s+/g, ''));
}

/** Known names (normalised) → canonical role name, matched longest first. */
export class NameTable {
  readonly #byKey = new Map<string, string>();
  #sorted: string[] = [];

  add(name: string, canonical: string): void {
    const k = key(name);
    if (k.length === 0 || this.#byKey.has(k)) return;
    this.#byKey.set(k, canonical);
    this.#sorted = [...this.#byKey.keys()].sort((a, b) => b.length - a.length);
    this.#signature = null;
  }

  #signature: string | null = null;

  /** Every name with its canonical role: two tables with the same signature recognise the same. */
  get signature(): string {
    this.#signature ??= [...this.#byKey].map(([k, c]) => `${k}\u0001${c}`).sort().join('\u0002');
    return this.#signature;
  }

  get(name: string): string | undefined {
    return this.#byKey.get(key(name));
  }

  has(name: string): boolean {
    return this.#byKey.has(key(name));
  }

  names(): readonly string[] {
    return this.#sorted;
  }

  /** The longest known name that ends `s` (normalised), if any. */
  suffixOf(s: string): string | undefined {
    const k = key(s);
    return this.#sorted.find((n) => k.endsWith(n));
  }

  /** Known names inside `s`, leftmost-longest, as [start, end) in `s`'s normalised form. */
  inside(s: string): [number, number, string][] {
    const k = key(s);
    const out: [number, number, string][] = [];
    let i = 0;
    while (i < k.length) {
      const hit = this.#sorted.find((n) => k.startsWith(n, i));
      if (hit) {
        out.push([i, i + hit.length, hit]);
        i += hit.length;
      } else i++;
    }
    return out;
  }
}

export interface Recognised {
  readonly start: number;
  readonly end: number;
  readonly surface: string;
  /** The canonical name of a known role, or null for a role-shaped name nothing defines. */
  readonly canonical: string | null;
  readonly descriptive: boolean;
}

/**
 * Role phrases in one run. NFKC keeps the length of everything a role name is made of (kana, kanji,
 * ASCII and full-width Latin), so offsets in the normalised run are offsets in the run.
 */
export function recogniseInRun(run: Run, names: NameTable): readonly Recognised[] {
  // Cached per name table and run (text and whether it is descriptive), relative to the run's start.
  let byRun = recognitionCache.get(names.signature);
  if (!byRun) {
    if (recognitionCache.size >= 4) recognitionCache.delete(recognitionCache.keys().next().value!);
    recognitionCache.set(names.signature, (byRun = new Map()));
  }
  const k = `${run.descriptive ? 1 : 0}${run.text}`;
  let rel = byRun.get(k);
  if (!rel) {
    rel = recognise({ ...run, start: 0, end: run.text.length }, names);
    if (byRun.size >= 50_000) byRun.clear();
    byRun.set(k, rel);
  }
  if (run.start === 0) return rel;
  return rel.map((r) => ({ ...r, start: r.start + run.start, end: r.end + run.start }));
}

const recognitionCache = new Map<string, Map<string, readonly Recognised[]>>();

function recognise(run: Run, names: NameTable): Recognised[] {
  const s = run.text;
  if (key(s).length !== s.length) return [];
  const whole = names.get(s);
  if (whole) return [{ start: run.start, end: run.end, surface: s, canonical: whole, descriptive: run.descriptive }];
  const suffix = names.suffixOf(s);
  if (suffix) {
    const residue = s.slice(0, s.length - suffix.length);
    const parts = names.inside(residue);
    const covered = parts.reduce((n, [a, b]) => n + (b - a), 0) === residue.length;
    // A list marker glued on by a table or a lost line break (ウ 情報管理者の判断) is not part of the name.
    const modifier = MODIFIER_PREFIXES.includes(residue) || /^[ア-ンｱ-ﾝ①-⑳]$/.test(residue);
    if (covered || modifier || !isRoleShaped(s)) {
      const out: Recognised[] = covered ? parts.map(([a, b, n]) => ({ start: run.start + a, end: run.start + b, surface: s.slice(a, b), canonical: names.get(n)!, descriptive: a === 0 && run.descriptive })) : [];
      const a = s.length - suffix.length;
      out.push({ start: run.start + a, end: run.end, surface: suffix, canonical: names.get(suffix)!, descriptive: run.descriptive && (covered ? residue.length === 0 : true) });
      return out;
    }
    return [{ start: run.start, end: run.end, surface: s, canonical: null, descriptive: run.descriptive }];
  }
  if (isRoleShaped(s)) return [{ start: run.start, end: run.end, surface: s, canonical: null, descriptive: run.descriptive }];
  return names.inside(s).map(([a, b, n]) => ({ start: run.start + a, end: run.start + b, surface: s.slice(a, b), canonical: names.get(n)!, descriptive: false }));
}
