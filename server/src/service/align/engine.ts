import type { Catalog, CatalogItem, GuidelinePart } from '../catalog/types';
import { detached } from '../text/detach';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import type { Cancellation, TextRange } from '../types';
import { neverCancelled } from '../types';
import { CatalogIndex, combine, weightedKeys, type WeightedKeys } from './catalogIndex';
import type { FeatureExtractor, FeatureMembership, Features } from './features';
import { bigramsOf } from './features';
import { normalizeForMatch } from '../text/normalize';
import { isWithin } from './deviations';
import { sameShape } from '../parse/shape';

/**
 * Calibrated constants. Each was chosen with `npm run eval:align` (scripts/evalAlignment.ts) over the
 * guideline's own 例文 written out as a draft and hundreds of seeded mutations of it (deletions,
 * rewordings, renames, unrelated insertions); the figures are in ARCHITECTURE.md, "Alignment".
 */
export const ALIGN = Object.freeze({
  /** A unit is covered when an eligible match scores at least this… */
  coverThreshold: 0.62,
  /**
   * …or when it is the clear best match of a clause: at least this score, ahead of the clause's
   * second-best unit by `decisiveMargin`. Real drafts paraphrase (他人に知られないようにすること for
   * 他者に知られないように管理しなければならない) and then the right item still stands out.
   */
  decisiveScore: 0.45,
  decisiveMargin: 0.12,
  /** A match that is not the window's best counts when it is within this ratio of the best (a tie)… */
  competitiveRatio: 0.9,
  /**
   * …and the best unit's own wording does not already say most of this one: a merged clause covers two
   * different units, while a near-duplicate (6.4(1)⑤ / 6.4(2)②, 5.3(1)② / 5.3(2)②) is shadowed by the one
   * whose context fits.
   */
  shadowed: 0.7,
  /** A window that says this much more of a near-duplicate than the best unit's wording does holds both (merged). */
  mergedGain: 0.08,
  /** A unit that is not the window's best match (nor tied with it) must score at least this: merged clauses say each unit nearly whole. */
  secondary: 0.75,
  /** Matches below this are not kept at all. */
  floor: 0.35,
  /** Score factor when the clause sits in a draft section mapped to another guideline section. */
  otherSection: 0.82,
  /** Title similarity (bigram Dice) for a draft heading to map to a guideline section. */
  sectionTitle: 0.5,
  /** A draft clause titled like a titled guideline item (weighted Dice at least this)… */
  titleMatch: 0.8,
  /** …gets this share of the gap to a full match, scaled by the title similarity… */
  titleBonus: 0.5,
  /** …provided its body says at least this much of the item on its own (a kept title over new wording is not the item). */
  titleBodyFloor: 0.3,
  /** Two adjacent clauses together cover a unit only above this score… */
  pairThreshold: 0.8,
  /** …and only when together they say clearly more of it than either does alone. */
  pairGain: 0.2,
  /**
   * Weight of the lead-in: a unit under a lead-in (6.4(1) 統括情報セキュリティ責任者は…次の事項を措置)
   * scores (1 - w) + w × how much of that lead-in the draft clause's own lead-in says. It separates
   * identical clauses under different subjects (6.4(1)⑥ and 6.4(2)③).
   */
  leadInWeight: 0.35,
});

/**
 * Shortcuts of raw scoring that leave every result exactly as it is (tests/unit/rawScores.test.ts aligns
 * drafts with them on and off and compares). Read by each `Aligner` when it is built; off only in tests.
 */
export interface AlignerOptions {
  /** Raw scores in one pass over the units a window touches (`CatalogIndex.scoresAtLeast`), no entry per unit touched. */
  fusedScores: boolean;
  /**
   * Pair windows scored exactly only on the units their two provisions' own scores could lift to
   * `pairThreshold` (`#pairScores`), their context a membership view: no union is built for a pair.
   */
  pairBound: boolean;
}

export const alignerDefaults: AlignerOptions = { fusedScores: true, pairBound: true };

/**
 * Raw scores below this are not kept: context (another section's factor, a lead-in the clause does not
 * echo) can only lower them, and below it no context leaves a score at `floor`.
 */
const RAW_FLOOR = ALIGN.floor * ALIGN.otherSection * (1 - ALIGN.leadInWeight);

/**
 * Margin of the pair bound (see `#pairScores`) against rounding: the bound and the exact score are sums
 * of the same idf weights in other orders, which differ by far less.
 */
const PAIR_BOUND_EPSILON = 1e-9;

/** A pair with more candidate units than this is scored over all its features (cheaper than checking each). */
const PAIR_CANDIDATES_MAX = 48;

export interface Match {
  readonly itemId: string;
  readonly score: number;
}

/** A piece of the draft compared with the guideline: a provision, a block inside one, or two adjacent provisions. */
export type WindowKind = 'provision' | 'block' | 'pair';

/**
 * A window and its matches. Where it stands is read through the alignment it came from (`RawAlignment.nodeOf`,
 * `rangeOf`): a unit's windows and matches are kept with the unit's reading and stand for it wherever it moves,
 * so an edit that moves a unit but does not change it makes no new window or match for it.
 */
export interface Window {
  readonly kind: WindowKind;
  readonly text: string;
  /** The guideline section the draft places this window in, from its headings; null when unknown. */
  readonly sectionId: string | null;
  readonly matches: readonly Match[];
}

/**
 * Every window has this one shape (made in one property order: one hidden class, read at once). A window of
 * the spine is made at every analysis and holds where it stands (`node`, `range`; `unit` null); a unit's
 * is its reading's window `index` (`node`, `range` null), placed by the alignment that lists it.
 */
interface PlacedWindow extends Window {
  readonly node: ProvisionNode | null;
  readonly range: TextRange | null;
  readonly unit: AssembledUnit | null;
  readonly index: number;
}

export interface UnitMatch {
  readonly window: Window;
  readonly score: number;
  /** Whether this match is enough to count the unit as covered (see ALIGN.coverThreshold, decisiveScore). */
  readonly covers: boolean;
}

export interface RawAlignment {
  readonly parts: readonly GuidelinePart[];
  /**
   * Every window in document order, the matches' windows among them. Made when first read: the editor
   * reads only the matches, and a unit's windows that match nothing are made only then.
   */
  readonly windows: readonly Window[];
  /** Draft provisions mapped to guideline sections (`6.1`, `基本方針 6`) by their titles or by what they contain. */
  readonly sectionNodes: ReadonlyMap<string, ProvisionNode>;
  /** For each unit id: the windows that cover it, best first. */
  readonly unitMatches: ReadonlyMap<string, readonly UnitMatch[]>;
  /**
   * The provision a window of this alignment belongs to (the first of a pair). Only this alignment's: windows
   * and matches are shared between results (of this document's versions, and of others with the same units),
   * so another result's window may be placed where it does not stand here.
   */
  nodeOf(w: Window): ProvisionNode;
  /** Where a window of this alignment stands in the text (as `nodeOf`, only this alignment's). */
  rangeOf(w: Window): TextRange;
}

export class Aligner {
  readonly index: CatalogIndex;
  readonly #catalog: Catalog;
  readonly #sections: readonly CatalogItem[];
  readonly #sectionBigrams: ReadonlyMap<string, ReadonlySet<string>>;
  /** The indices in #sections of the sections whose title has each bigram, ascending. */
  readonly #sectionsByBigram = new Map<string, number[]>();
  readonly #options: AlignerOptions;

