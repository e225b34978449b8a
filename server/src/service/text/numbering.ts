/**
 * The numbering grammar of Japanese policy and statute texts: kanji numerals, 第N条のM branch numbers,
 * full-width digits, circled numbers, アイウ and イロハ order, and the marker forms that open a provision.
 * Pure string functions; offsets are UTF-16 indices into the string passed in.
 */
import type { NumberStyle } from '../parse/types';


/** Full-width ASCII (digits, letters, parentheses, dot, space) → half-width; everything else unchanged. */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Arabic digits, full- or half-width, with extraction spaces inside (`1 1` → 11). Null when not a number. */
export function parseArabic(s: string): number | null {
  const t = toHalfWidth(s).replace(/\s+/g, '');
  if (!/^\d{1,6}$/.test(t)) return null;
  return Number(t);
}

const KANJI_DIGITS: Readonly<Record<string, number>> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 壱: 1, 弐: 2, 参: 3,
};
const KANJI_UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 千: 1000 };

/** Kanji numerals: 一, 十二, 九十九, 百, 百二十三, 千, and positional 一〇 / 二〇. Null when not a numeral. */
export function parseKanjiNumeral(s: string): number | null {
  if (s.length === 0) return null;
  let hasUnit = false;
  for (const ch of s) {
    if (KANJI_UNITS[ch] !== undefined) hasUnit = true;
    else if (KANJI_DIGITS[ch] === undefined) return null;
  }
  if (!hasUnit) {
    let v = 0;
    for (const ch of s) v = v * 10 + KANJI_DIGITS[ch]!;
    return s.length > 1 && s.startsWith('〇') ? null : v;
  }
  let total = 0;
  let digit: number | null = null;
  let lastUnit = Infinity;
  for (const ch of s) {
    const unit = KANJI_UNITS[ch];
    if (unit !== undefined) {
      if (unit >= lastUnit || digit === 0) return null;
      total += (digit ?? 1) * unit;
      digit = null;
      lastUnit = unit;
    } else {
      if (digit !== null) return null;
      digit = KANJI_DIGITS[ch]!;
    }
  }
  if (digit !== null) total += digit;
  return total === 0 ? null : total;
}

/** Kanji numeral or arabic digits (full/half width). */
export function parseNumeral(s: string): number | null {
  return parseArabic(s) ?? parseKanjiNumeral(s);
}

export function toKanjiNumeral(n: number): string {
  if (n <= 0 || !Number.isInteger(n) || n >= 10000) return String(n);
  const d = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  let out = '';
  const th = Math.floor(n / 1000);
  const h = Math.floor((n % 1000) / 100);
  const t = Math.floor((n % 100) / 10);
  const o = n % 10;
  if (th) out += (th > 1 ? d[th] : '') + '千';
  if (h) out += (h > 1 ? d[h] : '') + '百';
  if (t) out += (t > 1 ? d[t] : '') + '十';
  if (o) out += d[o];
  return out;
}

/** ①–⑳ (U+2460), ㉑–㉟ (U+3251), ㊱–㊿ (U+32B1). */
export function circledValue(ch: string): number | null {
  const c = ch.codePointAt(0) ?? 0;
  if (ch.length !== 1) return null;
  if (c >= 0x2460 && c <= 0x2473) return c - 0x2460 + 1;
  if (c >= 0x3251 && c <= 0x325f) return c - 0x3251 + 21;
  if (c >= 0x32b1 && c <= 0x32bf) return c - 0x32b1 + 36;
  return null;
}

export function toCircled(n: number): string {
  if (n >= 1 && n <= 20) return String.fromCharCode(0x2460 + n - 1);
  if (n >= 21 && n <= 35) return String.fromCharCode(0x3251 + n - 21);
  if (n >= 36 && n <= 50) return String.fromCharCode(0x32b1 + n - 36);
  return `(${n})`;
}

export const GOJUON = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン';
export const IROHA = 'イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン';

export type KanaOrder = 'gojuon' | 'iroha';

/** Position (1-based) of a katakana letter in アイウ or イロハ order. */
export function kanaValue(ch: string, order: KanaOrder): number | null {
  const i = (order === 'iroha' ? IROHA : GOJUON).indexOf(ch);
  return ch.length === 1 && i >= 0 ? i + 1 : null;
}

export function toKana(n: number, order: KanaOrder): string {
  const s = order === 'iroha' ? IROHA : GOJUON;
  return n >= 1 && n <= s.length ? s[n - 1]! : String(n);
}

/**
 * Decides the kana order of one list from its letters: イ ロ … is イロハ, anything else アイウ.
 * A list of only イ is taken as イロハ (a lone イ in アイウ would be a gap).
 */
