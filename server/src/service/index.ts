/**
 * The Kijun language service: the one façade that the LSP server, the VS Code client (through the server)
 * and the CLI use. It takes text and configuration and returns plain data with UTF-16 offset ranges.
 * It performs no IO, imports no LSP transport and no `vscode` (enforced by eslint).
 */
import { AlignmentEngine } from './align';
import type { AlignmentResult, Coverage } from './align';
import type { Catalog } from './catalog/types';
import type { Tokenizer } from './morph/types';
import {
  definitionAt,
  documentLinks,
  documentSymbols,
  foldingRanges,
  referencesTo,
  selectionRanges,
  type PolicyDocumentLink,
  type PolicyFoldingRange,
  type PolicyLocationLink,
  type PolicySelectionRange,
  type PolicySymbol,
} from './features/structure';
import type { ParsedPolicy } from './parse/types';
import type { Cancellation, Finding, Logger, PolicyDocument, TextRange } from './types';
import { nullLogger } from './types';
import { renderCoverage, type CoverageFormat } from './align/report';
import { roleRenames } from './align/renames';
import { adaptationFor, type Adaptation } from './features/adapt';
import { completionsAt, type PolicyCompletion } from './features/completion';
import { codeLenses, coverageViewData, type CoverageViewData, type PolicyCodeLens } from './features/coverageView';
import { codeActions, type PolicyCodeAction, type RecommendedMarker } from './features/fixes';
import { hoverAt, type PolicyHover } from './features/hover';

export type { Catalog, CatalogItem } from './catalog/types';
export type { AlignmentResult, Coverage, CoverageStatus, CoverageSummary, ItemCoverage } from './align';
export type { Tokenizer } from './morph/types';
export type { ParsedPolicy, ProvisionNode } from './parse/types';
export type * from './types';
export type { PolicyDocumentLink, PolicyFoldingRange, PolicyLocationLink, PolicySelectionRange, PolicySymbol } from './features/structure';
export type { PolicyHover } from './features/hover';
export type { PolicyCodeAction, RecommendedMarker } from './features/fixes';
export type { PolicyCompletion, PolicyCompletionKind } from './features/completion';
export type { PolicyCodeLens, CoverageViewData, CoverageViewItem } from './features/coverageView';
export type { CoverageFormat } from './align/report';

/** Per-request options from the editor settings. */
export interface FeatureOptions {
  /** The body's name for itself (本区, 本協議会) when set in the settings; wins over what the draft says. */
  readonly selfReference?: string | null;
  /** How an adopted 推奨事項 is declared: 【推奨事項】 in the clause, or in the front matter. */
  readonly recommendedMarker?: RecommendedMarker;
}

export interface PolicyServiceDeps {
  /** The guideline catalog (the committed JSON, or a validated user-supplied one). */
  readonly catalog: Catalog;
  /** Parses a document into its provision tree; never throws. */
  readonly parse: (text: string) => ParsedPolicy;
  /**
   * The morphological analyser, once loaded. Until it is, the service answers with structure-only
   * results (the kuromoji dictionary takes a few hundred milliseconds to load and is never awaited here).
   */
  readonly tokenizer?: () => Tokenizer | undefined;
  readonly logger?: Logger;
}