  constructor(catalog: Catalog, extractor: FeatureExtractor, options: AlignerOptions = alignerDefaults) {
    this.#catalog = catalog;
    this.#options = { ...options };
    this.index = new CatalogIndex(catalog, extractor);
    this.#sections = catalog.items.filter((i) => i.level === 'section' || i.level === 'subsection');
    this.#sectionBigrams = new Map(this.#sections.map((s) => [s.id, titleBigrams(s.title ?? s.sectionTitle)]));
    this.#sections.forEach((s, i) => {
      for (const x of this.#sectionBigrams.get(s.id)!) {
        const list = this.#sectionsByBigram.get(x);
        if (!list) this.#sectionsByBigram.set(x, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
  }

  get catalog(): Catalog {
    return this.#catalog;
  }

  /**
   * Aligns a draft with the given guideline parts. Provisions of up to `unitChars` characters (with their
   * descendants) are aligned as units kept by content: what a unit tells the provisions above it (its
   * section votes, its root's features and section) is kept per its text and shape (UnitShape), and its
   * windows' matches per its context, the lead-in and the sections above it (UnitReading); only the spine
   * (the larger provisions' own windows and the pairs of their children) and the units an edit touched
   * are aligned again. The result is the one of aligning every window in one pass (unitChars 0), tested
   * in tests/unit/alignIncremental.test.ts.
   */
  align(
    parsed: ParsedPolicy,
    extractor: FeatureExtractor,
    parts: readonly GuidelinePart[],
    token: Cancellation = neverCancelled,
    options: { readonly unitChars?: number } = {},
  ): RawAlignment {
    const partSet = new Set(parts);
    // In four steps, each its own method (a long method is compiled late and all over again after a deopt).
    const plan = this.#plan(parsed, extractor, parts, partSet, options.unitChars ?? ALIGN_UNIT_CHARS, token);
    if (!plan) return empty(parts);
    const votes = this.#votes(plan.steps);
    const listing = this.#list(plan, votes.voted, parts, partSet, extractor);
    return rawAlignment(parts, listing.listed, this.#sectionNodesOf(parsed, plan, votes, partSet), listing.unitMatches, listing.roots, listing.stamp);
  }

  /**
   * The plan: the spine's windows with their raw scores and the units, in collectWindows' order (a unit's
   * root's own windows, then the pair it ends, then the rest of the unit); null when cancelled.
   */
  #plan(parsed: ParsedPolicy, extractor: FeatureExtractor, parts: readonly GuidelinePart[], partSet: ReadonlySet<GuidelinePart>, unitChars: number, token: Cancellation): Plan | null {
    const memo = this.#unitMemoFor(extractor, parts);
    const steps: Step[] = [];
    const unitOf = new Map<ProvisionNode, PlannedUnit>();
    let cancelled = false;
    const spine = (d: DraftWindow): void => {
      steps.push({ d, raw: this.#cachedRawScores(d, parts, partSet), unit: null, head: false });
    };
    const visit = (siblings: readonly ProvisionNode[], ancestors: readonly ProvisionNode[], leadIn: Features | null): void => {
      let previous: Previous | null = null;
      for (let i = 0; i < siblings.length; i++) {
        const n = siblings[i]!;
        if (cancelled || token.isCancellationRequested) {
          cancelled = true;
          return;
        }
        if (unitChars > 0 && n.range.end - n.range.start <= unitChars) {
          const unit = this.#plannedUnit(parsed.text, n, ancestors, leadIn, extractor, parts, partSet, memo);
          unitOf.set(n, unit);
          steps.push({ d: null, raw: null, unit, head: true });
          const features = unit.shape.rootFeatures;
          if (features && previous) spine(pairWindow(previous, n, unit.shape.rootText, features, ancestors, leadIn));
          steps.push({ d: null, raw: null, unit, head: false });
          previous = features ? { node: n, text: unit.shape.rootText, features } : null;
          continue;
        }
        const own = ownWindows(n, ancestors, leadIn, extractor);
        for (let k = 0; k < own.windows.length; k++) spine(own.windows[k]!);
        if (own.features && previous) spine(pairWindow(previous, n, own.text, own.features, ancestors, leadIn));
        previous = own.features ? { node: n, text: own.text, features: own.features } : null;
        visit(n.children, [...ancestors, n], own.features ?? leadIn);
      }
    };
    visit(parsed.provisions, [], null);
    return cancelled ? null : { steps, unitOf };
  }

  /**
   * A first pass without section context, to map untitled draft sections by what they contain: votes in the
   * order the windows cast them (a unit's, summed, at its place; its inner provisions' with it).
   */
  #votes(steps: readonly Step[]): Votes {
    const votes = new Map<ProvisionNode, Map<string, number>>();
    // A spine provision's votes at the place its first vote came, a unit's inner provisions' with the unit
    // (read from its shape at the end: no entry per inner provision made at every analysis).
    const voteOrder: VoteEntry[] = [];
    const addVotes = (a: ProvisionNode, section: string, count: number): void => {
      let m = votes.get(a);
      if (!m) {
        votes.set(a, (m = new Map()));
        voteOrder.push({ node: a, unit: null });
      }
      m.set(section, (m.get(section) ?? 0) + count);
    };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if (step.d !== null) {
        if (step.d.kind !== 'provision') continue;
        const section = this.#voteOf(step.raw!);
        if (section !== null) for (const a of step.d.ancestors) addVotes(a, section, 1);
      } else if (step.head && step.unit!.shape.votes.size > 0) {
        const unit = step.unit!;
        for (const a of unit.ancestors) for (const [section, count] of unit.shape.votes) addVotes(a, section, count);
        if (unit.shape.voteOrder.length > 0) voteOrder.push({ node: null, unit });
      }
    }
    const voted = new Map<ProvisionNode, string>();
    for (const [node, m] of votes) {
      const v = votedSection(m);
      if (v !== null) voted.set(node, v);
    }
    return { voted, voteOrder };
  }

  /** The windows aligned in their sections, listed in document order, and each unit's matches. */
  #list(plan: Plan, voted: ReadonlyMap<ProvisionNode, string>, parts: readonly GuidelinePart[], partSet: ReadonlySet<GuidelinePart>, extractor: FeatureExtractor): Listing {
    const { steps, unitOf } = plan;
    const titleOf = (n: ProvisionNode): string | null => {
      const unit = unitOf.get(n);
      return unit ? unit.shape.rootTitle : this.#titleSection(n, partSet);
    };
    const votedOf = (n: ProvisionNode): string | null => {
      const unit = unitOf.get(n);
      return unit ? unit.shape.rootVoted : (voted.get(n) ?? null);
    };
    const sectionOfPath = (path: readonly ProvisionNode[]): string | null => {
      for (const a of path) {
        const t = titleOf(a);
        if (t) return t;
      }
      for (const a of path) {
        const v = votedOf(a);
        if (v) return v;
      }
      return null;
    };

    // The window list in document order: a spine window, or a stretch of a unit's (made when read).
    const listed: (Window | UnitStretch)[] = [];
    // Where each of this analysis's assembled units stands (an assembled unit is listed at one place only).
    const roots = new Map<AssembledUnit, ProvisionNode>();
    const stamp = ++this.#stamp;
    // Each unit's matches by its index, and the units in the order their first match came (the map's order).
    const lists = new Array<UnitMatch[] | undefined>(this.index.units.length);
    const firstCame: number[] = [];
    const addMatch = (unitIndex: number, m: UnitMatch): void => {
      const list = lists[unitIndex];
      if (list) list.push(m);
      else {
        lists[unitIndex] = [m];
        firstCame.push(unitIndex);
      }
    };
    // Best score of each unit on each single provision, for the pair-gain rule.
    const single = new Map<ProvisionNode, Map<string, number>>();
    // A unit's context: what the provisions above it say themselves (made once, not per unit).
    const ownTitle = (a: ProvisionNode): string | null => this.#titleSection(a, partSet);
    const ownVoted = (a: ProvisionNode): string | null => voted.get(a) ?? null;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s]!;
      const d = step.d;
      if (d !== null) {
        const sectionId = sectionOfPath([d.nodes[0]!, ...[...d.ancestors].reverse()]);
        const aligned = this.#alignWindow(d, step.raw!, sectionId, single);
        const window: PlacedWindow = { kind: d.kind, text: d.text, sectionId, matches: aligned.matches, node: d.nodes[0]!, range: d.range, unit: null, index: -1 };
        listed.push(window);
        for (const e of aligned.entries) addMatch(e.unit, { window, score: e.score, covers: e.covers });
        continue;
      }
      const unit = step.unit!;
      const reading = this.#unitReading(unit, nearest(unit.ancestors, ownTitle), nearest(unit.ancestors, ownVoted), parts, partSet, extractor);
      if (step.head && reading.rootSingle) single.set(unit.root, reading.rootSingle);
      let built = unit.built;
      if (!built) {
        built = unit.built = this.#assembledOf(reading, stamp);
        built.root = unit.root;
        roots.set(built, unit.root);
      }
      const from = step.head ? 0 : unit.shape.headCount;
      const to = step.head ? unit.shape.headCount : reading.windows.length;
      if (to > from) listed.push({ built, from, to });
      // Only the windows that match something (most match nothing).
      const matched = built.matched;
      for (let k = 0; k < matched.length; k++) {
        const i = matched[k]!;
        if (i < from) continue;
        if (i >= to) break;
        const ms = built.matches[i]!;
        const entries = reading.windows[i]!.entries;
        for (let j = 0; j < ms.length; j++) addMatch(entries[j]!.unit, ms[j]!);
      }
    }
    const unitMatches = new Map<string, UnitMatch[]>();
    for (let k = 0; k < firstCame.length; k++) {
      const list = lists[firstCame[k]!]!;
      byScore(list);
      unitMatches.set(this.index.units[firstCame[k]!]!.item.id, list);
    }
    return { listed, unitMatches, roots, stamp };
  }

  /** Sections by title in document order (a unit's in its place), then by vote in the order votes came. */
  #sectionNodesOf(parsed: ParsedPolicy, plan: Plan, votes: Votes, partSet: ReadonlySet<GuidelinePart>): Map<string, ProvisionNode> {
    const { unitOf } = plan;
    const sectionNodes = new Map<string, ProvisionNode>();
    const byTitle = (n: ProvisionNode): void => {
      const unit = unitOf.get(n);
      if (unit) {
        for (const [path, id] of unit.shape.titles) if (!sectionNodes.has(id)) sectionNodes.set(id, nodeAt(n, path));
        return;
      }
      const id = this.#titleSection(n, partSet);
      if (id && !sectionNodes.has(id)) sectionNodes.set(id, n);
      n.children.forEach(byTitle);
    };
    parsed.provisions.forEach(byTitle);
    for (const entry of votes.voteOrder) {
      if (entry.unit !== null) {
        for (const [path, inner] of entry.unit.shape.voteOrder) if (inner && !sectionNodes.has(inner)) sectionNodes.set(inner, nodeAt(entry.unit.root, path));
        continue;
      }
      const id = votes.voted.get(entry.node!);
      if (id && !sectionNodes.has(id)) sectionNodes.set(id, entry.node!);
    }
    return sectionNodes;
  }

  /** Numbers the analyses, so that an assembled unit is handed out once per analysis (see #assembledOf). */
  #stamp = 0;

  /**
   * A unit's windows and their matches, kept with its reading: they hold no position (the alignment that
   * lists them places them), so a unit an edit moved or left alone is not built again. One is handed out
   * per place in an analysis: two units of the same text and context in one draft get one each.
   */
  #assembledOf(reading: UnitReading, stamp: number): AssembledUnit {
    const pool = reading.assembled;
    for (let i = 0; i < pool.length; i++) {
      const a = pool[i]!;
      if (a.stamp !== stamp) {
        a.stamp = stamp;
        return a;
      }
    }
    // A window that matches nothing is made only when the window list is read (RawAlignment.windows: the
    // tests and tools; the editor reads the matches).
    const n = reading.windows.length;
    const built: AssembledUnit = { reading, stamp, root: null, windows: new Array<PlacedWindow | null>(n).fill(null), matches: new Array<readonly UnitMatch[]>(n).fill(NO_UNIT_MATCHES), matched: [] };
    for (let i = 0; i < n; i++) {
      const k = reading.windows[i]!;
      if (k.entries.length === 0) continue;
      const window = assembledWindow(built, i);
      const ms: UnitMatch[] = [];
      for (let j = 0; j < k.entries.length; j++) {
        const e = k.entries[j]!;
        ms.push({ window, score: e.score, covers: e.covers });
      }
      built.matches[i] = ms;
      built.matched.push(i);
    }
    pool.push(built);
    return built;
  }

  /** One window in its section context: its kept matches, best first, and what each says of its unit. */
  #alignWindow(d: DraftWindow, raw: Map<number, number>, sectionId: string | null, single: Map<ProvisionNode, Map<string, number>>): { matches: readonly Match[]; entries: MatchEntry[] } {
    // What the clause says about its subject: its lead-in and its own words (a flattened draft inlines the subject).
    const context = this.#contextOf(d);
    const contextual = this.#contextualScores(raw, sectionId, context, d);
    let kept: readonly Match[] = contextual;
    if (d.kind === 'pair') {
      // Two clauses together cover a unit only when neither says most of it alone: a split clause.
      const alone = (id: string): number => Math.max(...d.nodes.map((n) => single.get(n)?.get(id) ?? 0));
      kept = contextual.filter((m) => m.score >= ALIGN.pairThreshold && m.score >= alone(m.itemId) + ALIGN.pairGain);
    } else {
      const best = single.get(d.nodes[0]!) ?? new Map<string, number>();
      for (const m of contextual) if ((best.get(m.itemId) ?? 0) < m.score) best.set(m.itemId, m.score);
      single.set(d.nodes[0]!, best);
    }
    const top = kept[0];
    const runnerUp = kept.find((m) => m !== top && !(top && this.#shadowed(top.itemId, m, raw)));
    // A heading alone (a title-only provision) never decides: it names a topic, not a clause.
    // …and a kept title over new wording does not either: the body must say part of the item itself.
    const topUnit = top ? this.index.unitOf(top.itemId) : undefined;
    const bodySays = !d.body || (topUnit !== undefined && this.#bodySays(topUnit, d.body));
    const decisive = !!top && bodySays && d.nodes[0]!.text.trim() !== '' && top.score >= ALIGN.decisiveScore && top.score - (runnerUp?.score ?? 0) >= ALIGN.decisiveMargin;
    const entries: MatchEntry[] = [];
    for (const m of kept) {
      if (top && m !== top && (this.#shadowed(top.itemId, m, raw) || (m.score < ALIGN.competitiveRatio * top.score && m.score < ALIGN.secondary))) continue;
      entries.push({ unit: this.index.unitOf(m.itemId)!.index, score: m.score, covers: m.score >= ALIGN.coverThreshold || (m === top && decisive && d.kind !== 'pair') });
    }
    return { matches: kept, entries };
  }

  /** The section the best raw match of a provision votes for, when it is good enough to vote. */
  #voteOf(raw: ReadonlyMap<number, number>): string | null {
    let best = -1;
    let bestScore = 0;
    raw.forEach((s, i) => {
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    });
    if (best < 0 || bestScore < ALIGN.coverThreshold) return null;
    return this.index.units[best]!.item.section;
  }

  /** The guideline section a draft provision's title names (headings and articles with content), or null. */
  #titleSection(n: ProvisionNode, parts: ReadonlySet<GuidelinePart>): string | null {
    // Asked for every window's ancestors: kept per node for the analysis (its part set is its own object).
    let byNode = this.#nodeSections.get(parts);
    if (!byNode) this.#nodeSections.set(parts, (byNode = new WeakMap()));
    let id = byNode.get(n);
    if (id === undefined) {
      id = !n.title || !(n.children.length > 0 || n.text.trim().length > 0) || !SECTION_KINDS.has(n.kind) ? null : this.#sectionByTitle(n.title, parts);
      byNode.set(n, id);
    }
    return id;
  }

  readonly #nodeSections = new WeakMap<ReadonlySet<GuidelinePart>, WeakMap<ProvisionNode, string | null>>();

  /** Unit shapes per extractor (rename set) and parts, by the unit's text. */
  readonly #unitMemos = new Map<string, Map<string, UnitShape>>();

  #unitMemoFor(extractor: FeatureExtractor, parts: readonly GuidelinePart[]): Map<string, UnitShape> {
    const key = `${idOf(extractor)}\u0000${parts.join(',')}`;
    let memo = this.#unitMemos.get(key);
    if (!memo) {
      if (this.#unitMemos.size >= 16) this.#unitMemos.clear();
      this.#unitMemos.set(key, (memo = new Map()));
    }
    return memo;
  }

  #plannedUnit(
    text: string,
    root: ProvisionNode,
    ancestors: readonly ProvisionNode[],
    leadIn: Features | null,
    extractor: FeatureExtractor,
    parts: readonly GuidelinePart[],
    partSet: ReadonlySet<GuidelinePart>,
    memo: Map<string, UnitShape>,
  ): PlannedUnit {
    // The same node as last time (the parser hands on an untouched provision): its shape, without hashing its text.
    // A shape follows from the subtree's nodes alone, so this is the shape the text would find or build.
    let byNode = this.#shapeByNode.get(memo);
    if (!byNode) this.#shapeByNode.set(memo, (byNode = new WeakMap()));
    const known = byNode.get(root);
    if (known && known.root === root) return { root, ancestors, leadIn, shape: known };
    const key = text.slice(root.range.start, root.range.end);
    let shape = memo.get(key);
    if (!shape || !sameShape(shape.root, root, shape.base, root.range.start, true)) {
      const { drafts, head } = unitWindows(root, ancestors, leadIn, extractor);
      shape = this.#unitShape(root, ancestors, drafts, head, parts, partSet);
      if (memo.size >= UNIT_MEMO_LIMIT) memo.clear();
      // Detached: a slice of this version's text as a key would keep that whole text as long as the memo lives.
      memo.set(detached(key), shape);
      byNode.set(root, shape);
      return { root, ancestors, leadIn, shape, drafts };
    }
    // The shape now stands for this subtree: the next analysis compares by node identity if the edit left it alone.
    shape.root = root;
    shape.base = root.range.start;
    byNode.set(root, shape);
    return { root, ancestors, leadIn, shape };
  }

  /** Unit shapes by the root node they last stood for, per memo (see #plannedUnit). */
  readonly #shapeByNode = new WeakMap<Map<string, UnitShape>, WeakMap<ProvisionNode, UnitShape>>();

  /** What a unit tells the provisions above it, and its inner sections: from its text and shape alone. */
  #unitShape(
    root: ProvisionNode,
    ancestors: readonly ProvisionNode[],
    drafts: readonly DraftWindow[],
    head: ReturnType<typeof ownWindows>,
    parts: readonly GuidelinePart[],
    partSet: ReadonlySet<GuidelinePart>,
  ): UnitShape {
    const paths = pathsBelow(root);
    const votes = new Map<string, number>();
    const inner = new Map<ProvisionNode, Map<string, number>>();
    for (let k = 0; k < drafts.length; k++) {
      const d = drafts[k]!;
      if (d.kind !== 'provision') continue;
      const section = this.#voteOf(this.#cachedRawScores(d, parts, partSet));
      if (section === null) continue;
      votes.set(section, (votes.get(section) ?? 0) + 1);
      for (let j = ancestors.length; j < d.ancestors.length; j++) {
        const a = d.ancestors[j]!;
        const m = inner.get(a) ?? new Map<string, number>();
        m.set(section, (m.get(section) ?? 0) + 1);
        inner.set(a, m);
      }
    }
    const voteOrder: [readonly number[], string | null][] = [...inner].map(([n, m]) => [paths.get(n)!, votedSection(m)]);
    const titles: [readonly number[], string][] = [];
    for (const [n, path] of paths) {
      const id = this.#titleSection(n, partSet);
      if (id) titles.push([path, id]);
    }
    return {
      root,
      base: root.range.start,
      headCount: head.windows.length,
      rootFeatures: head.features,
      rootText: head.text,
      votes,
      voteOrder,
      titles,
      rootTitle: this.#titleSection(root, partSet),
      rootVoted: inner.has(root) ? votedSection(inner.get(root)!) : null,
      readings: [],
    };
  }

  /** A unit's windows aligned in its context (kept per lead-in and the sections above it). */
  #unitReading(unit: PlannedUnit, outerTitle: string | null, outerVoted: string | null, parts: readonly GuidelinePart[], partSet: ReadonlySet<GuidelinePart>, extractor: FeatureExtractor): UnitReading {
    // A few readings per unit, found by comparing their context (no key string made and hashed per unit per analysis).
    const readings = unit.shape.readings;
    for (let i = 0; i < readings.length; i++) {
      const r = readings[i]!;
      if (r.leadIn === unit.leadIn && r.outerTitle === outerTitle && r.outerVoted === outerVoted) return r.reading;
    }
    const root = unit.root;
    const paths = pathsBelow(root);
    const drafts = unit.drafts ?? unitWindows(root, unit.ancestors, unit.leadIn, extractor).drafts;
    const raws = drafts.map((d) => this.#cachedRawScores(d, parts, partSet));
    // The inner provisions' voted sections, as the shape computed them from these windows' raw scores.
    const innerVoted = new Map(unit.shape.voteOrder.map(([path, section]) => [nodeAt(root, path), section]));
    const single = new Map<ProvisionNode, Map<string, number>>();
    const windows: KeptWindow[] = drafts.map((d, k) => {
      const path = [d.nodes[0]!, ...d.ancestors.slice(unit.ancestors.length).reverse()];
      const sectionId =
        firstOf(path, (a) => this.#titleSection(a, partSet)) ?? outerTitle ?? firstOf(path, (a) => innerVoted.get(a) ?? null) ?? outerVoted;
      const aligned = this.#alignWindow(d, raws[k]!, sectionId, single);
      return { kind: d.kind, path: paths.get(d.nodes[0]!)!, text: d.text, range: d.range, sectionId, matches: aligned.matches, entries: aligned.entries };
    });
    const reading: UnitReading = { base: root.range.start, windows, rootSingle: single.get(root) ?? null, assembled: [] };
    if (readings.length >= 4) readings.shift();
    readings.push({ leadIn: unit.leadIn, outerTitle, outerVoted, reading });
    return reading;
  }

  /**
   * The window's matches in its context (section, lead-in, title), best first. They depend only on the
   * raw scores (kept per text), the section, and the shared feature objects of the lead-in, title and
   * body, so they are kept per those: an edit recomputes only the windows it touched.
   */
  readonly #contextCache = new Map<string, readonly Match[]>();

  #contextualScores(raw: ReadonlyMap<number, number>, sectionId: string | null, context: FeatureMembership, d: DraftWindow): readonly Match[] {
    const key = `${idOf(raw)}\u0000${sectionId ?? ''}\u0000${idOf(context)}\u0000${d.title ? idOf(d.title) : ''}\u0000${d.body ? idOf(d.body) : ''}`;
    const hit = this.#contextCache.get(key);
    if (hit) return hit;
    const contextual: Match[] = [];
    // The lead-in containment of the last parent asked: the candidates come in catalog order, so the items
    // of one list (6.4(1)① … ⑤) follow each other and share it.
    let lastParent: Features | undefined;
    let lastContainment = 0;
    // forEach, not for…of: no iterator step to allocate in code not yet optimised (a first analysis).
    raw.forEach((score0, unitIndex) => {
      const unit = this.index.units[unitIndex]!;
      // Context only lowers a score, except the title bonus: skip what cannot reach the floor.
      if (score0 < ALIGN.floor && !(unit.item.title && d.title)) return;
      let score = score0;
      if (sectionId && !related(unit.item.section, sectionId)) score *= ALIGN.otherSection;
      const parentContext = unit.item.parent ? this.index.contextOf(unit.item.parent) : undefined;
      if (parentContext) {
        if (parentContext !== lastParent) {
          lastParent = parentContext;
          lastContainment = this.index.containmentOf(parentContext, context);
        }
        score *= 1 - ALIGN.leadInWeight + ALIGN.leadInWeight * lastContainment;
      }
      // A titled item whose title the clause carries (定義 (10) LGWAN接続系) is that item even when the
      // body is abridged; the bonus closes part of the remaining gap.
      if (unit.item.title && d.title && d.body && this.index.containment(unit, d.body) >= ALIGN.titleBodyFloor) {
        const same = this.#weightedDice(titleBigrams(unit.item.title), d.title);
        if (same >= ALIGN.titleMatch) score += (1 - score) * ALIGN.titleBonus * same;
      }
      if (score >= ALIGN.floor) contextual.push({ itemId: unit.item.id, score });
    });
    contextual.sort((a, b) => b.score - a.score);
    if (this.#contextCache.size >= RAW_CACHE_LIMIT) this.#contextCache.clear();
    this.#contextCache.set(key, contextual);
    return contextual;
  }

  readonly #bodyCache = new Map<string, boolean>();

  /** Whether a titled clause's body says part of the unit on its own (kept per unit and body features). */
  #bodySays(unit: NonNullable<ReturnType<CatalogIndex['unitOf']>>, body: Features): boolean {
    const key = `${unit.index}\u0000${idOf(body)}`;
    let says = this.#bodyCache.get(key);
    if (says === undefined) {
      says = this.index.containment(unit, body) >= ALIGN.titleBodyFloor;
      if (this.#bodyCache.size >= RAW_CACHE_LIMIT) this.#bodyCache.clear();
      this.#bodyCache.set(key, says);
    }
    return says;
  }

  /** Scores each window against the given parts, one step each, into the raw-score cache `align` reads. */
  *warmScores(parsed: ParsedPolicy, extractor: FeatureExtractor, parts: readonly GuidelinePart[]): Generator<void> {
    const partSet = new Set(parts);
    for (const d of collectWindows(parsed.provisions, extractor)) {
      this.#cachedRawScores(d, parts, partSet);
      yield;
    }
  }

  readonly #shadowCache = new Map<string, Map<string, number>>();

  /**
   * True when the window says no more of unit `m` than the best unit's own wording already does, and that
   * is most of it: `m` is a near-duplicate of the best unit, not a second unit merged into the clause.
   */
  #shadowed(top: string, m: Match, raw: ReadonlyMap<number, number>): boolean {
    let byTop = this.#shadowCache.get(top);
    if (!byTop) this.#shadowCache.set(top, (byTop = new Map()));
    let inTop = byTop.get(m.itemId);
    if (inTop === undefined) {
      const ua = this.index.unitOf(top);
      const ub = this.index.unitOf(m.itemId);
      inTop = ua && ub ? this.index.containment(ub, ua.features) : 0;
      byTop.set(m.itemId, inTop);
    }
    const said = raw.get(this.index.unitOf(m.itemId)?.index ?? -1) ?? 0;
    return inTop >= ALIGN.shadowed && said < inTop + ALIGN.mergedGain;
  }

  /**
   * Raw scores (idf-weighted containment of each unit in the window) depend only on the window's features
   * and the parts checked, so they are kept across analyses: after an edit only the windows whose text
   * changed are scored again.
   */
  readonly #rawCache = new WeakMap<Features, Map<string, Map<number, number>>>();

  #cachedRawScores(d: DraftWindow, parts: readonly GuidelinePart[], partSet: ReadonlySet<GuidelinePart>): Map<number, number> {
    if (d.pair && this.#options.pairBound) return this.#pairScores(d.pair[0], d.pair[1], parts, partSet);
    return this.#rawOf(d.features, parts, partSet);
  }

  /** The raw scores of a feature set, kept per shared feature object (one per text and rename set) and parts. */
  #rawOf(f: Features, parts: readonly GuidelinePart[], partSet: ReadonlySet<GuidelinePart>): Map<number, number> {
    let byParts = this.#rawCache.get(f);
    if (!byParts) this.#rawCache.set(f, (byParts = new Map()));
    const key = parts.length === 1 ? parts[0]! : parts.join(',');
    let raw = byParts.get(key);
    if (!raw) {
      raw = this.#rawScores(f, partSet);
      byParts.set(key, raw);
    }
    return raw;
  }

  #rawScores(f: Features, parts: ReadonlySet<GuidelinePart>): Map<number, number> {
    if (this.#options.fusedScores) return this.index.scoresAtLeast(f, parts, RAW_FLOOR);
    const out = new Map<number, number>();
    for (const [i, c] of this.index.overlaps(f, parts)) {
      const s = combine(this.index.units[i]!, c.termOverlap, c.bigramOverlap);
      if (s >= RAW_FLOOR) out.set(i, s);
    }
    return out;
  }

  /** Raw scores of pair windows, kept per the two provisions' shared feature objects and the parts. */
  readonly #pairCache = new WeakMap<Features, WeakMap<Features, Map<string, Map<number, number>>>>();

  /**
   * The raw scores of the pair of adjacent provisions `a`, `b` that can matter: a pair keeps only matches
   * whose contextual score reaches `pairThreshold`, and a pair's contextual score is at most its raw score
   * (no title, so no bonus; the section and lead-in factors are at most 1). The raw score is linear in the
   * shared idf mass, and the mass a unit shares with a ∪ b is at most what it shares with a plus what it
   * shares with b: score(a ∪ b) ≤ score(a) + score(b). Each provision's raw scores (kept anyway) hold
   * every unit scoring at least RAW_FLOOR, so a unit missing from one scores less than that there. Only the
   * units where score(a) + score(b), a missing one counted as RAW_FLOOR, reaches `pairThreshold` are
   * scored exactly, over the union's features in its order (`CatalogIndex.scoresOfUnionAtLeast`); the map
   * is the full raw-score map restricted to them, same values, same order. When one provision's features
   * hold the other's, the union is that provision's feature object and so are its raw scores.
   */
  #pairScores(a: Features, b: Features, parts: readonly GuidelinePart[], partSet: ReadonlySet<GuidelinePart>): Map<number, number> {
    let byB = this.#pairCache.get(a);
    if (!byB) this.#pairCache.set(a, (byB = new WeakMap()));
    let byParts = byB.get(b);
    if (!byParts) byB.set(b, (byParts = new Map()));
    const key = parts.length === 1 ? parts[0]! : parts.join(',');
    let raw = byParts.get(key);
    if (raw) return raw;
    const ra = this.#rawOf(a, parts, partSet);
    const rb = this.#rawOf(b, parts, partSet);
    // As `union` decides: a subset adds nothing and the union is the other feature object itself.
    if (b === EMPTY || contains(a, b)) raw = ra;
    else if (a === EMPTY || contains(b, a)) raw = rb;
    else {
      const bound = ALIGN.pairThreshold - PAIR_BOUND_EPSILON;
      const candidates: number[] = [];
      ra.forEach((s, i) => {
        if (s + (rb.get(i) ?? RAW_FLOOR) >= bound) candidates.push(i);
      });
      rb.forEach((s, i) => {
        if (!ra.has(i) && RAW_FLOOR + s >= bound) candidates.push(i);
      });
      raw =
        candidates.length === 0
          ? new Map()
          : candidates.length > PAIR_CANDIDATES_MAX
            ? this.#rawOf(union(a, b), parts, partSet)
            : this.index.scoresOfUnionAtLeast([a, b], candidates, RAW_FLOOR);
    }
    byParts.set(key, raw);
    return raw;
  }

  /**
   * What the clause says about its subject: its lead-in and its own words (a flattened draft inlines the
   * subject). Only its membership is read (`containmentOf`): it is a view over the lead-in and the window's
   * features (for a pair, the two provisions') rather than a union built of them, one per list of feature
   * objects (its identity keys the contextual cache). Building the unions was ~7 % of a first alignment.
   */
  #contextOf(d: DraftWindow): FeatureMembership {
    if (d.pair && this.#options.pairBound) return membershipOf(d.leadIn ? [d.leadIn, d.pair[0], d.pair[1]] : d.pair);
    return d.leadIn ? membershipOf([d.leadIn, d.features]) : d.features;
  }

  /**
   * Title similarity weighted by idf: セキュリティ, shared by half the guideline, says little, so that
   * 「最高情報セキュリティ責任者」 does not look like 6.6「セキュリティ情報の収集」.
   */
  #weightedDice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
    // The same sums in the same order as over the sets, from each set's bigrams and idf listed once: a
    // heading's title is compared with every guideline section's, and a set's forEach with its closures
    // was ~3 MB of garbage in a first analysis.
    const wa = this.#idfListOf(a);
    const wb = this.#idfListOf(b);
    let shared = 0;
    let total = 0;
    for (let i = 0; i < wa.keys.length; i++) {
      const w = wa.weights[i]!;
      total += w;
      if (b.has(wa.keys[i]!)) shared += 2 * w;
    }
    for (let i = 0; i < wb.weights.length; i++) total += wb.weights[i]!;
    return total > 0 ? shared / total : 0;
  }

  /** A bigram set (never changed once built: titles' and sections') with each bigram's idf. */
  readonly #idfLists = new WeakMap<ReadonlySet<string>, WeightedKeys>();

  #idfListOf(set: ReadonlySet<string>): WeightedKeys {
    let list = this.#idfLists.get(set);
    if (!list) this.#idfLists.set(set, (list = weightedKeys(set, (x) => this.index.bigramIdf(x))));
    return list;
  }

  readonly #titleSections = new Map<string, string | null>();

  /** The guideline section a heading's title names, if any (kept per title and parts). */
  #sectionByTitle(title: string, parts: ReadonlySet<GuidelinePart>): string | null {
    const key = `${[...parts].join(',')}\u0000${title}`;
    const hit = this.#titleSections.get(key);
    if (hit !== undefined) return hit;
    const tb = titleBigrams(title);
    // Only sections that share a bigram with the title can reach sectionTitle (> 0); they are compared in
    // the catalog's order, as all of them were, so that ties go the same way.
    const sharing = new Uint8Array(this.#sections.length);
    tb.forEach((x) => {
      const list = this.#sectionsByBigram.get(x);
      if (list) for (let k = 0; k < list.length; k++) sharing[list[k]!] = 1;
    });
    let best: { id: string; s: number } | null = null;
    for (let i = 0; i < this.#sections.length; i++) {
      const s = this.#sections[i]!;
      if (sharing[i] === 0 || !parts.has(s.part)) continue;
      const d = this.#weightedDice(tb, this.#sectionBigrams.get(s.id)!);
      if (d >= ALIGN.sectionTitle && (!best || d > best.s)) best = { id: s.id, s: d };
    }
    if (this.#titleSections.size >= RAW_CACHE_LIMIT) this.#titleSections.clear();
    this.#titleSections.set(key, best?.id ?? null);
    return best?.id ?? null;
  }
}

