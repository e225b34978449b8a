/**
 * Random policy drafts for the fuzz properties: Markdown mixed with Japanese numbering fragments
 * (第N条, 第三条の二, (1), （一）, ①, (ア), ア, イロハ, 1.1 …), references, headings, list items, tables, HTML,
 * code fences, front matter (valid and broken YAML), guideline sentences, and hostile text: CR/CRLF/LF mixed,
 * BOM, surrogate pairs and lone surrogates, combining characters, NUL and other controls, very long lines.
 */
import fc from 'fast-check';
import { loadCatalog } from '../../server/src/service/catalog';

const digits = (n: number): string => String(n);
const fullWidth = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const KANJI = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '二十', '二十一', '百', '百一'];
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑'.split('');
const KATAKANA = ['ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ロ', 'ハ', 'ニ', 'ホ', 'ヘ', 'ト'];

const smallInt = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) });
/** A number as drafts write it: 3, ３ or 三. */
const num = fc.oneof(smallInt.map(digits), smallInt.map((n) => fullWidth(digits(n))), fc.constantFrom(...KANJI));

/** The number token that opens a provision line. */
export const marker: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: num.map((n) => `第${n}条`) },
  { weight: 2, arbitrary: fc.tuple(num, num).map(([a, b]) => `第${a}条の${b}`) },
  { weight: 1, arbitrary: num.map((n) => `第${n}章`) },
  { weight: 1, arbitrary: num.map((n) => `第${n}節`) },
  { weight: 1, arbitrary: num.map((n) => `第${n}編`) },
  { weight: 1, arbitrary: fc.constant('附則') },
  { weight: 3, arbitrary: num.map((n) => n) },
  { weight: 3, arbitrary: num.map((n) => `(${n})`) },
  { weight: 2, arbitrary: num.map((n) => `（${n}）`) },
  { weight: 2, arbitrary: fc.constantFrom(...CIRCLED) },
  { weight: 2, arbitrary: fc.constantFrom(...KATAKANA) },
  { weight: 2, arbitrary: fc.constantFrom(...KATAKANA).map((k) => `(${k})`) },
  { weight: 1, arbitrary: fc.constantFrom(...KATAKANA).map((k) => `（${k}）`) },
  { weight: 2, arbitrary: fc.tuple(smallInt, smallInt).map(([a, b]) => `${a}.${b}`) },
  { weight: 1, arbitrary: fc.tuple(smallInt, smallInt, smallInt).map(([a, b, c]) => `${a}.${b}.${c}`) },
  { weight: 1, arbitrary: fc.tuple(smallInt, smallInt).map(([a, b]) => fullWidth(`${a}．${b}`)) },
  { weight: 1, arbitrary: smallInt.map((n) => `${n}.`) },
);

const caption = fc.constantFrom('（目的）', '(定義)', '（対象範囲）', '（情報資産の分類）', '（', '）', '()', '（）', '');

const reference = fc.oneof(
  fc.constantFrom('前条', '次条', '前項', '同項', '同条', '前各項', '前条第1号', '前項第2号', '上記3', '「(1)の分類」', '同号'),
  fc.tuple(num, num).map(([a, b]) => `第${a}条第${b}項`),
  fc.tuple(num, num, num).map(([a, b, c]) => `第${a}条第${b}項第${c}号`),
  num.map((n) => `第${n}条`),
);

const catalogSentences: readonly string[] = (() => {
  const items = loadCatalog().items.filter((i) => i.text.length > 0 && i.text.length < 160);
  // A fixed, spread-out sample keeps the generator deterministic and small.
  return items.filter((_, i) => i % 7 === 0).map((i) => i.text);
})();

/** Guideline sentences, sometimes weakened or marked, so that the alignment rules have something to find. */
const guidelineSentence = fc.tuple(fc.constantFrom(...catalogSentences), fc.nat(3)).map(([s, how]) =>
  how === 0 ? s.replace(/しなければならない/g, '努める') : how === 1 ? `${s}【推奨事項】` : s,
);