export function kanaOrderOf(letters: readonly string[]): KanaOrder {
  if (letters.length === 0 || letters[0] !== 'イ') return 'gojuon';
  if (letters.length === 1) return 'iroha';
  return letters[1] === 'ロ' ? 'iroha' : 'gojuon';
}

/** A structural family: markers of one family are siblings; the style tells how the number is written. */
export type MarkerFamily =
  | 'part'
  | 'chapter'
  | 'section-kanji'
  | 'article'
  | 'supplementary'
  | 'arabic'
  | 'dotted2'
  | 'dotted3'
  | 'paren-arabic'
  | 'circled'
  | 'katakana'
  | 'paren-katakana'
  | 'kanji'
  | 'paren-kanji'
  | 'paren-latin';

export interface Marker {
  readonly family: MarkerFamily;
  readonly style: NumberStyle;
  /** The number token as written, e.g. `第三条の二`, `(1 1)`, `①`. */
  readonly numberText: string;
  /** Values; for katakana the アイウ position (re-valued per list when the list turns out to be イロハ). */
  readonly number: readonly number[];
  /** The katakana letter, for order detection. */
  readonly kana?: string;
  /** Offsets of the number token within the string. */
  readonly start: number;
  readonly end: number;
  /** Offset where the text after the marker (and its separator) starts. */
  readonly restStart: number;
}

