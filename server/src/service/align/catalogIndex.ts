import type { Catalog, CatalogItem, GuidelinePart } from '../catalog/types';
import type { FeatureExtractor, FeatureMembership, Features } from './features';

/** A catalog item that has wording of its own to compare (title-only containers are not units). */
export interface Unit {
  readonly index: number;
  readonly item: CatalogItem;
  readonly features: Features;
  readonly termMass: number;
  readonly bigramMass: number;
}

/** The units (indices, ascending) holding a feature, and the feature's idf. */
interface Posting {
  readonly units: readonly number[];
  readonly w: number;
}

export interface Contribution {
  readonly termOverlap: number;
  readonly bigramOverlap: number;
}

/**
 * An inverted index over the catalog's units. Feature weights are inverse document frequencies over
 * the units, so boilerplate shared by hundreds of clauses (情報セキュリティ, しなければならない's 行う)
 * weighs almost nothing and the distinctive words of a clause carry its identity.
 */
export class CatalogIndex {
  readonly units: readonly Unit[];
  readonly #termIdf = new Map<string, number>();
  readonly #bigramIdf = new Map<string, number>();
  /** Per feature, the units holding it (ascending) and its idf: one lookup per feature of a clause. */
  readonly #termPostings = new Map<string, Posting>();
  readonly #bigramPostings = new Map<string, Posting>();
  readonly byId: ReadonlyMap<string, CatalogItem>;
  readonly catalogItems: readonly CatalogItem[];
  readonly children: ReadonlyMap<string, readonly CatalogItem[]>;
  readonly #unitIndexById = new Map<string, number>();
  /** Title and wording of every item that has children: the context (lead-in) its children continue. */
  readonly #contextFeatures = new Map<string, Features>();
  /** Per unit, the bit of its guideline part (partBit). */
  readonly #unitPart: Uint8Array;
  /** Scratch accumulators of `overlaps`, one slot per unit, zero between calls. */
  readonly #termAcc: Float64Array;
  readonly #bigramAcc: Float64Array;
  readonly #seen: Uint8Array;
  /** Scratch of `scoresAtLeast`: the kept units' scores, and the position of the feature that first reached each. */
  readonly #scratchScores: Float64Array;
  readonly #firstReached: Int32Array;