const japanese = fc.constantFrom(
  '情報資産を適切に管理しなければならない。',
  '職員等は、',
  'CISO は、必要に応じて',
  '本市の情報セキュリティ対策を定める。',
  'するよう努める。',
  '次に掲げるとおりとする。',
  '以下「CISO」という。',
  '情報セキュリティ管理者',
  '【推奨事項】',
  '、',
  '。',
);

/** Characters that break naive offset arithmetic or regular expressions. */
const hostile = fc.constantFrom(
  '\u0000', '\u0001', '\u0007', '\u001b', '\uFEFF', '\u200B', '\u2028', '\u2029', '\u0085', '\u000B', '\u000C',
  '𠮷', '🍣', '👨‍👩‍👧', 'か\u3099', 'e\u0301', '\u0301', '\uD800', '\uDC00', '\uDBFF\uDFFF',
  '\t', '\u3000', ' ', '\\', '`', '|', '<', '>', '&amp;', '[', ']', '(', ')', '*', '_', '~', '#', '---', '"', "'",
);

const fragment = fc.oneof(
  { weight: 6, arbitrary: japanese },
  { weight: 3, arbitrary: reference },
  { weight: 2, arbitrary: hostile },
  { weight: 2, arbitrary: guidelineSentence },
  { weight: 1, arbitrary: marker },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

/** Inline text: a few fragments. */
export const inline: fc.Arbitrary<string> = fc.array(fragment, { maxLength: 5 }).map((xs) => xs.join(''));

const separator = fc.constantFrom(' ', '　', '', '\t', '  ', '．', '.');
const linePrefix = fc.constantFrom('', '', '', '# ', '## ', '### ', '#### ', '###### ', '####### ', '- ', '* ', '+ ', '1. ', '  ', '    ', '\t', '> ', '- - ', '  - ');

const provisionLine = fc.tuple(linePrefix, marker, separator, caption, inline).map(([p, m, s, c, t]) => `${p}${m}${s}${c}${t}`);

const block = fc.constantFrom(
  '| 項目 | 内容 |\n|---|---|\n| 第1条 | 目的 |\n| (1) | 前条 |',
  '| a |\n|:-:|',
  '<div>\n第2条 HTML の中\n</div>',
  '<!-- 第3条 コメント -->',
  '<table><tr><td>第1条</td></tr></table>',
  '<br>',
  '```\n第1条 コードの中\n```',
  '```',
  '~~~',
  '    第4条 インデントされたコード',
  '===',
  '***',
  '目次',
  '第1章 総則（第1条－第2条）',
  '第1条 目的……1',
  '第2条 定義・・・・2',
  'ⅰ- 3',
  '[リンク](#第1条)',
  '![画像](x.png)',
  '> 引用 第5条',
  '---',
  '...',
);

/**
 * A very long line (up to 20,000 code units), sometimes with a marker in front. Runs of one character class
 * (aaaa…, アアアア…, 𠮷𠮷…) are quadratic in kuromoji 0.1.2 (4,000 letters take seconds, 20,000 exhaust the heap),
 * so properties that tokenise use `prose` runs unless asked for the hostile ones.
 */
const longLine = (hostileRuns: boolean): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.integer({ min: 1_000, max: hostileRuns ? 20_000 : 3_000 }),
      hostileRuns
        ? fc.constantFrom('あ', '情報', 'a', ' ', '𠮷', '- ', '(1)', 'ア', '（', '1')
        : fc.constantFrom('情報資産を管理する。', '職員等は、𠮷野家の', '- 第1条 ', '(1)ア', '本市は、CISO に報告しなければならない。'),
      fc.boolean(),
    )
    .map(([n, unit, marked]) => `${marked ? '第1条 ' : ''}${unit.repeat(Math.ceil(n / unit.length))}`);

const lineOf = (hostileRuns: boolean): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: provisionLine },
    { weight: 5, arbitrary: inline },
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: caption },
    { weight: 2, arbitrary: block },
    { weight: 2, arbitrary: guidelineSentence },
    { weight: 1, arbitrary: longLine(hostileRuns) },
  );