const NUM = '[0-9０-９]+|[〇一二三四五六七八九十百千]+';
const STRUCT_RE = new RegExp(
  `^第[ \\u3000]*(${NUM})[ \\u3000]*(編|章|節|条)((?:[のノ](?:${NUM}))*)`,
);
const BRANCH_RE = new RegExp(`[のノ](${NUM})`, 'g');
const SUPPL_RE = /^(附|付)[ \u3000]*則(?=[ \u3000（(]|$)/;
const DOTTED_RE = /^([0-9０-９]{1,3})[.．]([0-9０-９]{1,3})(?:[.．]([0-9０-９]{1,3}))?[.．]?(?=[ \u3000\t]|$)/;
const ARABIC_RE = /^([0-9０-９]{1,3})([.．、]?)(?=[ \u3000\t])/;
const PAREN_NUM_RE = /^[(（][ \u3000]?([0-9０-９](?:[ \u3000]?[0-9０-９]){0,2})[ \u3000]?[)）]/;
const PAREN_KANA_RE = /^[(（]([ア-ン])[)）]/;
const PAREN_KANJI_RE = /^[(（]([〇一二三四五六七八九十百]+)[)）]/;
const PAREN_LATIN_RE = /^[(（]([a-zａ-ｚ])[)）]/;
const KANA_RE = /^([ア-ン])(?=[ \u3000\t])/;
const KANJI_RE = /^([一二三四五六七八九十百]+)(?=[ \u3000\t])/;
/** Superscript footnote markers that extraction glues to numbers. */
const FOOTNOTE_RE = /^[¹²³⁰⁴-⁹]+/;
/**
 * A counter or unit right after a leading number means the number is part of a sentence (`2 名`, `1 階`),
 * unless the character starts a word of a heading (`5 人的セキュリティ`, `2 分類`, `3 個人情報`, `4 部局`).
 */
const COUNTER_AFTER_RE =
  /^[ \u3000]*(?:年(?!次)|月(?!次)|日(?!常)|階(?!層)|名(?!称|簿)|人(?!的|事|材|員)|回(?!線|復)|時|分(?!類|離|析|散|掌|野)|歳|号|条(?!件)|項(?!目)|章|節|件(?!名)|個(?!人|別)|台(?!帳)|枚|部(?!局|署|門|分)|％|%|か月|ヶ月|箇所)/;

function separatorEnd(s: string, i: number): number {
  const fn = FOOTNOTE_RE.exec(s.slice(i));
  if (fn) i += fn[0].length;
  while (i < s.length && (s[i] === ' ' || s[i] === '\u3000' || s[i] === '\t')) i++;
  return i;
}

/**
 * Recognises the marker that opens a provision at `from` in `s` (after any Markdown prefix was skipped).
 * Returns null for ordinary text.
 */
export function matchMarker(s: string, from = 0): Marker | null {
  const t = from === 0 ? s : s.slice(from);
  const mk = (m: Omit<Marker, 'start' | 'end' | 'restStart'>, len: number): Marker => ({
    ...m,
    start: from,
    end: from + len,
    restStart: from + separatorEnd(t, len),
  });
  const first = t.charAt(0);
  if (first === '第') {
    const m = STRUCT_RE.exec(t);
    if (!m) return null;
    const n = parseNumeral(m[1]!);
    if (n === null) return null;
    const values = [n];
    for (const b of m[3]!.matchAll(BRANCH_RE)) {
      const v = parseNumeral(b[1]!);
      if (v === null) return null;
      values.push(v);
    }
    const unit = m[2]!;
    const family: MarkerFamily =
      unit === '編' ? 'part' : unit === '章' ? 'chapter' : unit === '節' ? 'section-kanji' : 'article';
    const style: NumberStyle = family === 'section-kanji' ? 'section-kanji' : family;
    return mk({ family, style, numberText: m[0], number: values }, m[0].length);
  }
  if (first === '附' || first === '付') {
    const m = SUPPL_RE.exec(t);
    return m ? mk({ family: 'supplementary', style: 'none', numberText: m[0], number: [] }, m[0].length) : null;
  }
  if (first === '(' || first === '（') {
    let m = PAREN_NUM_RE.exec(t);
    if (m) {
      const v = parseArabic(m[1]!);
      if (v === null) return null;
      return mk({ family: 'paren-arabic', style: 'paren-arabic', numberText: m[0], number: [v] }, m[0].length);
    }
    m = PAREN_KANA_RE.exec(t);
    if (m) {
      const v = kanaValue(m[1]!, 'gojuon');
      if (v === null) return null;
      return mk(
        { family: 'paren-katakana', style: 'paren-katakana', numberText: m[0], number: [v], kana: m[1]! },
        m[0].length,
      );
    }
    m = PAREN_KANJI_RE.exec(t);
    if (m) {
      const v = parseKanjiNumeral(m[1]!);
      if (v === null) return null;
      return mk({ family: 'paren-kanji', style: 'paren-kanji', numberText: m[0], number: [v] }, m[0].length);
    }
    m = PAREN_LATIN_RE.exec(t);
    if (m) {
      const v = toHalfWidth(m[1]!).charCodeAt(0) - 96;
      return mk({ family: 'paren-latin', style: 'none', numberText: m[0], number: [v] }, m[0].length);
    }
    return null;
  }
  const circled = circledValue(first);
  if (circled !== null) {
    return mk({ family: 'circled', style: 'circled', numberText: first, number: [circled] }, 1);
  }
  if (/[0-9０-９]/.test(first)) {
    let m = DOTTED_RE.exec(t);
    if (m) {
      const values = [m[1], m[2], m[3]].filter((x): x is string => x !== undefined).map((x) => parseArabic(x)!);
      return mk(
        { family: values.length === 3 ? 'dotted3' : 'dotted2', style: 'dotted', numberText: m[0], number: values },
        m[0].length,
      );
    }
    m = ARABIC_RE.exec(t);
    if (m && !COUNTER_AFTER_RE.test(t.slice(m[0].length))) {
      const rest = t.slice(m[0].length).trim();
      if (rest.length === 0) return null;
      return mk({ family: 'arabic', style: 'arabic', numberText: m[0], number: [parseArabic(m[1]!)!] }, m[0].length);
    }
    return null;
  }
  let m = KANA_RE.exec(t);
  if (m) {
    return mk(
      { family: 'katakana', style: 'katakana', numberText: m[1]!, number: [kanaValue(m[1]!, 'gojuon')!], kana: m[1]! },
      m[1]!.length,
    );
  }
  m = KANJI_RE.exec(t);
  if (m) {
    const v = parseKanjiNumeral(m[1]!);
    if (v === null || COUNTER_AFTER_RE.test(t.slice(m[0].length))) return null;
    return mk({ family: 'kanji', style: 'kanji', numberText: m[1]!, number: [v] }, m[1]!.length);
  }
  return null;
}

/** Writes a number in a style, for messages: `第4条`, `(4)`, `④`, `エ`, `（エ）`. */
export function formatNumber(style: NumberStyle, number: readonly number[], order: KanaOrder = 'gojuon'): string {
  const n = number[0] ?? 0;
  const branch = number
    .slice(1)
    .map((b) => `の${b}`)
    .join('');
  switch (style) {
    case 'article':
      return `第${n}条${branch}`;
    case 'chapter':
      return `第${n}章${branch}`;
    case 'part':
      return `第${n}編${branch}`;
    case 'section-kanji':
      return `第${n}節${branch}`;
    case 'arabic':
      return String(n);
    case 'dotted':
      return number.join('.');
    case 'paren-arabic':
      return `(${n})`;
    case 'circled':
      return toCircled(n);
    case 'katakana':
      return toKana(n, 'gojuon');
    case 'iroha':
      return toKana(n, 'iroha');
    case 'paren-katakana':
      return `(${toKana(n, order)})`;
    case 'kanji':
      return toKanjiNumeral(n);
    case 'paren-kanji':
      return `（${toKanjiNumeral(n)}）`;
    case 'none':
      return String(n);
  }
}