export interface PolicyService {
  readonly catalog: Catalog;
  /** The parsed snapshot of a document, cached per (uri, version). */
  getParsed(doc: PolicyDocument): ParsedPolicy;
  /** All findings for a document: structure always, alignment once the tokenizer is ready. */
  getDiagnostics(doc: PolicyDocument, token?: Cancellation): readonly Finding[];
  /** True once the tokenizer is loaded and alignment findings are included. */
  isAlignmentReady(): boolean;
  /** The document aligned with the guideline, cached per (uri, version); null until the tokenizer is ready. */
  getAlignment(doc: PolicyDocument, token?: Cancellation): AlignmentResult | null;
  /** Coverage of the guideline items by the document; null until the tokenizer is ready. */
  getCoverage(doc: PolicyDocument, token?: Cancellation): Coverage | null;
  /** The provision tree as Outline symbols (編/章/条/項/号 …). */
  getDocumentSymbols(doc: PolicyDocument): readonly PolicySymbol[];
  getFoldingRanges(doc: PolicyDocument): readonly PolicyFoldingRange[];
  /** Where the reference at `offset` (前条, 第5条第2項 …) points, or null. */
  getDefinition(doc: PolicyDocument, offset: number): PolicyLocationLink | null;
  /** References to the provision at `offset`. */
  getReferences(doc: PolicyDocument, offset: number, includeDeclaration: boolean): readonly TextRange[];
  getSelectionRanges(doc: PolicyDocument, offsets: readonly number[]): readonly PolicySelectionRange[];
  /** Resolved references as in-document links. */
  getDocumentLinks(doc: PolicyDocument): readonly PolicyDocumentLink[];
  /** Hover at `offset`: a reference's target, or the guideline item(s) a clause says with the 例文 diff and 解説. */
  getHover(doc: PolicyDocument, offset: number, options?: FeatureOptions, token?: Cancellation): PolicyHover | null;
  /** Quick fixes for the findings overlapping `range`, computed from the current findings. */
  getCodeActions(doc: PolicyDocument, range: TextRange, options?: FeatureOptions, token?: Cancellation): readonly PolicyCodeAction[];
  /**
   * Completions at `offset`: 例文 clauses for the keyword typed, role names and terms. Never aligns and reuses
   * the last parse of the document, so that it stays cheap while typing.
   */
  getCompletions(doc: PolicyDocument, offset: number, options?: FeatureOptions): readonly PolicyCompletion[];
  /** Code lenses on the draft headings mapped to guideline sections; empty until alignment is ready. */
  getCodeLenses(doc: PolicyDocument, token?: Cancellation): readonly PolicyCodeLens[];
  /** The coverage tree view's data; null until alignment is ready. */
  getCoverageView(doc: PolicyDocument, options?: FeatureOptions, token?: Cancellation): CoverageViewData | null;
  /** The 対応表 (guideline item ↔ clause ↔ status ↔ reason) as Markdown, CSV, text or JSON; null until alignment is ready. */
  renderCoverageReport(doc: PolicyDocument, file: string, format: CoverageFormat, token?: Cancellation): string | null;
  /** Forget cached state for a document (closed or deleted). */
  forget(uri: string): void;
}

