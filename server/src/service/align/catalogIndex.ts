import type { Catalog, CatalogItem, GuidelinePart } from '../catalog/types';
import type { FeatureExtractor, Features } from './features';

/** A catalog item that has wording of its own to compare (title-only containers are not units). */
export interface Unit {
  readonly index: number;
  readonly item: CatalogItem;
  readonly features: Features;
  readonly termMass: number;
  readonly bigramMass: number;
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
  readonly #termPostings = new Map<string, number[]>();
  readonly #bigramPostings = new Map<string, number[]>();
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
    const termDf = new Map<string, number>();
    const bigramDf = new Map<string, number>();
    raw.forEach(({ features }, i) => {
      for (const t of features.terms) {
        termDf.set(t, (termDf.get(t) ?? 0) + 1);
        push(this.#termPostings, t, i);
      }
      for (const b of features.bigrams) {
        bigramDf.set(b, (bigramDf.get(b) ?? 0) + 1);
        push(this.#bigramPostings, b, i);
      }
    });
    for (const [t, df] of termDf) this.#termIdf.set(t, Math.log((n + 1) / (df + 0.5)));
    for (const [b, df] of bigramDf) this.#bigramIdf.set(b, Math.log((n + 1) / (df + 0.5)));
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
    const walk = (postings: readonly number[] | undefined, w: number, acc: Float64Array): void => {
      if (!postings) return;
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
    for (const t of f.terms) walk(this.#termPostings.get(t), this.#termIdf.get(t) ?? 0, terms);
    for (const b of f.bigrams) walk(this.#bigramPostings.get(b), this.#bigramIdf.get(b) ?? 0, bigrams);
    const out = new Map<number, Contribution>();
    for (const i of touched) {
      out.set(i, { termOverlap: terms[i]!, bigramOverlap: bigrams[i]! });
      terms[i] = 0;
      bigrams[i] = 0;
      seen[i] = 0;
    }
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

  /** How much of the features `of` the features `f` say, idf-weighted like a unit's score. */
  containmentOf(of: Features, f: Features): number {
    let t = 0;
    let tm = 0;
    for (const x of of.terms) {
      const w = this.#termIdf.get(x) ?? 0;
      tm += w;
      if (f.terms.has(x)) t += w;
    }
    let b = 0;
    let bm = 0;
    for (const x of of.bigrams) {
      const w = this.#bigramIdf.get(x) ?? 0;
      bm += w;
      if (f.bigrams.has(x)) b += w;
    }
    const bigram = bm > 0 ? b / bm : 0;
    const term = tm > 0 ? t / tm : bigram;
    return (term + bigram) / 2;
  }

  /** How much of a unit `f` says: idf-weighted containment of its terms and bigrams, averaged. */
  containment(unit: Unit, f: Features): number {
    let t = 0;
    for (const x of unit.features.terms) if (f.terms.has(x)) t += this.#termIdf.get(x) ?? 0;
    let b = 0;
    for (const x of unit.features.bigrams) if (f.bigrams.has(x)) b += this.#bigramIdf.get(x) ?? 0;
    return combine(unit, t, b);
  }
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

function sum(keys: Iterable<string>, weights: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const k of keys) s += weights.get(k) ?? 0;
  return s;
}
