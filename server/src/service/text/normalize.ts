/**
 * Normalisation for comparing a draft's wording with the guideline's. It is lossy on purpose and is
 * applied only to text being compared, never to text shown to the user or to ranges.
 */

import { detached } from './detach';

/** Variant kanji (異体字) found in policy texts, mapped to the form the guideline uses. */
const VARIANT_CHARS: ReadonlyArray<readonly [string, string]> = [
  ['靭', '靱'],
  ['剥', '剝'],
  ['填', '塡'],
  ['頬', '頰'],
  ['叱', '𠮟'],
  ['涜', '瀆'],
  ['禰', '祢'],
];

/**
 * A rewrite, with strings one of which every match holds: a text that holds none of them is left as it
 * is without running the expression (most texts hold none, and each pass costs).
 */
type Rewrite = readonly [pattern: RegExp, replacement: string, needles: readonly string[]];

/**
 * Okurigana and spelling variants of the same word, mapped to one canonical spelling.
 * Longer keys come first so that 持ち出し is not half-rewritten by 持ち出.
 */
const VARIANT_WORDS: ReadonlyArray<Rewrite> = [
  [/持ち?出し?/g, '持出', ['持']],
  [/取り?扱い?/g, '取扱', ['扱']],
  [/取り?外し/g, '取外', ['外し']],
  [/立ち?入り?/g, '立入', ['立']],
  [/引き?継ぎ?/g, '引継', ['継']],
  [/申し?込み?/g, '申込', ['申']],
  [/受け?付け?/g, '受付', ['受']],
  [/貸し?出し?/g, '貸出', ['貸']],
  [/書き?込み?/g, '書込', ['込']],
  [/読み?取り?/g, '読取', ['読']],
  [/組み?込み?/g, '組込', ['込']],
  [/取り?組み?/g, '取組', ['組']],
  [/問い?合わ?せ/g, '問合せ', ['問']],
  [/打ち?合わ?せ/g, '打合せ', ['打']],
  [/見直し/g, '見直', ['見直し']],
  [/割り?当て/g, '割当', ['当て']],
  [/取り?消し/g, '取消', ['消し']],
  [/差し?替え/g, '差替', ['替え']],
  [/切り?替え/g, '切替', ['替え']],
  [/コンピューター/g, 'コンピュータ', ['コンピューター']],
  [/サーバー/g, 'サーバ', ['サーバー']],
  [/ユーザー/g, 'ユーザ', ['ユーザー']],
  [/プリンター/g, 'プリンタ', ['プリンター']],
  [/メモリー/g, 'メモリ', ['メモリー']],
  [/ブラウザー/g, 'ブラウザ', ['ブラウザー']],
  [/フォルダー/g, 'フォルダ', ['フォルダー']],
  [/セキュリティー/g, 'セキュリティ', ['セキュリティー']],
  [/インターフェイス/g, 'インタフェース', ['インターフェイス']],
  [/インターフェース/g, 'インタフェース', ['インターフェース']],
  [/ウィルス/g, 'ウイルス', ['ウィルス']],
  [/e-?メール|Eメール|E-mail|電子メール/gi, '電子メール', ['メール', '-']],
];

/**
 * Words drafters use interchangeably in policy prose, mapped to the guideline's word. Only for matching:
 * 直ちに is stronger than 速やかに in law, but a clause that says either covers the same item.
 */
const SYNONYMS: ReadonlyArray<Rewrite> = [
  [/直ちに|遅滞なく|早急に/g, '速やかに', ['直ちに', '遅滞なく', '早急に']],
  [/事前に/g, 'あらかじめ', ['事前に']],
  [/適正(?=[にな])/g, '適切', ['適正']],
  [/定期に/g, '定期的に', ['定期に']],
  [/必要があるときは|必要な場合には?|必要に応じ(?!て)/g, '必要に応じて', ['必要']],
  [/パーソナルコンピュータ|ＰＣ(?=[をはがのに、])/g, 'パソコン', ['パーソナルコンピュータ', 'ＰＣ']],
  [/従業員|職員ら/g, '職員等', ['従業員', '職員ら']],
  [/他人/g, '他者', ['他人']],
  [/アカウント/g, 'ID', ['アカウント']],
  [/ＵＳＢメモリ|USBメモリー/g, 'USBメモリ', ['ＵＳＢメモリ', 'USBメモリー']],
];

/**
 * Who is appointed to a role is exactly what every body words its own way (副市長, 情報政策担当部長,
 * 総務課長…), so for matching an appointment 「XをYとする」 reads 「任命者をYとする」.
 */
const APPOINTMENT = /(^|。)(?:(?!は、)[^。を]){1,80}?を(?:、)?([^、。を]{0,30}?(?:責任者|管理者|担当者|委員会|アドバイザー|CISO|CSIRT|の長))(?:[（(][^）)]{0,60}[）)])?(?:と|に)(?:する|します|して|し、|置く|任命)/gu;

/** The guideline writes 本市 and ○○市; drafts write their own body. Compared text uses 本市 throughout. */
const SELF_REFERENCE = /本(?:市|区|町|村|県|都|府|道|庁|協議会|組合|広域連合|連合|機構|法人|団体|センター)(?![a-zA-Z])/g;
const PLACEHOLDER_BODY = /[○〇◯●]{1,3}(?:市|区|町|村)/g;
const PLACEHOLDER_MARKS = ['○', '〇', '◯', '●'];