/** Draft provisions whose titles can name a guideline section; deeper items (①, （ア）) only name clauses. */
const SECTION_KINDS: ReadonlySet<ProvisionNode['kind']> = new Set(['part', 'chapter', 'section', 'subsection', 'heading', 'article']);

/** Entries of the per-window caches (contextual scores, body checks, title mappings): a few large drafts open at once. */
const RAW_CACHE_LIMIT = 20_000;

interface DraftWindow {
  readonly kind: WindowKind;
  /** The provision(s) the window is made of: one, or two adjacent siblings for a pair. */
  readonly nodes: readonly ProvisionNode[];
  readonly ancestors: readonly ProvisionNode[];
  /** Features of the nearest ancestor that has wording (the lead-in the clause continues), if any. */
  readonly leadIn: Features | null;
  readonly text: string;
  readonly range: TextRange;
  /** For a pair, the union of its provisions' features (built on first use: scoring reads `pair`). */
  readonly features: Features;
  /** For a pair, the features of its two provisions. */
  readonly pair: readonly [Features, Features] | null;
  /** Bigrams of the provision's own title, for titled provisions. */
  readonly title: ReadonlySet<string> | null;
  /** Features of the provision's wording without its title, for titled provisions. */
  readonly body: Features | null;
}

/**
 * The texts `collectWindows` extracts features from, one step each: warming the extractor's cache this
 * way lets the adapter spread a large document's tokenisation over many short slices.
 */
