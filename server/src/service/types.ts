/**
 * Plain data types shared by every part of the language service.
 * Ranges are UTF-16 code-unit offsets into the document text (JS string indices), half-open [start, end).
 * Conversion to line/character positions happens only in `text/lineIndex.ts`.
 */

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** The minimal document the service needs; `TextDocument` from vscode-languageserver-textdocument fits it. */
export interface PolicyDocument {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  readonly range: TextRange;
  readonly newText: string;
}

export interface Fix {
  /** Japanese title shown in the quick-fix menu. */
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly isPreferred?: boolean;
}

export interface RelatedLocation {
  readonly uri?: string;
  readonly range: TextRange;
  readonly message: string;
}

/** One finding of a rule. `code` is a stable kebab-case rule id. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: TextRange;
  readonly guidelineId?: string;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly Fix[];
}

/** Something that can be cancelled; `vscode-languageserver`'s CancellationToken fits it. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export const neverCancelled: Cancellation = Object.freeze({ isCancellationRequested: false });

export interface Logger {
  log(level: 'trace' | 'info' | 'warn' | 'error', message: string): void;
}

export const nullLogger: Logger = Object.freeze({ log: () => undefined });