export function createPolicyService(deps: PolicyServiceDeps): PolicyService {
  const logger = deps.logger ?? nullLogger;
  const cache = new Map<string, { version: number; text: string; parsed: ParsedPolicy; alignment?: AlignmentResult }>();
  let engine: AlignmentEngine | undefined;

  function getEngine(): AlignmentEngine | undefined {
    if (engine) return engine;
    const tokenizer = deps.tokenizer?.();
    if (!tokenizer) return undefined;
    const started = Date.now();
    engine = new AlignmentEngine(deps.catalog, tokenizer);
    logger.log('info', `alignment index built in ${Date.now() - started} ms`);
    return engine;
  }

  function getAlignment(doc: PolicyDocument, token?: Cancellation): AlignmentResult | null {
    const parsed = getParsed(doc);
    const entry = cache.get(doc.uri);
    if (entry?.parsed === parsed && entry.alignment) return entry.alignment;
    const e = getEngine();
    if (!e) return null;
    const started = Date.now();
    const alignment = e.analyze(parsed, token);
    logger.log('trace', `aligned ${doc.uri}@${doc.version} in ${Date.now() - started} ms`);
    if (token?.isCancellationRequested) return alignment;
    if (entry?.parsed === parsed) entry.alignment = alignment;
    lastRenames.set(doc.uri, alignment.renames);
    return alignment;
  }

  // The last known role renames per document: completion uses them rather than aligning on every keystroke.
  const lastRenames = new Map<string, AlignmentResult['renames']>();

  function adaptation(doc: PolicyDocument, parsed: ParsedPolicy, alignment: AlignmentResult | null, options: FeatureOptions | undefined): Adaptation {
    const renames = alignment?.renames ?? lastRenames.get(doc.uri) ?? roleRenames(parsed.text, deps.catalog);
    return adaptationFor(parsed, renames, options?.selfReference);
  }

  /** The latest parse of the document, of this version or an older one (for what rarely changes: names, renames). */
  function recentParsed(doc: PolicyDocument): ParsedPolicy {
    return cache.get(doc.uri)?.parsed ?? getParsed(doc);
  }

  function getParsed(doc: PolicyDocument): ParsedPolicy {
    const hit = cache.get(doc.uri);
    const text = doc.getText();
    if (hit && hit.version === doc.version && hit.text === text) return hit.parsed;
    const started = Date.now();
    const parsed = deps.parse(text);
    logger.log('trace', `parsed ${doc.uri}@${doc.version} in ${Date.now() - started} ms`);
    cache.set(doc.uri, { version: doc.version, text, parsed });
    return parsed;
  }

  return Object.freeze<PolicyService>({
    catalog: deps.catalog,
    getParsed,
    getDiagnostics(doc: PolicyDocument, token?: Cancellation): readonly Finding[] {
      const structure = getParsed(doc).findings;
      const alignment = getAlignment(doc, token);
      return alignment ? [...structure, ...alignment.coverage.findings] : structure;
    },
    isAlignmentReady: () => getEngine() !== undefined,
    getAlignment,
    getCoverage: (doc, token) => getAlignment(doc, token)?.coverage ?? null,
    getDocumentSymbols: (doc) => documentSymbols(getParsed(doc)),
    getFoldingRanges: (doc) => foldingRanges(getParsed(doc)),
    getDefinition: (doc, offset) => definitionAt(getParsed(doc), offset),
    getReferences: (doc, offset, includeDeclaration) => referencesTo(getParsed(doc), offset, includeDeclaration),
    getSelectionRanges: (doc, offsets) => selectionRanges(getParsed(doc), offsets),
    getDocumentLinks: (doc) => documentLinks(getParsed(doc)),
    getHover(doc, offset, options, token) {
      const parsed = getParsed(doc);
      const alignment = getAlignment(doc, token);
      return hoverAt(parsed, offset, alignment, deps.catalog, adaptation(doc, parsed, alignment, options));
    },
    getCodeActions(doc, range, options, token) {
      const parsed = getParsed(doc);
      const alignment = getAlignment(doc, token);
      const findings = alignment ? [...parsed.findings, ...alignment.coverage.findings] : parsed.findings;
      return codeActions(findings, range, {
        parsed,
        alignment,
        catalog: deps.catalog,
        adaptation: adaptation(doc, parsed, alignment, options),
        recommendedMarker: options?.recommendedMarker ?? 'inline',
      });
    },
    getCompletions(doc, offset, options) {
      const recent = recentParsed(doc);
      return completionsAt(doc.getText(), offset, recent, deps.catalog, adaptation(doc, recent, null, options));
    },
    getCodeLenses(doc, token) {
      const alignment = getAlignment(doc, token);
      return alignment ? codeLenses(getParsed(doc), alignment, deps.catalog) : [];
    },
    getCoverageView(doc, options, token) {
      const parsed = getParsed(doc);
      const alignment = getAlignment(doc, token);
      return alignment ? coverageViewData(parsed, alignment, deps.catalog, adaptation(doc, parsed, alignment, options)) : null;
    },
    renderCoverageReport(doc, file, format, token) {
      const alignment = getAlignment(doc, token);
      return alignment ? renderCoverage(file, alignment.coverage, getParsed(doc), deps.catalog, format) : null;
    },
    forget(uri: string): void {
      cache.delete(uri);
      lastRenames.delete(uri);
    },
  });
}
