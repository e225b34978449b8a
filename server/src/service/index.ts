/**
 * The Kijun language service: the one façade that the LSP server, the VS Code client (through the server)
 * and the CLI use. It takes text and configuration and returns plain data with UTF-16 offset ranges.
 * It performs no IO, imports no LSP transport and no `vscode` (enforced by eslint).
 */
import type { Catalog } from './catalog/types';
import type { ParsedPolicy } from './parse/types';
import type { Cancellation, Finding, Logger, PolicyDocument } from './types';
import { nullLogger } from './types';

export type { Catalog, CatalogItem } from './catalog/types';
export type { ParsedPolicy, ProvisionNode } from './parse/types';
export type * from './types';

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

  return Object.freeze({
    catalog: deps.catalog,
    getParsed,
    getDiagnostics(doc: PolicyDocument): readonly Finding[] {
      return getParsed(doc).findings;
    },
    forget(uri: string): void {
      cache.delete(uri);
    },
  });
}