/** One line of a draft, with long lines that kuromoji handles in linear time. */
export const line: fc.Arbitrary<string> = lineOf(false);

const IROHA = ['イ', 'ロ', 'ハ', 'ニ', 'ホ', 'ヘ', 'ト', 'チ', 'リ', 'ヌ', 'ル', 'ヲ'];
const at = <T>(xs: readonly T[], n: number): T => xs[Math.max(0, n - 1) % xs.length]!;
const kanjiOf = (n: number): string => (n <= 10 ? at(KANJI, n + 1) : `十${at(KANJI, n - 9)}`);

/** Markers per depth: law style (章/条/項/号/イロハ) and outline style (1/(1)/①/ア/(ア)). */
const STYLES: readonly (readonly ((n: number) => string)[])[] = [
  [(n) => `第${n}章`, (n) => `第${kanjiOf(n)}条`, (n) => fullWidth(String(n + 1)), (n) => kanjiOf(n), (n) => at(IROHA, n)],
  [(n) => `第${n}章`, (n) => `第${n}条`, (n) => String(n + 1), (n) => `(${n})`, (n) => at(KATAKANA, n)],
  [(n) => String(n), (n) => `(${n})`, (n) => at(CIRCLED, n), (n) => at(KATAKANA, n), (n) => `(${at(KATAKANA, n)})`],
  [(n) => fullWidth(String(n)), (n) => `（${fullWidth(String(n))}）`, (n) => at(CIRCLED, n), (n) => `（${at(KATAKANA, n)}）`, (n) => at(KATAKANA, n)],
  [(n) => `${n}`, (n) => `1.${n}`, (n) => `(${n})`, (n) => at(CIRCLED, n), (n) => at(KATAKANA, n)],
];

const step = fc.record({
  /** Depth change: a random walk that goes down often enough to reach 号 and イロハ. */
  move: fc.constantFrom(-3, -1, 0, 1, 1, 1),
  /** 1 = next number; 0 repeats it, 2 leaves a gap, -1 goes back. */
  jump: fc.constantFrom(1, 1, 1, 1, 1, 1, 2, 0, -1),
  prefix: fc.constantFrom('bare', 'bare', 'heading', 'list'),
  caption: fc.constantFrom(0, 0, 0, 1, 2),
  text: fc.oneof(japanese, guidelineSentence, inline, fc.tuple(japanese, reference, japanese).map((xs) => xs.join(''))),
});

/** A coherent numbered outline (a random walk over depths), with gaps, repeats and mixed line prefixes. */
const structuredLines: fc.Arbitrary<string[]> = fc
  .tuple(fc.constantFrom(0, 0, 1, 2, 3, 4), fc.array(step, { minLength: 1, maxLength: 40 }), fc.constantFrom(' ', '　', ''))
  .map(([style, steps, space]) => {
    const markers = STYLES[style]!;
    const counters = [0, 0, 0, 0, 0];
    let depth = -1;
    const out: string[] = [];
    for (const s of steps) {
      depth = Math.max(0, Math.min(4, depth + s.move));
      counters[depth] = Math.max(1, counters[depth]! + s.jump);
      for (let d = depth + 1; d < counters.length; d++) counters[d] = 0;
      const m = markers[depth]!(counters[depth]!);
      const prefix = s.prefix === 'heading' ? `${'#'.repeat(depth + 2)} ` : s.prefix === 'list' ? `${'  '.repeat(depth)}- ` : '';
      if (s.caption === 1) out.push('（目的）');
      out.push(`${prefix}${m}${space}${s.caption === 2 ? '（定義）' : ''}${s.text}`);
      if (s.prefix !== 'bare') out.push('');
    }
    return out;
  });