function holdsAny(s: string, needles: readonly string[]): boolean {
  for (let i = 0; i < needles.length; i++) if (s.includes(needles[i]!)) return true;
  return false;
}

/** `s` with each rewrite applied whose needles it holds, in order. */
function rewritten(s: string, rewrites: ReadonlyArray<Rewrite>): string {
  for (let i = 0; i < rewrites.length; i++) {
    const r = rewrites[i]!;
    if (holdsAny(s, r[2])) s = s.replace(r[0], r[1]);
  }
  return s;
}

/**
 * kuromoji 0.1.2 throws inside its dictionary lookup on a NUL and on a high surrogate without its low half;
 * both occur in text pasted from PDFs. Compared text gets U+FFFD instead (found by the fuzz tests).
 */
const UNTOKENIZABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/** NFKC, variant characters and spellings, the body's self-reference, and whitespace removed. */
export function normalizeForMatch(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  let s = text.normalize('NFKC').replace(UNTOKENIZABLE, '\uFFFD').replace(/\s+/g, '');
  // Indexed loops without destructuring: this runs for every clause of a first analysis, mostly in code
  // not yet optimised, where each iterator step and destructured pair is an allocation.
  for (let i = 0; i < VARIANT_CHARS.length; i++) {
    const v = VARIANT_CHARS[i]!;
    if (s.includes(v[0])) s = s.split(v[0]).join(v[1]);
  }
  s = rewritten(s, VARIANT_WORDS);
  s = rewritten(s, SYNONYMS);
  if (s.includes('本')) s = s.replace(SELF_REFERENCE, '本市');
  if (holdsAny(s, PLACEHOLDER_MARKS)) s = s.replace(PLACEHOLDER_BODY, '本市');
  // The appointee becomes one fixed word, so an appointment still differs from any clause naming the role.
  if (s.includes('を')) s = s.replace(APPOINTMENT, (m: string, lead: string, role: string) => `${lead}任命者を${role}${m.slice(m.lastIndexOf(role) + role.length)}`);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, s);
  return s;
}

/**
 * What a body may call itself, for telling which it is. Wider than SELF_REFERENCE: 本会, 本社 or 本学 may
 * well be the most frequent 本〇 of a document, while rewriting every 本会(議) for matching would be wrong.
 */
const SELF_NAME = /本(?:市|区|町|村|県|都|府|道|庁|協議会|組合|広域連合|連合|機構|法人|団体|センター|公社|会|社|学|院)(?![a-zA-Z])/g;

/** Each line's self-names in order of first occurrence, with their counts: cached per line text. */
const selfNameCache = new Map<string, ReadonlyArray<readonly [string, number]>>();
const SELF_NAME_LIMIT = 100_000;
const NO_NAMES: ReadonlyArray<readonly [string, number]> = [];

function selfNamesOfLine(line: string): ReadonlyArray<readonly [string, number]> {
  // Every self-name holds 本 (NFKC maps no other character to it: checked in tests/unit/selfReference.test.ts).
  if (!line.includes('本')) return NO_NAMES;
  let hit = selfNameCache.get(line);
  if (hit) return hit;
  const counts = new Map<string, number>();
  for (const m of line.normalize('NFKC').matchAll(SELF_NAME)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  hit = counts.size === 0 ? NO_NAMES : [...counts];
  if (selfNameCache.size >= SELF_NAME_LIMIT) selfNameCache.clear();
  // Detached: the line is a slice of the document, which a cache key would keep alive whole.
  selfNameCache.set(detached(line), hit);
  return hit;
}

/**
 * The body's self-reference as written in a text (本区, 本協議会 …), the most frequent one, or null.
 * Counted line by line: NFKC never joins characters across a line break and no self-name spans one, so
 * the counts (and the order names first occur in, which breaks ties) are those of the whole text.
 */
export function detectSelfReference(text: string): string | null {
  const counts = new Map<string, number>();
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    const line = nl < 0 ? text.slice(from) : text.slice(from, nl);
    addSelfNames(counts, line);
    if (nl < 0) break;
    from = nl + 1;
  }
  return mostFrequent(counts);
}

/**
 * detectSelfReference of the text the lines were split from, up to the offset `end`: the same counts (no
 * self-name spans a line break, of any kind), read from the lines' own strings, which the parser keeps
 * across edits (their cache look-ups hash nothing again), without cutting the text into lines.
 */
export function detectSelfReferenceInLines(lines: readonly { readonly text: string }[], starts: ArrayLike<number>, end: number): string | null {
  const counts = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const start = starts[i]!;
    if (start >= end) break;
    const line = lines[i]!.text;
    addSelfNames(counts, start + line.length > end ? line.slice(0, end - start) : line);
  }
  return mostFrequent(counts);
}

function addSelfNames(counts: Map<string, number>, line: string): void {
  const names = selfNamesOfLine(line);
  for (let i = 0; i < names.length; i++) {
    const [k, n] = names[i]!;
    counts.set(k, (counts.get(k) ?? 0) + n);
  }
}

function mostFrequent(counts: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [k, n] of counts) {
    if (n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  return best;
}