export function* warmWindows(nodes: readonly ProvisionNode[], extractor: FeatureExtractor): Generator<void> {
  const stack = [...nodes];
  while (stack.length > 0) {
    const n = stack.pop()!;
    stack.push(...n.children);
    const own = ownText(n);
    if (own.length < 4) continue;
    const blocks = n.text.split('\n').map((b) => b.trim()).filter((b) => b.length >= 4);
    if (n.title) extractor.features(n.title);
    if (blocks.length > 1) for (const b of blocks) extractor.features(b);
    else if (n.title && n.text.trim()) extractor.features(n.text);
    else if (!n.title) extractor.features(own);
    yield;
  }
}

/** Provisions up to this many characters, with their descendants, are aligned as one unit kept by content (0: none); as roles/model.ts UNIT_CHARS. */
export const ALIGN_UNIT_CHARS = 5_000;

/** Unit shapes kept per extractor and parts: several large drafts (a 500 KB draft has some 230) and the edits since, about 10 KB each. */
const UNIT_MEMO_LIMIT = 1_500;

/** What a window says of one unit: its score and whether that covers it. */
interface MatchEntry {
  /** The unit's index in the catalog index (`CatalogIndex.units`; its item id is there). */
  readonly unit: number;
  readonly score: number;
  readonly covers: boolean;
}

