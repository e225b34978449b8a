/**
 * The Kijun language service: the one façade that the LSP server, the VS Code client (through the server)
 * and the CLI use. It takes text and configuration and returns plain data with UTF-16 offset ranges.
 * It performs no IO, imports no LSP transport and no `vscode` (enforced by eslint).
 */
import type { Catalog } from './catalog/types';
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
export type { ParsedPolicy, ProvisionNode } from './parse/types';
export type * from './types';
export type { PolicyDocumentLink, PolicyFoldingRange, PolicyLocationLink, PolicySelectionRange, PolicySymbol } from './features/structure';

export interface PolicyServiceDeps {
  /** The guideline catalog (the committed JSON, or a validated user-supplied one). */
  readonly catalog: Catalog;
  /** Parses a document into its provision tree; never throws. */
  readonly parse: (text: string) => ParsedPolicy;
  readonly logger?: Logger;
}

export interface PolicyService {
  readonly catalog: Catalog;
  /** The parsed snapshot of a document, cached per (uri, version). */
  getParsed(doc: PolicyDocument): ParsedPolicy;
  /** All findings for a document. */
  getDiagnostics(doc: PolicyDocument, token?: Cancellation): readonly Finding[];
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
  const cache = new Map<string, { version: number; text: string; parsed: ParsedPolicy }>();

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
    getDiagnostics(doc: PolicyDocument): readonly Finding[] {
      return getParsed(doc).findings;
    },
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
