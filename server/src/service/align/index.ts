import type { Catalog, GuidelinePart } from '../catalog/types';
import type { Tokenizer } from '../morph/types';
import type { ParsedPolicy } from '../parse/types';
import type { Cancellation } from '../types';
import { neverCancelled } from '../types';
import type { Coverage } from './coverage';
import { computeCoverage } from './coverage';
import { readDeviations } from './deviations';
import { Aligner, warmWindows } from './engine';
import type { RawAlignment } from './engine';
import { FeatureExtractor } from './features';
import { catalogFeaturesOf } from './catalogFeatures';
import { roleRenamesFromDefinitions, roleRenamesFromModel } from './renames';
import type { RoleDefinition } from '../roles/types';

export type { Coverage, CoverageStatus, ItemCoverage, CoverageSummary } from './coverage';
export type { RawAlignment, Window, Match } from './engine';

export interface AnalyzeOptions {
  /** Provisions up to this many characters are aligned as units kept by content (default ALIGN_UNIT_CHARS; 0: one pass). */
  readonly unitChars?: number;
}

export interface AlignmentResult {
  readonly raw: RawAlignment;
  readonly coverage: Coverage;
  /** The draft's role names mapped to the guideline's before comparing. */
  readonly renames: readonly (readonly [string, string])[];
}

/**
 * Alignment of drafts with the guideline catalog. Building it tokenises the catalog once (about 500 texts,
 * unless the tokenizer comes with their features precomputed); `analyze` then tokenises only clause
 * texts it has not seen before.
 */
export class AlignmentEngine {
  readonly #catalog: Catalog;
  readonly #tokenizer: Tokenizer;
  readonly #base: FeatureExtractor;
  readonly #aligner: Aligner;

  constructor(catalog: Catalog, tokenizer: Tokenizer) {
    this.#catalog = catalog;
    this.#tokenizer = tokenizer;
    // The catalog's features when the tokenizer comes with them (precomputed at build time), else computed here.
    this.#base = new FeatureExtractor(tokenizer, [], undefined, catalogFeaturesOf(tokenizer));
    this.#aligner = new Aligner(catalog, this.#base);
  }

  /**
   * `definitions`: the document's role definitions when the caller already has them (the role model),
   * so that the draft's own role names are read once.
   */
  analyze(parsed: ParsedPolicy, token: Cancellation = neverCancelled, definitions?: readonly RoleDefinition[], options: AnalyzeOptions = {}): AlignmentResult {
    const renames = definitions ? roleRenamesFromDefinitions(definitions, this.#catalog) : roleRenamesFromModel(parsed, this.#catalog, this.#tokenizer);
    const extractor = this.#extractorFor(renames);
    const { parts, trial } = this.#partsFor(parsed, extractor, token, options);
    // The trial against both parts is the alignment itself when both parts are what the document follows.
    const raw = trial && parts.length === 2 ? trial : this.#aligner.align(parsed, extractor, parts, token, options);
    const coverage = computeCoverage(parsed, raw, this.#aligner.index, readDeviations(parsed.frontMatter.data));
    return { raw, coverage, renames };
  }

  /** Steps that tokenise the document's clause texts and score its windows into the caches `analyze` reads. */
  *warm(parsed: ParsedPolicy, definitions: readonly RoleDefinition[]): Generator<void> {
    const extractor = this.#extractorFor(roleRenamesFromDefinitions(definitions, this.#catalog));
    yield* warmWindows(parsed.provisions, extractor);
    // Then the windows' raw scores, against the parts the analysis will use (both, for the trial of a
    // document of unknown kind).
    const parts: readonly GuidelinePart[] =
      parsed.kind === 'basic-policy' ? ['basic-policy'] : parsed.kind === 'standards' ? ['standards'] : parsed.kind === 'procedures' ? [] : ['basic-policy', 'standards'];
    if (parts.length > 0) yield* this.#aligner.warmScores(parsed, extractor, parts);
  }

  /**
   * One feature extractor per rename set, kept: a new one would start with an empty token cache and
   * re-tokenise the whole document on every analysis of a draft that renames roles.
   */
  readonly #extractors = new Map<string, FeatureExtractor>();

  #extractorFor(renames: readonly (readonly [string, string])[]): FeatureExtractor {
    if (renames.length === 0) return this.#base;
    const key = renames.map(([a, b]) => `${a}\u0000${b}`).sort().join('\u0001');
    let e = this.#extractors.get(key);
    if (!e) {
      if (this.#extractors.size >= 16) this.#extractors.clear();
      e = this.#base.withRenames(renames);
      this.#extractors.set(key, e);
    }
    return e;
  }

  /**
   * The guideline part(s) a document is checked against: from its declared or inferred kind; for an
   * unknown kind, the part(s) it visibly follows (a 基本方針 is never checked against the 対策基準).
   */
  #partsFor(parsed: ParsedPolicy, extractor: FeatureExtractor, token: Cancellation, options: AnalyzeOptions): { parts: GuidelinePart[]; trial?: RawAlignment } {
    switch (parsed.kind) {
      case 'basic-policy':
        return { parts: ['basic-policy'] };
      case 'standards':
        return { parts: ['standards'] };
      case 'combined':
        return { parts: ['basic-policy', 'standards'] };
      case 'procedures':
        return { parts: [] };
      default: {
        const trial = this.#aligner.align(parsed, extractor, ['basic-policy', 'standards'], token, options);
        const units = this.#aligner.index.units;
        const share = (part: GuidelinePart): number => {
          const all = units.filter((u) => u.item.part === part).length;
          const hit = units.filter((u) => u.item.part === part && (trial.unitMatches.get(u.item.id) ?? []).some((m) => m.covers)).length;
          return all > 0 ? hit / all : 0;
        };
        const bp = share('basic-policy');
        const st = share('standards');
        const parts: GuidelinePart[] = [];
        if (bp >= 0.25) parts.push('basic-policy');
        if (st >= 0.15) parts.push('standards');
        // A document that follows neither part at all (empty, or not a policy) is not checked for
        // missing items: reporting the whole guideline as missing would only be noise.
        if (parts.length > 0) return { parts, trial };
        if (bp === 0 && st === 0) return { parts: [] };
        return { parts: bp >= st ? ['basic-policy'] : ['standards'] };
      }
    }
  }
}
