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

export type { Catalog, CatalogItem } from './catalog/types';
export type { AlignmentResult, Coverage, CoverageStatus, CoverageSummary, ItemCoverage } from './align';
export type { Tokenizer } from './morph/types';
export type { ParsedPolicy, ProvisionNode } from './parse/types';
export type * from './types';
export type { PolicyDocumentLink, PolicyFoldingRange, PolicyLocationLink, PolicySelectionRange, PolicySymbol } from './features/structure';

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
    return alignment;
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
    forget(uri: string): void {
      cache.delete(uri);
    },
  });
}