  constructor(catalog: Catalog, extractor: FeatureExtractor) {
    const byId = new Map<string, CatalogItem>();
    const children = new Map<string, CatalogItem[]>();
    for (const item of catalog.items) {
      byId.set(item.id, item);
      if (item.parent) {
        const list = children.get(item.parent) ?? [];
        list.push(item);
        children.set(item.parent, list);
      }
    }
    this.byId = byId;
    this.catalogItems = catalog.items;
    this.children = children;

    const raw: { item: CatalogItem; features: Features }[] = [];
    for (const item of catalog.items) {
      if (!isUnitItem(item)) continue;
      raw.push({ item, features: extractor.features(unitText(item)) });
    }
    const n = raw.length;
    const termUnits = new Map<string, number[]>();
    const bigramUnits = new Map<string, number[]>();
    // forEach rather than for…of here and in the scoring below: this runs once per process, in code not
    // yet optimised, where each iterator step (and destructured entry) is an allocation.
    raw.forEach(({ features }, i) => {
      features.terms.forEach((t) => push(termUnits, t, i));
      features.bigrams.forEach((b) => push(bigramUnits, b, i));
    });
    // A feature's document frequency is the number of units holding it.
    termUnits.forEach((units, t) => {
      const w = Math.log((n + 1) / (units.length + 0.5));
      this.#termIdf.set(t, w);
      this.#termPostings.set(t, { units, w });
    });
    bigramUnits.forEach((units, b) => {
      const w = Math.log((n + 1) / (units.length + 0.5));
      this.#bigramIdf.set(b, w);
      this.#bigramPostings.set(b, { units, w });
    });
    raw.forEach(({ item }, i) => this.#unitIndexById.set(item.id, i));
    for (const [id, kids] of children) {
      const parent = byId.get(id);
      if (!parent || kids.length === 0 || parent.level === 'part' || parent.level === 'section' || parent.level === 'subsection') continue;
      if (unitText(parent).trim()) this.#contextFeatures.set(id, extractor.features(unitText(parent)));
    }
    this.units = raw.map(({ item, features }, index) => ({
      index,
      item,
      features,
      termMass: sum(features.terms, this.#termIdf),
      bigramMass: sum(features.bigrams, this.#bigramIdf),
    }));
    this.#unitPart = Uint8Array.from(this.units, (u) => partBit(u.item.part));
    this.#termAcc = new Float64Array(n);
    this.#bigramAcc = new Float64Array(n);
    this.#seen = new Uint8Array(n);
    this.#scratchScores = new Float64Array(n);
    this.#firstReached = new Int32Array(n);
  }

  /**
   * For every unit sharing a feature with `f`, the idf mass of the shared terms and bigrams.
   * Exact (not approximate) because the postings are walked once per distinct feature of the clause.
   * Units come in the order a feature first reached them; the sums are added in feature order.
   */
  overlaps(f: Features, parts?: ReadonlySet<GuidelinePart>): Map<number, Contribution> {
    // Dense scratch accumulators, reset through the list of units touched (a Map entry per posting was
    // most of the cost of an analysis).
    const terms = this.#termAcc;
    const bigrams = this.#bigramAcc;
    const seen = this.#seen;
    const touched: number[] = [];
    const allowed = parts ? this.#partMask(parts) : -1;
    const unitPart = this.#unitPart;
    const walk = (posting: Posting | undefined, acc: Float64Array): void => {
      if (!posting) return;
      const { units: postings, w } = posting;
      for (let k = 0; k < postings.length; k++) {
        const i = postings[k]!;
        if ((allowed & unitPart[i]!) === 0) continue;
        if (seen[i] === 0) {
          seen[i] = 1;
          touched.push(i);
        }
        acc[i]! += w;
      }
    };
    for (const t of f.terms) walk(this.#termPostings.get(t), terms);
    for (const b of f.bigrams) walk(this.#bigramPostings.get(b), bigrams);
    const out = new Map<number, Contribution>();
    for (const i of touched) {
      out.set(i, { termOverlap: terms[i]!, bigramOverlap: bigrams[i]! });
      terms[i] = 0;
      bigrams[i] = 0;
      seen[i] = 0;
    }
    return out;
  }

  /**
   * `overlaps` fused with `combine` and a threshold: the score of every unit of the parts sharing a feature
   * with `f` that reaches `threshold`, in the order `overlaps` gives them, each value bit for bit what
   * `combine(unit, termOverlap, bigramOverlap)` of `overlaps` gives: each unit's sums are the same
   * additions of the same weights in the same (feature) order. But no object or Map entry is made per unit
   * touched (most share a word or two and score far below), and the walk of the postings keeps no list of
   * the units touched: the accumulators are read once over all units, and the order `overlaps` would give
   * (by the feature that first reached a unit, then by unit index, as in the postings) is found for the
   * kept units only, walking the features again until each of them is reached (most are by the first few).
   */
  scoresAtLeast(f: Features, parts: ReadonlySet<GuidelinePart> | undefined, threshold: number): Map<number, number> {
    const termPostings = this.#termPostings;
    const bigramPostings = this.#bigramPostings;
    const allowed = parts ? this.#partMask(parts) : -1;
    const unitPart = this.#unitPart;
    const termAcc = this.#termAcc;
    const bigramAcc = this.#bigramAcc;
    f.terms.forEach((t) => {
      const p = termPostings.get(t);
      if (p !== undefined) accumulate(p.units, p.w, termAcc, allowed, unitPart);
    });
    f.bigrams.forEach((b) => {
      const p = bigramPostings.get(b);
      if (p !== undefined) accumulate(p.units, p.w, bigramAcc, allowed, unitPart);
    });
    // Every weight is positive, so a unit was reached exactly when one of its sums is not zero.
    const kept: number[] = [];
    const scores = this.#scratchScores;
    const all = this.units;
    for (let i = 0; i < all.length; i++) {
      const t = termAcc[i]!;
      const b = bigramAcc[i]!;
      if (t === 0 && b === 0) continue;
      termAcc[i] = 0;
      bigramAcc[i] = 0;
      const s = combine(all[i]!, t, b);
      if (s >= threshold) {
        kept.push(i);
        scores[i] = s;
      }
    }
    if (kept.length > 1) {
      const first = this.#firstReached;
      const pending = this.#seen;
      for (let k = 0; k < kept.length; k++) pending[kept[k]!] = 1;
      let left = kept.length;
      let position = 0;
      const reach = (postings: Map<string, Posting>, features: ReadonlySet<string>): void => {
        for (const x of features) {
          const p = postings.get(x);
          if (p !== undefined) {
            const units = p.units;
            for (let k = 0; k < units.length; k++) {
              const i = units[k]!;
              if (pending[i] === 0) continue; // not kept (another part, or below the threshold), or placed already
              pending[i] = 0;
              first[i] = position;
              if (--left === 0) return;
            }
          }
          position++;
        }
      };
      reach(termPostings, f.terms);
      if (left > 0) reach(bigramPostings, f.bigrams);
      kept.sort((a, b) => first[a]! - first[b]! || a - b);
    }
    const out = new Map<number, number>();
    for (let k = 0; k < kept.length; k++) out.set(kept[k]!, scores[kept[k]!]!);
    return out;
  }

  /**
   * What `scoresAtLeast` gives for the union of `lists` (a Set built from them in order: the first list's
   * features, then each next list's new ones, as `new Set([...a, ...b])` orders them), for the given units
   * only: those of them that reach `threshold`, in the same order and bit for bit. Each unit's sums are
   * added in the union's feature order, and units come in the order the union's features first reach them,
   * ties (a feature reaching several) by unit index as in the postings. The union is never built: each
   * feature is checked against the few units asked about. The units must be in the parts the caller scores.
   */
  scoresOfUnionAtLeast(lists: readonly Features[], units: readonly number[], threshold: number): Map<number, number> {
    const m = units.length;
    const termSets = lists.map((f) => f.terms);
    const bigramSets = lists.map((f) => f.bigrams);
    const first = new Float64Array(m).fill(Infinity);
    const scores = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const unit = this.units[units[k]!]!;
      const t = sumInUnionOrder(unit.features.terms, termSets, this.#termIdf, first, k, 0);
      const b = sumInUnionOrder(unit.features.bigrams, bigramSets, this.#bigramIdf, first, k, BIGRAM_POSITIONS);
      scores[k] = combine(unit, t, b);
    }
    const order = [...units.keys()].filter((k) => first[k] !== Infinity).sort((p, q) => first[p]! - first[q]! || units[p]! - units[q]!);
    const out = new Map<number, number>();
    for (const k of order) if (scores[k]! >= threshold) out.set(units[k]!, scores[k]!);
    return out;
  }

  #partMask(parts: ReadonlySet<GuidelinePart>): number {
    let mask = 0;
    for (const p of parts) mask |= partBit(p);
    return mask;
  }

  termIdf(t: string): number {
    return this.#termIdf.get(t) ?? 0;
  }

  /** Idf of a bigram; one the catalog never uses is as distinctive as the rarest. */
  bigramIdf(b: string): number {
    return this.#bigramIdf.get(b) ?? Math.log(this.units.length + 1);
  }

  /** The unit of a catalog item id, when the item has wording of its own. */
  unitOf(id: string): Unit | undefined {
    const i = this.#unitIndexById.get(id);
    return i === undefined ? undefined : this.units[i];
  }

  /** Features of the lead-in (title and wording) of an item's parent, when the parent is an item with either. */
  contextOf(id: string): Features | undefined {
    return this.#contextFeatures.get(id);
  }

  /** How much of the features `of` the features `f` say, idf-weighted like a unit's score (only `f`'s membership is read). */
  containmentOf(of: Features, f: FeatureMembership): number {
    // `of` is a lead-in's features, asked for against every window under it: its terms and bigrams with
    // their idf are listed once (the same sums, in the same order, as over the sets).
    let l = this.#containmentLists.get(of);
    if (!l) {
      l = { terms: weightedKeys(of.terms, (x) => this.#termIdf.get(x) ?? 0), bigrams: weightedKeys(of.bigrams, (x) => this.#bigramIdf.get(x) ?? 0) };
      this.#containmentLists.set(of, l);
    }
    const bigram = l.bigrams.total > 0 ? sharedWeight(l.bigrams, f.bigrams) / l.bigrams.total : 0;
    const term = l.terms.total > 0 ? sharedWeight(l.terms, f.terms) / l.terms.total : bigram;
    return (term + bigram) / 2;
  }

  readonly #containmentLists = new WeakMap<Features, { readonly terms: WeightedKeys; readonly bigrams: WeightedKeys }>();

  /** How much of a unit `f` says: idf-weighted containment of its terms and bigrams, averaged. */
  containment(unit: Unit, f: Features): number {
    let t = 0;
    for (const x of unit.features.terms) if (f.terms.has(x)) t += this.#termIdf.get(x) ?? 0;
    let b = 0;
    for (const x of unit.features.bigrams) if (f.bigrams.has(x)) b += this.#bigramIdf.get(x) ?? 0;
    return combine(unit, t, b);
  }
}

/**
 * Positions in a union of feature sets, in the order its Set would hold them: set `l`'s `i`-th feature is
 * at `l * LIST_POSITIONS + i` (a feature also in an earlier set is at that set's position), terms before
 * bigrams. Exact in a double for any feature set that fits in memory.
 */
const LIST_POSITIONS = 2 ** 24;
const BIGRAM_POSITIONS = 2 ** 48;

/**
 * The weights of the union of `sets`' features that `unit` holds, added in the union's order (each where
 * it first occurs), as the postings walk adds them; the position of the first one goes to `first[k]`
 * unless one was found before (a term, for the bigrams).
 */
function sumInUnionOrder(unit: ReadonlySet<string>, sets: readonly ReadonlySet<string>[], idf: ReadonlyMap<string, number>, first: Float64Array, k: number, offset: number): number {
  let sum = 0;
  for (let l = 0; l < sets.length; l++) {
    let i = 0;
    for (const x of sets[l]!) {
      if (unit.has(x) && !inEarlier(sets, l, x)) {
        if (first[k] === Infinity) first[k] = offset + l * LIST_POSITIONS + i;
        sum += idf.get(x) ?? 0;
      }
      i++;
    }
  }
  return sum;
}

/** Whether a feature of `sets[l]` is already in an earlier set (the union has it from there). */
function inEarlier(sets: readonly ReadonlySet<string>[], l: number, x: string): boolean {
  for (let j = 0; j < l; j++) if (sets[j]!.has(x)) return true;
  return false;
}

/** One bit per guideline part, for filtering postings by part (any other part name shares a third). */
function partBit(part: GuidelinePart): number {
  return part === 'basic-policy' ? 1 : part === 'standards' ? 2 : 4;
}

/** The text a unit is compared by: its title (if any) and its own wording. */
export function unitText(item: CatalogItem): string {
  return [item.title ?? '', item.text].filter(Boolean).join(' ');
}

/**
 * Every item with wording of its own is a unit; title-only items are covered through their children.
 * The part's preamble (本対策基準は、…定めたものである。) introduces the model text and is not an item to adopt.
 */
export function isUnitItem(item: CatalogItem): boolean {
  if (item.level === 'part') return false;
  return item.text.replace(/【[^】]*】/g, '').trim().length > 0;
}

/** The score of a unit against a text from the idf mass they share: term and bigram containment, averaged. */
export function combine(unit: Unit, termOverlap: number, bigramOverlap: number): number {
  const bigram = unit.bigramMass > 0 ? bigramOverlap / unit.bigramMass : 0;
  const term = unit.termMass > 0 ? termOverlap / unit.termMass : bigram;
  return (term + bigram) / 2;
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

/**
 * Adds a feature's weight to the accumulator of each unit holding it in the allowed parts: the inner loop of
 * raw scoring, a small function of its own so that it is optimised early (a first analysis runs it cold).
 */
function accumulate(units: readonly number[], w: number, acc: Float64Array, allowed: number, unitPart: Uint8Array): void {
  for (let k = 0; k < units.length; k++) {
    const i = units[k]!;
    if ((allowed & unitPart[i]!) !== 0) acc[i]! += w;
  }
}

function sum(keys: ReadonlySet<string>, weights: ReadonlyMap<string, number>): number {
  let s = 0;
  keys.forEach((k) => (s += weights.get(k) ?? 0));
  return s;
}

/** A set that never changes, listed once with each member's weight and the weights' sum (taken in that order). */
export interface WeightedKeys {
  readonly keys: readonly string[];
  readonly weights: Float64Array;
  readonly total: number;
}

/** `set` as WeightedKeys: sums over it then read an array instead of a set and a map per member. */
export function weightedKeys(set: ReadonlySet<string>, weight: (key: string) => number): WeightedKeys {
  const keys = Array.from(set);
  const weights = new Float64Array(keys.length);
  let total = 0;
  for (let i = 0; i < keys.length; i++) total += weights[i] = weight(keys[i]!);
  return { keys, weights, total };
}

/** The weight of the members of `list` that `other` holds, summed in the list's order. */
function sharedWeight(list: WeightedKeys, other: { has(key: string): boolean }): number {
  let s = 0;
  for (let i = 0; i < list.keys.length; i++) if (other.has(list.keys[i]!)) s += list.weights[i]!;
  return s;
}
