/**
 * The guideline catalog: the 例文 of 「地方公共団体における情報セキュリティポリシーに関するガイドライン」
 * turned into data by `scripts/buildCatalog.ts`. The JSON is committed; nothing reads the guideline text at run time.
 */

export type GuidelinePart = 'basic-policy' | 'standards';

/** Level of a catalog item in the guideline's own numbering: 6 → 6.1 → (3) → ② → （ア） → ・, plus unnumbered paragraphs. */
export type CatalogLevel = 'part' | 'section' | 'subsection' | 'item' | 'subitem' | 'subsubitem' | 'bullet' | 'paragraph';

export interface Commentary {
  /** 趣旨 text, when the 解説 has one. */
  readonly purpose?: string;
  /** 解説 text. */
  readonly text: string;
  /** 1-based line in guideline.txt where this 解説 starts. */
  readonly sourceLine: number;
}

export interface CatalogItem {
  /**
   * Id in the guideline's own numbering, e.g. `6.1(3)②`, `2(2)⑥(ウ)`, `基本方針 2(5)`: the section number (rebuilt,
   * the extraction lost it; 基本方針 sections are prefixed `基本方針 `), then `(n)` with ASCII digits, the circled
   * number, `(カナ)` with half-width parentheses. Unnumbered items get a synthetic suffix: `#p1` for the k-th
   * unnumbered paragraph directly under a section (`7.5#p1`, `9.3#p1`), `#b1` for the k-th ・ bullet of its parent
   * (`8.1(2)#b3`), `#機密性3` for a row of the 2 (1) classification tables. The two parts are items `基本方針` and
   * `対策基準` (level `part`; the 対策基準 preamble is the text of the latter).
   */
  readonly id: string;
  readonly part: GuidelinePart;
  /** Id of the parent item, or null for a part or a top-level section. */
  readonly parent: string | null;
  readonly level: CatalogLevel;
  /** Id of the leaf section the item belongs to (`6.1`, `3`, `基本方針 6`). */
  readonly section: string;
  readonly sectionTitle: string;
  /**
   * The number as written in the guideline (`(３)`, `②`, `（ウ）`, `・`), or null for parts, sections (their numbers
   * were lost in extraction; see `id`), unnumbered paragraphs and table rows.
   */
  readonly number: string | null;
  /**
   * Title of a titled item (`(１) 情報資産の分類`): an item line that does not end a sentence and is followed by a
   * body or by deeper items. Sections carry their heading; table rows their class (`機密性３`). Otherwise null.
   */
  readonly title: string | null;
  /**
   * The complete 例文 text of this item alone (not of its children, not its title), joined across line and page
   * breaks; separate paragraphs of one item are joined with `\n`. The 【推奨事項】 mark is removed (see below).
   */
  readonly text: string;
  /** True when the guideline marks the item 【推奨事項】 (directly or by inheritance from its parent). */
  readonly recommended: boolean;
  /** True when the item itself carries the 【推奨事項】 mark (17 items in the 対策基準). */
  readonly recommendedMark: boolean;
  /** 1-based line in guideline.txt where the item starts. */
  readonly sourceLine: number;
  /**
   * The 第3編 解説 of a section (趣旨 + the whole (解説)) or of an (n) item (its sub-block of the (解説)); null for
   * other items (use the nearest ancestor's, see `commentaryFor` in index.ts) and for 7.6, which has no 解説.
   */
  readonly commentary: Commentary | null;
}

export interface CatalogRole {
  /** Name as written in the 例文, e.g. 最高情報セキュリティ責任者. */
  readonly name: string;
  /** Abbreviations and aliases defined with it (CISO, CSIRT). */
  readonly aliases: readonly string[];
  /** Id of the item that appoints/defines it, or null when the 例文 use it without defining it. */
  readonly definedIn: string | null;
  /** Ids of items that mention it. */
  readonly usedIn: readonly string[];
}

export type RelationKind = 'approve' | 'permit' | 'report' | 'notify' | 'appoint' | 'instruct';

export interface CatalogRelation {
  readonly kind: RelationKind;
  /** Who approves / receives / appoints. */
  readonly authority: string;
  /** Who asks / reports / is appointed, when stated. */
  readonly subject: string | null;
  /** The action concerned, in the 例文's words (e.g. 情報資産の外部への持ち出し). */
  readonly action: string;
  readonly itemId: string;
}

export interface CatalogTerm {
  readonly term: string;
  readonly definition: string;
  readonly itemId: string | null;
  readonly sourceLine: number;
}

export interface Catalog {
  readonly guideline: { readonly title: string; readonly edition: string };
  readonly items: readonly CatalogItem[];
  readonly roles: readonly CatalogRole[];
  readonly relations: readonly CatalogRelation[];
  readonly terms: readonly CatalogTerm[];
}
