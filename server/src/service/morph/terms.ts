import type { Token } from './types';

const LIGHT_VERBS = new Set(['する', 'なる', 'ある', 'いる', 'できる', 'れる', 'られる', 'せる', 'させる', 'おく', 'いく', 'くる', 'もらう', 'くださる', 'いただく', 'いう', '行う', '努める', '図る', '講ずる', '講じる', '定める']);
const STOP_NOUNS = new Set(['こと', 'もの', 'ため', 'よう', 'とき', 'ところ', '場合', '等', '者', '旨', '上', '中', '内', '他', 'ほか', '以下', '以上', '以外', '次', '各', '当該', '前', '後', '際', '必要', '事項', '適切', '十分', '確実', '可能', '所', 'これ', 'それ', 'その', '本市']);
/** Per-part tests of a noun run, built once (a regular expression literal is a new object per evaluation). */
const SYMBOLS_ONLY = /^[\p{P}\p{S}\d]+$/u;
const NUMBER_ONLY = /^[\d.]+$/;

function isNounPart(t: Token): boolean {
  if (t.pos === '接頭詞' && t.pos1 === '名詞接続') return true;
  if (t.pos !== '名詞') return false;
  return t.pos1 !== '非自立' && t.pos1 !== '代名詞' && t.pos1 !== '副詞可能' ? true : t.pos1 === '副詞可能' && t.surface.length > 1;
}

/**
 * Content terms of a sentence, for comparing clauses: compound nouns (統括情報セキュリティ責任者) and their
 * parts, and the base forms of independent verbs and adjectives, as a set in the order they come (sums
 * over it are taken in that order). Particles, auxiliaries, symbols, numbers (numbering, not content)
 * and the light verbs that carry modality (する, なる, ある, できる …) are dropped: modality is judged
 * separately. Reads no token's `start` (the alignment tokenises without positions).
 */
export function contentTerms(tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  // The noun run being read: tokens[runStart…i) (-1: none).
  let runStart = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isNounPart(t)) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0) {
      flushRun(tokens, runStart, i, out);
      runStart = -1;
    }
    if ((t.pos === '動詞' && t.pos1 === '自立') || (t.pos === '形容詞' && t.pos1 === '自立')) {
      if (!LIGHT_VERBS.has(t.base)) out.add(t.base);
    }
  }
  if (runStart >= 0) flushRun(tokens, runStart, tokens.length, out);
  return out;
}

/** The terms of the noun run tokens[from…to): its parts (numbers and prefixes dropped), then the compound. */
function flushRun(tokens: readonly Token[], from: number, to: number, out: Set<string>): void {
  const length = to - from;
  let whole = '';
  for (let k = from; k < to; k++) {
    const p = tokens[k]!;
    whole += p.surface;
    if (p.pos1 === '数' || p.pos === '接頭詞') continue;
    // A one-character part of a compound (持 of 持出, 年 of 年1回) says little on its own.
    if (p.surface.length < 2 && length > 1) continue;
    if (p.pos1 === '接尾' && p.surface.length < 2) continue;
    if (!STOP_NOUNS.has(p.surface) && !SYMBOLS_ONLY.test(p.surface)) out.add(p.surface);
  }
  if (length > 1 && !NUMBER_ONLY.test(whole) && !STOP_NOUNS.has(whole)) out.add(whole);
}
