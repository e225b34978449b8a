/* eslint-disable @typescript-eslint/no-namespace -- the LSP idiom for custom messages is `namespace X { method; type }`. */
/**
 * Custom messages between the Kijun client and server, in the vscode-eslint idiom.
 * This is the only server file the client may import; esbuild inlines it into both bundles.
 * The `type` objects come from the client's copy of vscode-jsonrpc; vscode-languageserver nests an older one
 * whose classes are not assignable, so the server registers and sends by `method` string.
 */
import type { CoverageSummary } from './service/align/coverage';
import { NotificationType, RequestType, type Position, type Range } from 'vscode-languageserver-protocol';

export type ServerState = 'loading' | 'ready' | 'error';

export interface StatusParams {
  readonly state: ServerState;
  /** Japanese text for the status bar tooltip / output channel. */
  readonly message?: string;
  /** When set, `findings` is the number of findings just computed for this document. */
  readonly uri?: string;
  readonly findings?: number;
}

/** Server → client: loading / ready / n findings for a document / error. */
export namespace StatusNotification {
  export const method = 'kijun/status' as const;
  export const type = new NotificationType<StatusParams>(method);
}

export interface CheckDocumentParams {
  readonly uri: string;
}

export interface CheckDocumentResult {
  /** False when the server does not know the document (not open, or not Markdown). */
  readonly enabled: boolean;
}

/**
 * Client → server: analyse this document even though it neither declares itself a policy in its
 * front matter nor matches `kijun.activation.globs` (command 「Kijunで検査」).
 */
export namespace CheckDocumentRequest {
  export const method = 'kijun/checkDocument' as const;
  export const type = new RequestType<CheckDocumentParams, CheckDocumentResult, void>(method);
}

export type CoverageStatus = 'covered' | 'partial' | 'missing' | 'not-applicable' | 'omitted';

export interface CoverageParams {
  readonly uri: string;
}

export interface CoverageItemData {
  /** Guideline id: `6.1(3)②`, `基本方針 2(5)`. */
  readonly id: string;
  /** Id of the parent item shown above it, or null for a top-level section. */
  readonly parent: string | null;
  readonly level: string;
  /** `6.1(3) 他団体との…` */
  readonly label: string;
  readonly status: CoverageStatus;
  readonly recommended: boolean;
  readonly adopted: boolean;
  readonly reason?: string;
  /** The clause that says it. */
  readonly range?: Range;
  /** Where its standard wording would be inserted (missing items). */
  readonly insertAt?: Position;
}

/** The coverage counts of a document, as the service computes them. */
export type CoverageSummaryData = CoverageSummary;

export interface CoverageResult {
  readonly uri: string;
  readonly version: number;
  /** False while the dictionary loads, or when the document is not a policy Kijun analyses. */
  readonly ready: boolean;
  /** Japanese reason when not ready. */
  readonly message?: string;
  readonly summary?: CoverageSummaryData;
  readonly items: readonly CoverageItemData[];
}

/** Client → server: the data of the coverage view (guideline sections → items with status and locations). */
export namespace CoverageRequest {
  export const method = 'kijun/coverage' as const;
  export const type = new RequestType<CoverageParams, CoverageResult, void>(method);
}

export type CoverageReportFormat = 'md' | 'csv';

export interface CoverageReportParams {
  readonly uri: string;
  readonly format: CoverageReportFormat;
}

export interface CoverageReportResult {
  /** The 対応表, or null with a Japanese `message` when it cannot be made yet. */
  readonly content: string | null;
  readonly message?: string;
}

/** Client → server: the 対応表 (guideline item ↔ clause ↔ status ↔ reason) for export. */
export namespace CoverageReportRequest {
  export const method = 'kijun/coverageReport' as const;
  export const type = new RequestType<CoverageReportParams, CoverageReportResult, void>(method);
}

export interface RoleMatrixParams {
  readonly uri: string;
  readonly format?: 'md' | 'json';
}

export interface RoleMatrixResult {
  /** The role/approval matrix, or null with a Japanese `message` when it cannot be made yet. */
  readonly content: string | null;
  readonly message?: string;
}

/** Client → server: the role/approval matrix (roles × actions, with the clause of each cell). */
export namespace RoleMatrixRequest {
  export const method = 'kijun/roleMatrix' as const;
  export const type = new RequestType<RoleMatrixParams, RoleMatrixResult, void>(method);
}

export interface ExplainParams {
  readonly uri: string;
}

export interface ExplainResult {
  /** One line for the notification, in Japanese. */
  readonly summary: string;
  /** The reasons, one per line, for the output channel. */
  readonly details: readonly string[];
}

/** Client → server: why a document has (no) Kijun diagnostics (「診断が出ない理由を表示」). */
export namespace ExplainRequest {
  export const method = 'kijun/explain' as const;
  export const type = new RequestType<ExplainParams, ExplainResult, void>(method);
}

/** Command the code lenses run: reveal a guideline section of a document in the coverage view. */
export const SHOW_COVERAGE_COMMAND = 'kijun.showCoverage';

/** The `kijun` settings section as the client stores it; the server validates every field. */
export interface KijunSettings {
  readonly enable: boolean;
  readonly activation: { readonly globs: readonly string[] };
  readonly rules: Readonly<Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>>;
  readonly recommendedMarker: 'inline' | 'frontMatter' | 'off';
  readonly organisation: { readonly name?: string; readonly type?: string; readonly selfReference?: string };
}