/** The previous sibling with wording, for the pair window of the next. */
interface Previous {
  readonly node: ProvisionNode;
  readonly text: string;
  readonly features: Features;
}

/** A unit of this analysis: its root, the spine above it, the lead-in it continues and its kept shape. */
interface PlannedUnit {
  readonly root: ProvisionNode;
  readonly ancestors: readonly ProvisionNode[];
  readonly leadIn: Features | null;
  readonly shape: UnitShape;
  /** Its windows, when this analysis built them already (a unit whose shape was computed is read too). */
  drafts?: DraftWindow[];
  /** Its windows and matches in this analysis (asked for at its first step, read again at its second). */
  built?: AssembledUnit;
}

/** What a unit's text and shape decide, kept by its text (paths are child indices from the root). */
interface UnitShape {
  /** The latest subtree of this text and shape, and where it started (for sameShape; updated as the unit moves). */
  root: ProvisionNode;
  base: number;
  /** How many of its windows are its root's own (the pair its root ends comes after them). */
  readonly headCount: number;
  readonly rootFeatures: Features | null;
  readonly rootText: string;
  /** Section votes of its provisions, for every provision above it, in the order they were cast. */
  readonly votes: ReadonlyMap<string, number>;
  /** Its inner provisions in the order they got their first vote, each with the section it voted, if any. */
  readonly voteOrder: readonly (readonly [readonly number[], string | null])[];
  /** Its provisions whose titles name a guideline section, in document order. */
  readonly titles: readonly (readonly [readonly number[], string])[];
  readonly rootTitle: string | null;
  readonly rootVoted: string | null;
  /** Its windows aligned, per context (lead-in, sections above): the last few, oldest first. */
  readonly readings: { readonly leadIn: Features | null; readonly outerTitle: string | null; readonly outerVoted: string | null; readonly reading: UnitReading }[];
}

