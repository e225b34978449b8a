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
  roleModelSteps,
  guidelineAppointments,
  renameRoleEdits,
  renderRoleMatrix,
  roleAt,
  roleDefinitionAt,
  roleFindings,
  roleHoverAt,
  roleMatrix,
  roleReferencesAt,
  warmSentences,
  type RoleDefinition,
  type RoleModel,
} from './roles';
import { internalError, runRule } from './rules/isolate';
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
import type { Cancellation, Finding, Logger, PolicyDocument, TextEdit, TextRange } from './types';
import { nullLogger } from './types';
import { renderCoverage, type CoverageFormat } from './align/report';
import { roleRenames } from './align/renames';
import { adaptationFor, type Adaptation } from './features/adapt';
import { completionsAt, type PolicyCompletion } from './features/completion';
import { codeLenses, coverageViewData, type CoverageViewData, type PolicyCodeLens } from './features/coverageView';
import { codeActions, type PolicyCodeAction, type RecommendedMarker } from './features/fixes';
import { hoverAt, type PolicyHover } from './features/hover';
import { completed, resultInto } from './steps';

export type { Catalog, CatalogItem } from './catalog/types';
export type { AlignmentResult, Coverage, CoverageStatus, CoverageSummary, ItemCoverage } from './align';
export type { Tokenizer } from './morph/types';
export type { RoleDefinition, RoleModel } from './roles';
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
  /** Report roles appointed but given no duty (`unused-role`, information; off unless asked for). */
  readonly unusedRole?: boolean;
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
  /**
   * Role definitions from the document's workspace (a 基本方針 or 組織規程 beside a 対策基準), each with
   * its `uri`. The adapters read the files; the service only takes the definitions.
   */
  readonly workspaceRoleDefinitions?: (uri: string) => readonly RoleDefinition[];
  readonly logger?: Logger;
}

export interface PolicyService {
  readonly catalog: Catalog;
  /** The parsed snapshot of a document, cached per (uri, version). */
  getParsed(doc: PolicyDocument): ParsedPolicy;
  /** All findings for a document: structure always, alignment once the tokenizer is ready. */
  getDiagnostics(doc: PolicyDocument, token?: Cancellation, options?: FeatureOptions): readonly Finding[];
  /**
   * Does the slow part of a first analysis (tokenising every sentence and clause) in slices of about
   * `sliceMs`, awaiting `pause()` between them and stopping when `token` is cancelled; getDiagnostics
   * afterwards finds it all cached. For adapters with a message loop to keep responsive.
   */
  prepare(doc: PolicyDocument, token: Cancellation, pause: () => Promise<void>, sliceMs?: number): Promise<void>;
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
  /** The document's role model (appointments, mentions, duties, approvals); null until the tokenizer is ready. */
  getRoleModel(doc: PolicyDocument): RoleModel | null;
  /** Role definitions of a document, for other documents of its workspace; empty until the tokenizer is ready. */
  getRoleDefinitions(doc: PolicyDocument): readonly RoleDefinition[];
  /** The role under the cursor, for prepare-rename: its range and name. */
  getRoleAt(doc: PolicyDocument, offset: number): { readonly range: TextRange; readonly name: string } | null;
  /** Edits that rename the role at `offset` throughout the document, or a Japanese reason why not. */
  getRenameEdits(doc: PolicyDocument, offset: number, newName: string): { readonly edits: readonly TextEdit[] } | { readonly error: string } | null;
  /** The role/approval matrix (roles × actions, with the clause of each cell) as Markdown or JSON. */
  renderRoleMatrix(doc: PolicyDocument, format: 'md' | 'json'): string | null;
  /** Forget cached state for a document (closed or deleted). */
  forget(uri: string): void;
}

/**
 * Real policies are well under 200,000 characters. Beyond FULL_ANALYSIS_LIMIT characters only the structure is
 * checked; beyond PARSE_LIMIT, or for a file that is not text, nothing is, so that a pasted dump or a
 * binary file renamed .md never freezes the editor. Each case says so in one information finding.
 */
export const FULL_ANALYSIS_LIMIT = 600_000;
export const PARSE_LIMIT = 3_000_000;

