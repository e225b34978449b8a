import type { RelationKind } from '../catalog/types';
import type { ProvisionNode } from '../parse/types';
import type { TextRange } from '../types';

/** How a role came to be defined. */
export type DefinitionKind =
  | 'appointment' // 副市長をCISOとする / 情報管理者を置き、事務局次長をもってこれに充てる
  | 'establishment' // CSIRT責任者を置く / 委員会を設置する
  | 'alias' // 〜（以下「CISO」という。）, 〜（CISO）
  | 'title'; // the caption of an item of the organisation section: (２) 統括情報セキュリティ責任者

/**
 * One place that defines a role. Other documents' definitions (a 基本方針 or 組織規程 beside a 対策基準)
 * carry their `uri`; the document's own carry none.
 */
export interface RoleDefinition {
  /** The role's name at this place, as written (whitespace removed). */
  readonly name: string;
  /** Other names given here: the abbreviation of 以下「CISO」という, or the full name when `name` is the short one. */
  readonly aliases: readonly string[];
  readonly kind: DefinitionKind;
  /** The name as written at the definition. */
  readonly range: TextRange;
  /** The sentence (or caption) that defines it. */
  readonly clauseRange: TextRange;
  /** A short label of the provision: 第7条, 1(2)①. */
  readonly clauseLabel: string;
  /** The sentence text (whitespace removed), for hover. */
  readonly clauseText: string;
  /** Who holds the role, as written (副市長, 事務局長, or another role), when stated. */
  readonly assignees: readonly string[];
  readonly uri?: string;
}

/** One occurrence of a role name in the document. */
export interface RoleMention {
  /** Canonical name of the role (`Role.name`), or the name as written for a role that is not defined. */
  readonly role: string;
  /** The name as written (whitespace removed). */
  readonly surface: string;
  readonly range: TextRange;
  /** True for the occurrence that defines the role (in a definition, a title, an 以下「」). */
  readonly isDefinition: boolean;
  /** Preceded by の/その/ごとの: possibly a description (システム開発の責任者) rather than a role name. */
  readonly descriptive: boolean;
  /** The sentence it is in. */
  readonly clauseRange: TextRange;
  readonly clauseLabel: string;
}

export interface Duty {
  readonly role: string;
  /** The sentence. */
  readonly range: TextRange;
  readonly clauseLabel: string;
  readonly text: string;
  /** The subject comes from a lead-in (「職員等は、次の事項を遵守しなければならない。」) or an earlier sentence. */
  readonly inherited: boolean;
}

/** A kind of action that approvals and reports are grouped by (持ち出し, 外部接続, 例外措置 …). */
export interface ActionKind {
  /** Stable id (`take-out`), or `other:<text>` for an action no kind fits. */
  readonly id: string;
  /** Japanese label for messages and the matrix. */
  readonly label: string;
}

/** Who permits, approves, receives reports of, or instructs about what, in one clause. */
export interface RoleRelation {
  readonly kind: RelationKind;
  readonly action: ActionKind;
  /** Roles that permit / approve / receive / instruct (canonical names). */
  readonly authorities: readonly string[];
  /** Roles that ask / report / obey, when the clause says (canonical names). */
  readonly requesters: readonly string[];
  /** The requester as written when it is not a role (職員等, 運搬する者). */
  readonly requesterText: string | null;
  /** The approval phrase with its authorities (情報管理者の許可を得). */
  readonly range: TextRange;
  /** The sentence. */
  readonly clauseRange: TextRange;
  readonly clauseLabel: string;
  readonly clauseText: string;
  /** The requester is the main subject of the sentence and the approval is its own predicate (not a relative clause). */
  readonly direct: boolean;
}

/** Who audits (or is told to audit), and who checks their own work (自己点検). */
export interface AuditFact {
  readonly kind: 'audit' | 'self-check';
  readonly role: string;
  readonly range: TextRange;
  readonly clauseRange: TextRange;
  readonly clauseLabel: string;
}

export interface Role {
  /** Canonical name: the full name of the definition (最高情報セキュリティ責任者), or the name as used. */
  readonly name: string;
  readonly aliases: readonly string[];
  /** Definitions in this document first, then in the workspace; empty when undefined. */
  readonly definitions: readonly RoleDefinition[];
  readonly defined: boolean;
}

export interface RoleModel {
  readonly text: string;
  readonly roles: readonly Role[];
  readonly mentions: readonly RoleMention[];
  readonly duties: readonly Duty[];
  readonly relations: readonly RoleRelation[];
  readonly audits: readonly AuditFact[];
  /** The 兼務の禁止 clause, when the document has one. */
  readonly separationClause: { readonly range: TextRange; readonly clauseLabel: string } | null;
  /** The organisation section (組織体制), where an appointment clause would go. */
  readonly organisation: ProvisionNode | null;
  /** The body's name for itself (本市, 本協議会), for wording taken from the guideline. */
  readonly selfReference: string | null;
}

export interface RoleFindingOptions {
  /** `unused-role` is information and off unless asked for: a role with no duty is often harmless. */
  readonly unusedRole?: boolean;
  /** The catalog's roles, for the guideline's appointment wording in the insert fix. */
  readonly guidelineAppointments?: ReadonlyMap<string, { readonly itemId: string; readonly text: string }>;
}