interface KeptWindow {
  readonly kind: WindowKind;
  readonly path: readonly number[];
  readonly text: string;
  /** As it was at `UnitReading.base`. */
  readonly range: TextRange;
  readonly sectionId: string | null;
  readonly matches: readonly Match[];
  readonly entries: readonly MatchEntry[];
}

/**
 * A unit's windows, each made when first asked for (assembledWindow), and the matches of each (of its
 * reading's entries, in their order); placed by the alignment that lists them.
 */
interface AssembledUnit {
  readonly reading: UnitReading;
  /** The analysis that last handed it out (see Aligner.#assembledOf), and where that analysis placed it. */
  stamp: number;
  root: ProvisionNode | null;
  readonly windows: (PlacedWindow | null)[];
  readonly matches: (readonly UnitMatch[])[];
  /** The indices of the windows that match something, ascending. */
  readonly matched: number[];
}

const NO_UNIT_MATCHES: readonly UnitMatch[] = [];

/** The unit's window `i` (made once per assembled unit, so its matches and the window list agree). */
function assembledWindow(built: AssembledUnit, i: number): PlacedWindow {
  const made = built.windows[i];
  if (made) return made;
  const k = built.reading.windows[i]!;
  const window: PlacedWindow = { kind: k.kind, text: k.text, sectionId: k.sectionId, matches: k.matches, node: null, range: null, unit: built, index: i };
  built.windows[i] = window;
  return window;
}