export function inputLimit(text: string): 'full' | 'structure' | 'skip' {
  // Asked several times per analysis of the same text; the binary check reads up to 64K characters.
  if (text === lastLimit.text) return lastLimit.limit;
  const limit = text.length > PARSE_LIMIT || looksBinary(text) ? 'skip' : text.length > FULL_ANALYSIS_LIMIT ? 'structure' : 'full';
  lastLimit = { text, limit };
  return limit;
}

let lastLimit: { text: string | null; limit: 'full' | 'structure' | 'skip' } = { text: null, limit: 'full' };

/** The characters looksBinary counts: controls other than tab and line breaks, C1 controls, U+FFFD. */
const ODD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/;

/** NUL, control characters or U+FFFD (undecodable bytes) making more than 1% of the first 64K: not text. */
function looksBinary(text: string): boolean {
  const head = text.length > 65_536 ? text.slice(0, 65_536) : text;
  // Asked again after every keystroke: a text with none of these characters at all is told by one native scan.
  if (!ODD_CHAR.test(head)) return false;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd || (c >= 0x7f && c < 0xa0)) odd++;
  }
  // A few stray control characters (a pasted NUL) leave a text a text.
  return odd >= 16 && odd / head.length > 0.01;
}

function limitNotice(text: string): Finding {
  const binary = looksBinary(text);
  const message = binary
    ? 'テキストではないファイルのようです。検査しません'
    : text.length > PARSE_LIMIT
      ? `文書が大きすぎるため検査しません（${PARSE_LIMIT.toLocaleString('ja-JP')} 文字まで）`
      : `文書が大きいため、構成（番号・参照）だけを検査しています（ガイドラインとの照合・役割の検査は ${FULL_ANALYSIS_LIMIT.toLocaleString('ja-JP')} 文字まで）`;
  return { code: 'analysis-limited', severity: 'information', message, range: { start: 0, end: 0 } };
}

/** A change of at least this many characters since the last aligned version is prepared in slices again. */
const PREPARE_CHANGE = 2_000;

/** Findings of one rule shown at most: beyond, a pasted or generated file is noise, and a huge list slows the editor. */
export const FINDINGS_PER_RULE = 500;

/** Keeps the first FINDINGS_PER_RULE findings of each rule (in document order) and says how many more there are. */
export function capFindings(findings: readonly Finding[]): readonly Finding[] {
  const count = new Map<string, number>();
  for (const f of findings) count.set(f.code, (count.get(f.code) ?? 0) + 1);
  if (![...count.values()].some((n) => n > FINDINGS_PER_RULE)) return findings;
  const kept: Finding[] = [];
  const seen = new Map<string, number>();
  for (const f of findings) {
    const n = (seen.get(f.code) ?? 0) + 1;
    seen.set(f.code, n);
    if (n <= FINDINGS_PER_RULE || f.code === 'analysis-limited' || f.code === 'internal-error') kept.push(f);
  }
  for (const [code, n] of count) {
    if (n <= FINDINGS_PER_RULE || code === 'analysis-limited' || code === 'internal-error') continue;
    kept.push({
      code: 'analysis-limited',
      severity: 'information',
      message: `「${code}」の指摘が ${n.toLocaleString('ja-JP')} 件あるため、最初の ${FINDINGS_PER_RULE} 件だけを表示しています`,
      range: { start: 0, end: 0 },
    });
  }
  return kept;
}

/** The snapshot of a document that is not analysed at all. */
function unanalysed(text: string): ParsedPolicy {
  return {
    text,
    frontMatter: { data: null, range: null },
    kind: 'unknown',
    organisationName: null,
    organisationType: null,
    selfReference: null,
    provisions: [],
    references: [],
    findings: [limitNotice(text)],
  };
}

interface CacheEntry {
  version: number;
  text: string;
  parsed: ParsedPolicy;
  alignment?: AlignmentResult;
  roles?: RoleModel;
  /** A stage that threw on this version (`alignment`, `roles`) and the finding that says so. */
  failed?: Map<string, Finding>;
}

