import type { Finding, TextRange } from '../types';

/**
 * Kinds of provision, named after the e-Gov law XML vocabulary (see ARCHITECTURE.md glossary).
 * Outline-style policies (1 / (1) / ① / (ア)) map onto the same kinds by depth:
 * `1` → section, `1.1` → subsection, `(1)` → item, `①` / `ア` → subitem1, `(ア)` → subitem2 …
 */
export type ProvisionKind =
  | 'part' // 編
  | 'chapter' // 第N章
  | 'section' // 第N節, or a top-level numbered heading `1` in outline style
  | 'subsection' // `1.1` in outline style
  | 'article' // 第N条
  | 'paragraph' // 項: `2`, `２` inside an article
  | 'item' // 号: `(1)`, `（一）`, `一`
  | 'subitem1' // `ア`, `①`, `イ`(イロハ)
  | 'subitem2' // `(ア)`, `（ア）`
  | 'subitem3'
  | 'supplementary' // 附則
  | 'heading'; // an unnumbered Markdown heading that still structures the text

/** How a number is written; a list whose members disagree gets a `mixed-numbering-style` finding. */
export type NumberStyle =
  | 'article' // 第N条
  | 'chapter' // 第N章
  | 'part' // 第N編
  | 'section-kanji' // 第N節
  | 'arabic' // 1 / １
  | 'dotted' // 1.1 / １．１
  | 'paren-arabic' // (1) / （１）
  | 'circled' // ①
  | 'katakana' // ア (アイウ order)
  | 'iroha' // イ ロ ハ
  | 'paren-katakana' // (ア) / （ア）
  | 'kanji' // 一 二 三
  | 'paren-kanji' // （一）
  | 'none';

export interface ProvisionNode {
  readonly kind: ProvisionKind;
  readonly style: NumberStyle;
  /** The number exactly as written (`第三条の二`, `(1 1)`, `①`), or null. */
  readonly numberText: string | null;
  /** The number as values: 第三条の二 → [3, 2]; 1.1 → [1, 1]; ③ → [3]; null when unnumbered. */
  readonly number: readonly number[] | null;
  /** Caption or title: （目的） for an article, the heading text for a section. */
  readonly title: string | null;
  /** The whole provision, children included. */
  readonly range: TextRange;
  /** The line (or heading) that opens the provision. */
  readonly headRange: TextRange;
  /** The number token, when there is one. */
  readonly numberRange: TextRange | null;
  /** The provision's own text (without children), line breaks and extraction noise joined. */
  readonly text: string;
  readonly children: readonly ProvisionNode[];
}

export type PolicyKind = 'basic-policy' | 'standards' | 'procedures' | 'combined' | 'unknown';
export type OrganisationType = '市' | '区' | '町' | '村' | '都道府県' | 'その他';

export interface FrontMatter {
  /** Raw parsed YAML (object), or null when absent or broken. */
  readonly data: Readonly<Record<string, unknown>> | null;
  readonly range: TextRange | null;
}

export interface Reference {
  /** The reference text as written: 前条, 第5条第2項, 「(1)の分類」 … */
  readonly text: string;
  readonly range: TextRange;
  /** The provision it points to, or null when it cannot be resolved (then a finding is reported). */
  readonly target: ProvisionNode | null;
}

export interface ParsedPolicy {
  readonly text: string;
  readonly frontMatter: FrontMatter;
  readonly kind: PolicyKind;
  readonly organisationName: string | null;
  readonly organisationType: OrganisationType | null;
  /** The body's name for itself: 本市, 本区, 本協議会 … */
  readonly selfReference: string | null;
  readonly provisions: readonly ProvisionNode[];
  readonly references: readonly Reference[];
  /** Structure findings found while parsing (numbering, references, front matter). */
  readonly findings: readonly Finding[];
}