/**
 * The alignment's result, its window list made when first read. Made outside `align`: a getter written there
 * would keep the whole planning scope (its steps, votes and per-provision maps) alive with the result.
 */
function rawAlignment(
  parts: readonly GuidelinePart[],
  listed: readonly (Window | UnitStretch)[],
  sectionNodes: ReadonlyMap<string, ProvisionNode>,
  unitMatches: ReadonlyMap<string, readonly UnitMatch[]>,
  roots: ReadonlyMap<AssembledUnit, ProvisionNode>,
  stamp: number,
): RawAlignment {
  let windows: Window[] | null = null;
  // Where this analysis placed a unit: read from the unit while no later analysis has handed it out again.
  const rootOf = (unit: AssembledUnit): ProvisionNode => {
    const root = unit.stamp === stamp ? unit.root : roots.get(unit);
    if (!root) throw new Error('a window of another alignment');
    return root;
  };
  return {
    parts,
    get windows(): readonly Window[] {
      if (!windows) {
        windows = [];
        for (const x of listed) {
          if ('kind' in x) windows.push(x);
          else for (let i = x.from; i < x.to; i++) windows.push(assembledWindow(x.built, i));
        }
      }
      return windows;
    },
    sectionNodes,
    unitMatches,
    nodeOf(w: Window): ProvisionNode {
      const x = w as PlacedWindow;
      const unit = x.unit;
      return unit === null ? x.node! : nodeAt(rootOf(unit), unit.reading.windows[x.index]!.path);
    },
    rangeOf(w: Window): TextRange {
      const x = w as PlacedWindow;
      const unit = x.unit;
      if (unit === null) return x.range!;
      const k = unit.reading.windows[x.index]!;
      const delta = rootOf(unit).range.start - unit.reading.base;
      return delta === 0 ? k.range : { start: k.range.start + delta, end: k.range.end + delta };
    },
  };
}

/** A step of the plan (one shape): a spine window with its raw scores, or a unit's head or rest. */
interface Step {
  readonly d: DraftWindow | null;
  readonly raw: Map<number, number> | null;
  readonly unit: PlannedUnit | null;
  readonly head: boolean;
}

interface Plan {
  readonly steps: readonly Step[];
  readonly unitOf: ReadonlyMap<ProvisionNode, PlannedUnit>;
}

/** A provision that got votes (in the order its first came), or a unit whose inner provisions did. */
interface VoteEntry {
  readonly node: ProvisionNode | null;
  readonly unit: PlannedUnit | null;
}

interface Votes {
  readonly voted: ReadonlyMap<ProvisionNode, string>;
  readonly voteOrder: readonly VoteEntry[];
}

interface Listing {
  readonly listed: readonly (Window | UnitStretch)[];
  readonly unitMatches: ReadonlyMap<string, readonly UnitMatch[]>;
  readonly roots: ReadonlyMap<AssembledUnit, ProvisionNode>;
  readonly stamp: number;
}

/** A stretch of a unit's windows in the window list (see align). */
interface UnitStretch {
  readonly built: AssembledUnit;
  readonly from: number;
  readonly to: number;
}

interface UnitReading {
  readonly base: number;
  readonly windows: readonly KeptWindow[];
  /** Best score per guideline item of the root's own windows, for the pairs it is part of. */
  readonly rootSingle: Map<string, number> | null;
  /** Its windows and matches as handed out, one per place it stands in an analysis (see Aligner.#assembledOf). */
  readonly assembled: AssembledUnit[];
}

/** The section most of a provision's clauses vote for: at least 3 votes and 60 % of them. */
/**
 * Sorts matches best first, stably, as `list.sort((a, b) => b.score - a.score)`; short lists (nearly all:
 * a unit is matched by a few windows) by insertion in place, where Array.prototype.sort copies each list.
 */
export function byScore(list: UnitMatch[]): void {
  if (list.length > 16) {
    list.sort((a, b) => b.score - a.score);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const m = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]!.score < m.score) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = m;
  }
}

function votedSection(m: ReadonlyMap<string, number>): string | null {
  let total = 0;
  let top: [string, number] = ['', 0];
  for (const e of m) {
    total += e[1];
    if (e[1] > top[1]) top = e;
  }
  return total >= 3 && top[1] / total >= 0.6 ? top[0] : null;
}

/** `f` of the nearest of `ancestors` (outermost first) for which it gives a section (firstOf from the inside). */
function nearest(ancestors: readonly ProvisionNode[], f: (n: ProvisionNode) => string | null): string | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const id = f(ancestors[i]!);
    if (id) return id;
  }
  return null;
}

function firstOf<T>(list: readonly T[], f: (x: T) => string | null): string | null {
  for (let i = 0; i < list.length; i++) {
    const v = f(list[i]!);
    if (v) return v;
  }
  return null;
}

/** The provisions of a subtree, in document order, with their child-index paths from its root. */
function pathsBelow(root: ProvisionNode): Map<ProvisionNode, readonly number[]> {
  const out = new Map<ProvisionNode, readonly number[]>();
  const visit = (n: ProvisionNode, path: readonly number[]): void => {
    out.set(n, path);
    n.children.forEach((c, i) => visit(c, [...path, i]));
  };
  visit(root, []);
  return out;
}

function nodeAt(root: ProvisionNode, path: readonly number[]): ProvisionNode {
  let n = root;
  for (const i of path) n = n.children[i]!;
  return n;
}

/**
 * A provision's own windows: its wording, and each of its blocks when it has several. `features` (null
 * when it has less than 4 characters of wording) is the lead-in of its children and half of its pairs.
 */
function ownWindows(n: ProvisionNode, ancestors: readonly ProvisionNode[], leadIn: Features | null, extractor: FeatureExtractor): { windows: DraftWindow[]; features: Features | null; text: string } {
  const own = ownText(n);
  const windows: DraftWindow[] = [];
  if (own.length < 4) return { windows, features: null, text: own };
  const title = n.title ? titleBigrams(n.title) : null;
  const blocks = n.text.split('\n').map((b) => b.trim()).filter((b) => b.length >= 4);
  let features: Features;
  if (blocks.length > 1) {
    const blockFeatures = blocks.map((b) => extractor.features(b));
    features = unionAll(n.title ? [extractor.features(n.title), ...blockFeatures] : blockFeatures);
    const ownFeatures = features;
    windows.push({ kind: 'provision', nodes: [n], ancestors, leadIn, text: own, range: n.range, features, pair: null, title, body: null });
    blocks.forEach((b, i) =>
      windows.push({ kind: 'block', nodes: [n], ancestors: [...ancestors, n], leadIn: ownFeatures, text: b, range: n.range, features: blockFeatures[i]!, pair: null, title: null, body: null }),
    );
  } else {
    const body = n.title && n.text.trim() ? extractor.features(n.text) : null;
    features = n.title ? union(extractor.features(n.title), body ?? EMPTY) : extractor.features(own);
    windows.push({ kind: 'provision', nodes: [n], ancestors, leadIn, text: own, range: n.range, features, pair: null, title, body });
  }
  return { windows, features, text: own };
}

