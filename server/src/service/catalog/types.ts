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
  /** Id in the guideline's own numbering, e.g. `6.1(3)②`, `2(2)⑥(ウ)`, `基本方針 2(5)`. */
  readonly id: string;
  readonly part: GuidelinePart;
  /** Id of the parent item, or null for a top-level section. */
  readonly parent: string | null;
  readonly level: CatalogLevel;
  /** Id of the leaf section the item belongs to (`6.1`, `3`, `基本方針 6`). */
  readonly section: string;
  readonly sectionTitle: string;
  /** The number as written in the guideline (`(３)`, `②`, `（ウ）`), or null for unnumbered paragraphs. */
  readonly number: string | null;
  /** Title of a titled item (`(１) 情報資産の分類`), or null. */
  readonly title: string | null;
  /** The complete 例文 text of this item alone (not of its children), joined across line and page breaks. */
  readonly text: string;
  /** True when the guideline marks the item 【推奨事項】 (directly or by inheritance from its parent). */
  readonly recommended: boolean;
  /** 1-based line in guideline.txt where the item starts. */
  readonly sourceLine: number;
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
