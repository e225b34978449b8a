/**
 * The strength of what a clause requires, read from its sentence endings. である and です・ます styles
 * are both understood: 〜しなければならない and 〜しなければなりません, 〜する and 〜します are obligations.
 */
export type Modality =
  | 'obligation' // しなければならない / ものとする / 〜すること / する。 / します。
  | 'prohibition' // してはならない / 〜ないこと
  | 'effort' // 努める / 努めなければならない / 努力する
  | 'desirable' // 望ましい / 推奨する
  | 'permission' // ことができる / 差し支えない
  | 'none';

const STRENGTH: Record<Modality, number> = { obligation: 3, prohibition: 3, effort: 1, desirable: 1, permission: 0, none: -1 };

const PATTERNS: ReadonlyArray<readonly [Modality, RegExp]> = [
  ['prohibition', /(?:て|で)は(?:ならない|なりません|いけない|いけません)|ないこと$|禁止する|禁止します|認めない|認めません|認められない/],
  ['effort', /努め(?:る|ます|なければ|ねば|るもの)|努力(?:する|します)|ように配慮|よう配慮/],
  ['desirable', /望ましい|望まれる|推奨(?:する|します|される)|が好ましい/],
  ['permission', /ことができる|ことができます|差し支えない|差し支えありません|(?:て|で)もよい|(?:て|で)も構わない/],
  ['obligation', /なければならない|なければなりません|ねばならない|ものとする|ものとします|こととする|こととします|必要がある|必要があります|義務を負う|しなければ|こと$|(?:する|します|ずる|じる|ます|う|る|とする)。?$/],
];

/** The modality of one sentence. */
export function sentenceModality(sentence: string): Modality {
  const s = sentence.replace(/[\s。．.]+$/u, '');
  // Effort and permission phrases win over the obligation ending they are often wrapped in
  // (努めなければならない is an effort clause, not an obligation).
  // Indexed, without destructuring: an iterator step each, in code a first analysis runs before it is optimised.
  for (let i = 0; i < PATTERNS.length; i++) if (PATTERNS[i]![1].test(s)) return PATTERNS[i]![0];
  return 'none';
}

/** Modalities of the texts read (a clause's and a 例文's): a text's modality depends on its text alone. */
const textCache = new Map<string, Modality>();
const TEXT_CACHE_LIMIT = 20_000;

/** The strongest modality among the sentences of a text. */
export function textModality(text: string): Modality {
  let m = textCache.get(text);
  if (m === undefined) {
    m = computeTextModality(text);
    if (textCache.size >= TEXT_CACHE_LIMIT) textCache.clear();
    textCache.set(text, m);
  }
  return m;
}

function computeTextModality(text: string): Modality {
  let best: Modality = 'none';
  for (const sentence of text.split(/(?<=。)/u)) {
    if (!sentence.trim()) continue;
    const m = sentenceModality(sentence);
    if (STRENGTH[m] > STRENGTH[best]) best = m;
  }
  return best;
}

/** True when `draft` asks for less than `model` does (しなければならない → 努める / 望ましい / ことができる). */
export function isWeakened(model: Modality, draft: Modality): boolean {
  return (model === 'obligation' || model === 'prohibition') && (draft === 'effort' || draft === 'desirable' || draft === 'permission');
}