export function createPolicyService(deps: PolicyServiceDeps): PolicyService {
  const logger = deps.logger ?? nullLogger;
  const cache = new Map<string, CacheEntry>();
  const appointments = guidelineAppointments(deps.catalog);

  function getRoleModel(doc: PolicyDocument): RoleModel | null {
    return completed(roleModelOf(doc));
  }

  /** The role model of the document's version, built in steps (roleModelSteps) and kept with the version. */
  function* roleModelOf(doc: PolicyDocument): Generator<void, RoleModel | null> {
    const parsed = getParsed(doc);
    const entry = cache.get(doc.uri);
    if (entry?.parsed === parsed && entry.roles) return entry.roles;
    const tokenizer = deps.tokenizer?.();
    if (!tokenizer || inputLimit(parsed.text) !== 'full') return null;
    if (entry?.parsed === parsed && entry.failed?.has('roles')) return null;
    const started = Date.now();
    let model: RoleModel;
    try {
      model = yield* roleModelSteps(parsed, tokenizer, deps.catalog, deps.workspaceRoleDefinitions?.(doc.uri) ?? []);
    } catch (e) {
      recordFailure(entry, parsed, '役割の解析', 'roles', e);
      return null;
    }
    logger.log('trace', `roles of ${doc.uri}@${doc.version} in ${Date.now() - started} ms`);
    if (entry?.parsed === parsed) entry.roles = model;
    return model;
  }

  function roleFindingsOf(doc: PolicyDocument, options: FeatureOptions | undefined): readonly Finding[] {
    const model = getRoleModel(doc);
    return model ? roleFindings(model, { unusedRole: options?.unusedRole ?? false, guidelineAppointments: appointments }) : [];
  }
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
    if (inputLimit(parsed.text) !== 'full') return null;
    const e = getEngine();
    if (!e) return null;
    if (entry?.parsed === parsed && entry.failed?.has('alignment')) return null;
    const roles = getRoleModel(doc);
    const started = Date.now();
    let alignment: AlignmentResult;
    try {
      alignment = e.analyze(parsed, token, roles ? roles.roles.flatMap((r) => r.definitions) : undefined);
    } catch (err) {
      recordFailure(entry, parsed, 'ガイドラインとの照合', 'alignment', err);
      return null;
    }
    logger.log('trace', `aligned ${doc.uri}@${doc.version} in ${Date.now() - started} ms`);
    if (token?.isCancellationRequested) return alignment;
    if (entry?.parsed === parsed) entry.alignment = alignment;
    lastRenames.set(doc.uri, alignment.renames);
    alignedLength.set(doc.uri, parsed.text.length);
    return alignment;
  }

  /** A stage threw: log it with its stack, and keep one internal-error finding for this version. */
  function recordFailure(entry: CacheEntry | undefined, parsed: ParsedPolicy, label: string, stage: string, e: unknown): void {
    logger.log('error', `${stage} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (entry?.parsed !== parsed) return;
    (entry.failed ??= new Map()).set(stage, internalError(label, e));
  }

  // The length of the last aligned version per document: prepare() warms the caches in slices only for
  // a first analysis or after a large change (a paste); after a keystroke they already hold the text.
  const alignedLength = new Map<string, number>();

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
    const limit = inputLimit(text);
    const parsed = limit === 'skip' ? unanalysed(text) : deps.parse(text);
    logger.log('trace', `parsed ${doc.uri}@${doc.version} in ${Date.now() - started} ms`);
    cache.set(doc.uri, { version: doc.version, text, parsed });
    return parsed;
  }

  return Object.freeze<PolicyService>({
    catalog: deps.catalog,
    getParsed,
    getDiagnostics(doc: PolicyDocument, token?: Cancellation, options?: FeatureOptions): readonly Finding[] {
      const parsed = getParsed(doc);
      const structure = inputLimit(parsed.text) === 'structure' ? [...parsed.findings, limitNotice(parsed.text)] : parsed.findings;
      if (inputLimit(parsed.text) !== 'full' || !getEngine()) return capFindings(structure);
      // Each stage stands alone: a stage that throws is one internal-error finding, and the others still report.
      const alignment = getAlignment(doc, token);
      if (token?.isCancellationRequested) return structure;
      const roles = runRule('役割の検査', () => roleFindingsOf(doc, options));
      const failed = cache.get(doc.uri)?.parsed === parsed ? [...(cache.get(doc.uri)?.failed?.values() ?? [])] : [];
      return capFindings([...structure, ...(alignment?.coverage.findings ?? []), ...roles, ...failed]);
    },
    async prepare(doc: PolicyDocument, token: Cancellation, pause: () => Promise<void>, sliceMs = 20): Promise<void> {
      // Tokenising a large document the first time takes seconds; done here in short slices between the
      // adapter's other messages, it leaves getDiagnostics only cache hits. Never throws.
      try {
        const parsed = getParsed(doc);
        const tokenizer = deps.tokenizer?.();
        const e = getEngine();
        if (!tokenizer || !e || inputLimit(parsed.text) !== 'full') return;
        const entry = cache.get(doc.uri);
        if (entry?.parsed === parsed && entry.alignment) return;
        const before = alignedLength.get(doc.uri);
        if (before !== undefined && Math.abs(before - parsed.text.length) < PREPARE_CHANGE) return;
        let sliceStart = Date.now();
        const run = async (steps: Iterable<void>): Promise<boolean> => {
          for (const _ of steps) {
            if (Date.now() - sliceStart < sliceMs) continue;
            await pause();
            if (token.isCancellationRequested) return false;
            sliceStart = Date.now();
          }
          return true;
        };
        if (!(await run(warmSentences(parsed, tokenizer)))) return;
        // The role model in slices too (a unit at a time): kept with the version, as getRoleModel keeps it.
        const built: { value: RoleModel | null } = { value: null };
        if (!(await run(resultInto(roleModelOf(doc), built)))) return;
        const roles = built.value;
        await pause();
        if (token.isCancellationRequested) return;
        await run(e.warm(parsed, roles ? roles.roles.flatMap((r) => r.definitions) : []));
      } catch (e) {
        logger.log('error', `prepare failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    },
    isAlignmentReady: () => getEngine() !== undefined,
    getAlignment,
    getCoverage: (doc, token) => getAlignment(doc, token)?.coverage ?? null,
    getDocumentSymbols: (doc) => documentSymbols(getParsed(doc)),
    getFoldingRanges: (doc) => foldingRanges(getParsed(doc)),
    getDefinition(doc, offset) {
      const model = getRoleModel(doc);
      const role = model ? roleDefinitionAt(model, offset) : null;
      if (role && role.uri === undefined) return { originRange: role.originRange, targetRange: role.range, targetSelectionRange: role.range };
      if (role?.uri) return { originRange: role.originRange, targetRange: role.range, targetSelectionRange: role.range, targetUri: role.uri };
      return definitionAt(getParsed(doc), offset);
    },
    getReferences(doc, offset, includeDeclaration) {
      const model = getRoleModel(doc);
      const roleRefs = model && roleAt(model, offset) ? roleReferencesAt(model, offset, includeDeclaration) : [];
      return roleRefs.length > 0 ? roleRefs : referencesTo(getParsed(doc), offset, includeDeclaration);
    },
    getSelectionRanges: (doc, offsets) => selectionRanges(getParsed(doc), offsets),
    getDocumentLinks: (doc) => documentLinks(getParsed(doc)),
    getHover(doc, offset, options, token) {
      const model = getRoleModel(doc);
      const role = model ? roleHoverAt(model, offset) : null;
      if (role) return role;
      const parsed = getParsed(doc);
      const alignment = getAlignment(doc, token);
      return hoverAt(parsed, offset, alignment, deps.catalog, adaptation(doc, parsed, alignment, options));
    },
    getCodeActions(doc, range, options, token) {
      const parsed = getParsed(doc);
      const alignment = getAlignment(doc, token);
      const findings = alignment ? [...parsed.findings, ...alignment.coverage.findings, ...roleFindingsOf(doc, options)] : parsed.findings;
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
    getRoleModel,
    getRoleDefinitions(doc) {
      return getRoleModel(doc)?.roles.flatMap((r) => r.definitions.filter((d) => d.uri === undefined)) ?? [];
    },
    getRoleAt(doc, offset) {
      const model = getRoleModel(doc);
      const hit = model ? roleAt(model, offset) : null;
      return hit ? { range: hit.mention.range, name: hit.role.name } : null;
    },
    getRenameEdits(doc, offset, newName) {
      const model = getRoleModel(doc);
      return model ? renameRoleEdits(model, offset, newName) : null;
    },
    renderRoleMatrix(doc, format) {
      const model = getRoleModel(doc);
      return model ? renderRoleMatrix(roleMatrix(model), format) : null;
    },
    forget(uri: string): void {
      cache.delete(uri);
      lastRenames.delete(uri);
      alignedLength.delete(uri);
    },
  });
}