/** Two adjacent sibling provisions together, for a guideline clause a drafter split in two. */
function pairWindow(previous: Previous, n: ProvisionNode, text: string, features: Features, ancestors: readonly ProvisionNode[], leadIn: Features | null): DraftWindow {
  const pair = [previous.features, features] as const;
  return {
    kind: 'pair',
    nodes: [previous.node, n],
    ancestors,
    leadIn,
    text: `${previous.text}\n${text}`,
    range: { start: previous.node.range.start, end: n.range.end },
    get features() {
      return union(pair[0], pair[1]);
    },
    pair,
    title: null,
    body: null,
  };
}

/**
 * The windows of a draft: every provision's own wording; each unnumbered block (list item, table row,
 * paragraph) of a provision that has several; and each pair of adjacent sibling provisions, for a
 * guideline clause a drafter split in two. Features are tokenised once per distinct text.
 */
function collectWindows(nodes: readonly ProvisionNode[], extractor: FeatureExtractor): DraftWindow[] {
  const out: DraftWindow[] = [];
  collectInto(out, nodes, [], null, extractor);
  return out;
}

function collectInto(out: DraftWindow[], siblings: readonly ProvisionNode[], ancestors: readonly ProvisionNode[], leadIn: Features | null, extractor: FeatureExtractor): void {
  let previous: Previous | null = null;
  for (let i = 0; i < siblings.length; i++) {
    const n = siblings[i]!;
    const own = ownWindows(n, ancestors, leadIn, extractor);
    for (let k = 0; k < own.windows.length; k++) out.push(own.windows[k]!);
    if (own.features && previous) out.push(pairWindow(previous, n, own.text, own.features, ancestors, leadIn));
    previous = own.features ? { node: n, text: own.text, features: own.features } : null;
    collectInto(out, n.children, [...ancestors, n], own.features ?? leadIn, extractor);
  }
}

/** A unit's windows in collectWindows' order (without the pair its root ends), and its root's own. */
function unitWindows(root: ProvisionNode, ancestors: readonly ProvisionNode[], leadIn: Features | null, extractor: FeatureExtractor): { drafts: DraftWindow[]; head: ReturnType<typeof ownWindows> } {
  const head = ownWindows(root, ancestors, leadIn, extractor);
  const drafts = [...head.windows];
  collectInto(drafts, root.children, [...ancestors, root], head.features ?? leadIn, extractor);
  return { drafts, head };
}

const EMPTY: Features = { terms: new Set(), bigrams: new Set() };

/** A number per shared object (raw scores, features), for cache keys. */
const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/**
 * Features are shared objects (one per distinct text, from the extractor's cache), so the union of two is
 * kept per pair: re-analysing a document after an edit builds only the unions the edit changed.
 */
const unions = new WeakMap<Features, WeakMap<Features, Features>>();

/** Whether `a` holds every term and bigram of `b` (a block of a provision, under that provision's features). */
function contains(a: Features, b: Features): boolean {
  if (b.terms.size > a.terms.size || b.bigrams.size > a.bigrams.size) return false;
  for (const t of b.terms) if (!a.terms.has(t)) return false;
  for (const x of b.bigrams) if (!a.bigrams.has(x)) return false;
  return true;
}

/**
 * The union of many feature sets in one pass (a provision of thousands of table rows made the pairwise
 * fold quadratic), kept per list of shared feature objects so that its identity survives re-analysis.
 */
const unionsOfMany = new Map<string, Features>();

function unionAll(list: readonly Features[]): Features {
  if (list.length === 0) return EMPTY;
  if (list.length === 1) return list[0]!;
  if (list.length === 2) return union(list[0]!, list[1]!);
  const key = list.map(idOf).join(',');
  let u = unionsOfMany.get(key);
  if (!u) {
    const terms = new Set<string>();
    const bigrams = new Set<string>();
    for (const f of list) {
      for (const t of f.terms) terms.add(t);
      for (const b of f.bigrams) bigrams.add(b);
    }
    u = { terms, bigrams };
    if (unionsOfMany.size >= 20_000) unionsOfMany.clear();
    unionsOfMany.set(key, u);
  }
  return u;
}

function union(a: Features, b: Features): Features {
  if (b === EMPTY) return a;
  if (a === EMPTY) return b;
  let byB = unions.get(a);
  if (!byB) unions.set(a, (byB = new WeakMap()));
  let u = byB.get(b);
  if (!u) {
    // A subset (a block under its provision's features) adds nothing: the superset itself is the union.
    u = contains(a, b) ? a : contains(b, a) ? b : { terms: unionOf(a.terms, b.terms), bigrams: unionOf(a.bigrams, b.bigrams) };
    byB.set(b, u);
  }
  return u;
}

/** Membership views over several feature objects (the contexts of pairs), one per list of them: nested by object. */
interface MembershipNode {
  view?: FeatureMembership;
  next?: WeakMap<Features, MembershipNode>;
}
const memberships = new WeakMap<Features, MembershipNode>();

/** The membership of the union of `list` (no union built), the same object for the same list of objects. */
function membershipOf(list: readonly Features[]): FeatureMembership {
  if (list.length === 1) return list[0]!;
  let node = memberships.get(list[0]!);
  if (!node) memberships.set(list[0]!, (node = {}));
  for (let k = 1; k < list.length; k++) {
    node.next ??= new WeakMap();
    let child: MembershipNode | undefined = node.next.get(list[k]!);
    if (!child) node.next.set(list[k]!, (child = {}));
    node = child;
  }
  return (node.view ??= unionView(list));
}

/** The union of two sets, in the order `[...a, ...b]` would give (copied natively, then added without an iterator). */
function unionOf(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const u = new Set(a);
  b.forEach((x) => u.add(x));
  return u;
}

function unionView(list: readonly Features[]): FeatureMembership {
  const view = (sets: readonly ReadonlySet<string>[]): { has(x: string): boolean } => {
    const a = sets[0];
    const b = sets[1];
    const c = sets[2];
    if (sets.length === 2) return { has: (x) => a!.has(x) || b!.has(x) };
    if (sets.length === 3) return { has: (x) => a!.has(x) || b!.has(x) || c!.has(x) };
    return { has: (x) => sets.some((s) => s.has(x)) };
  };
  return { terms: view(list.map((f) => f.terms)), bigrams: view(list.map((f) => f.bigrams)) };
}

function ownText(n: ProvisionNode): string {
  return [n.title ?? '', n.text].filter((s) => s.trim()).join(' ');
}

/** A draft section and a unit's section are related when one contains the other (6 ⊃ 6.1). */
function related(unitSection: string, draftSection: string): boolean {
  return isWithin(unitSection, draftSection) || isWithin(draftSection, unitSection);
}

const titleCache = new Map<string, ReadonlySet<string>>();

function titleBigrams(title: string): ReadonlySet<string> {
  let b = titleCache.get(title);
  if (!b) {
    b = bigramsOf(normalizeForMatch(title.replace(/^[\s第0-9０-９.．章節条()（）]+/, '')));
    if (titleCache.size >= 20_000) titleCache.clear();
    titleCache.set(title, b);
  }
  return b;
}


function empty(parts: readonly GuidelinePart[]): RawAlignment {
  return rawAlignment(parts, [], new Map(), new Map(), new Map(), -1);
}