/** Body lines: random lines, or a coherent outline with random lines sprinkled in. */
const bodyLines = (line: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
  fc.oneof(
    fc.array(line, { maxLength: 40 }),
    fc.tuple(structuredLines, fc.array(fc.tuple(fc.nat(), line), { maxLength: 6 })).map(([lines, extra]) => {
      const out = [...lines];
      for (const [i, l] of extra) out.splice(i % (out.length + 1), 0, l);
      return out;
    }),
  );

const kind = fc.constantFrom('基本方針', '対策基準', 'basic-policy', 'standards', '実施手順', 'combined', '', '123', '[x]');
const frontMatterBody = fc.oneof(
  fc.tuple(kind, fc.constantFrom('架空市', '○○町', '本協議会', '')).map(([k, o]) => `kijun:\n  kind: ${k}\n  organisation: ${o}`),
  fc.constantFrom(
    'kijun:\n  kind: 対策基準\n  adopted-recommendations: [4.1(2)①, ５．２（２）②]',
    'kijun:\n  not-applicable:\n    "3": 持たないため\n  omitted:\n    - id: 6.1(14)⑥\n      reason: 別規程',
    'kijun:\n  omitted:\n    - id: 1\n    - 2\n    - {}\n  not-applicable: 3',
    'kijun:\n  adopted-recommendations: 4.1(2)①',
    'kijun: [',
    'kijun: {kind: 基本方針',
    ': : :',
    '\tkind: x',
    'a: &a [*a]',
    'kijun: !!binary xx',
    '- 1\n- 2',
    'just text',
    '"unterminated',
    'policy:\n  kind: 基本方針',
    'kijun:\n  kind: 対策基準\nkijun:\n  kind: 基本方針',
    '',
  ),
  inline.map((t) => `kijun: ${t}`),
);
/** Front matter: valid, broken, unclosed, or none. */
const frontMatter = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: frontMatterBody.map((b) => `---\n${b}\n---\n`) },
  { weight: 1, arbitrary: frontMatterBody.map((b) => `---\n${b}\n...\n`) },
  { weight: 1, arbitrary: frontMatterBody.map((b) => `---\n${b}\n`) },
  { weight: 1, arbitrary: frontMatterBody.map((b) => `---\r\n${b.replace(/\n/g, '\r\n')}\r\n---\r\n`) },
);

const eol = fc.constantFrom('\n', '\r\n', '\r');

/**
 * A whole draft. Line ends are one style per document, or mixed per line. `hostileRuns` adds long runs of one
 * character class, which only the parser (no kuromoji) gets by default.
 */
export const draftOf = (hostileRuns: boolean): fc.Arbitrary<string> =>
  fc
    .record({
      bom: fc.boolean(),
      frontMatter,
      lines: bodyLines(lineOf(hostileRuns)),
      style: fc.oneof(eol, fc.constant('mixed' as const)),
      ends: fc.array(eol, { minLength: 100, maxLength: 100 }),
      trailing: fc.boolean(),
    })
    .map(({ bom, frontMatter: fm, lines, style, ends, trailing }) => {
      const body = lines.map((l, i) => l + (i < lines.length - 1 || trailing ? (style === 'mixed' ? ends[i % ends.length]! : style) : '')).join('');
      const head = style === 'mixed' || style === '\n' ? fm : fm.replace(/\r?\n/g, style);
      return (bom ? '\uFEFF' : '') + head + body;
    });

/** A draft whose tokenisation stays linear (see `longLine`). */
export const draft: fc.Arbitrary<string> = draftOf(false);

/** One edit: replace `remove` code units at `at` (taken modulo the length + 1) with `insert`. */
export interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

export const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  remove: fc.oneof(fc.constant(0), fc.constant(1), fc.nat(40)),
  insert: fc.oneof(
    fc.constant(''),
    fc.constantFrom('あ', '1', '\n', '\r', '\r\n', '\n\n', '第', '条', '（', '）', '\uD800', '𠮷', '-'),
    fragment,
    fc.tuple(line, eol).map(([l, e]) => e + l + e),
  ),
});

export function applyEdit(text: string, e: Edit): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
}
