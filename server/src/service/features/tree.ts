/**
 * Navigation over a parsed draft (parents, numbering lists, the node at an offset) and over its alignment
 * (which guideline units a provision says, which provision says a guideline item). Memoised per snapshot,
 * so hover and code actions on the same version share the work.
 */
import type { AlignmentResult } from '../align';
import { ALIGN } from '../align/engine';
import type { Window } from '../align/engine';
import type { Catalog, CatalogItem } from '../catalog/types';
import { itemIndex } from '../catalog';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import { childrenOf } from './adapt';

export interface DraftTree {
  readonly parsed: ParsedPolicy;
  parentOf(node: ProvisionNode): ProvisionNode | null;
  /** The numbering list a node belongs to: its numbered siblings of the same style; for articles, the document's series. */
  listOf(node: ProvisionNode): readonly ProvisionNode[];
  /** Ancestors, nearest first. */
  ancestorsOf(node: ProvisionNode): ProvisionNode[];
  /** The innermost provision whose range holds `offset`. */
  deepestAt(offset: number): ProvisionNode | null;
  /** Every provision in document order. */
  readonly all: readonly ProvisionNode[];
}

const trees = new WeakMap<ParsedPolicy, DraftTree>();

export function draftTree(parsed: ParsedPolicy): DraftTree {
  const hit = trees.get(parsed);
  if (hit) return hit;
  const parents = new Map<ProvisionNode, ProvisionNode | null>();
  const all: ProvisionNode[] = [];
  const roots: ProvisionNode[] = [];
  const walk = (nodes: readonly ProvisionNode[], parent: ProvisionNode | null): void => {
    for (const n of nodes) {
      parents.set(n, parent);
      all.push(n);
      walk(n.children, n);
    }
  };
  walk(parsed.provisions, null);
  roots.push(...parsed.provisions);

  // Articles run through the whole document; 第1条 under another top-level provision starts a new series.
  const series: ProvisionNode[][] = [];
  let lastRoot: ProvisionNode | null = null;
  const rootOf = (n: ProvisionNode): ProvisionNode => {
    let r = n;
    for (let p = parents.get(r); p; p = parents.get(p)) r = p;
    return r;
  };
  for (const n of all) {
    if (n.kind !== 'article' || !n.number) continue;
    const r = rootOf(n);
    if (series.length === 0 || (n.number[0] === 1 && n.number.length === 1 && r !== lastRoot)) series.push([]);
    series[series.length - 1]!.push(n);
    lastRoot = r;
  }
  const seriesOf = new Map<ProvisionNode, ProvisionNode[]>();
  for (const s of series) for (const n of s) seriesOf.set(n, s);

  const sameList = (a: ProvisionNode, b: ProvisionNode): boolean => {
    if (!a.number || !b.number || a.kind === 'heading' || b.kind === 'heading') return false;
    const kana = (s: string): boolean => s === 'katakana' || s === 'iroha';
    return a.style === b.style || (kana(a.style) && kana(b.style));
  };

  const tree: DraftTree = {
    parsed,
    parentOf: (n) => parents.get(n) ?? null,
    listOf(n) {
      if (n.kind === 'article') return seriesOf.get(n) ?? [n];
      const parent = parents.get(n);
      const siblings = parent ? parent.children : roots;
      const list = siblings.filter((s) => s === n || sameList(s, n));
      return list.length > 0 ? list : [n];
    },
    ancestorsOf(n) {
      const out: ProvisionNode[] = [];
      for (let p = parents.get(n); p; p = parents.get(p)) out.push(p);
      return out;
    },
    deepestAt(offset) {
      let best: ProvisionNode | null = null;
      let level: readonly ProvisionNode[] = parsed.provisions;
      for (;;) {
        const hit = level.find((n) => n.range.start <= offset && offset <= n.range.end);
        if (!hit) return best;
        best = hit;
        level = hit.children;
      }
    },
    all,
  };
  trees.set(parsed, tree);
  return tree;
}

export interface NodeMatch {
  readonly item: CatalogItem;
  readonly score: number;
  readonly window: Window;
}

export interface AlignmentView {
  /** Guideline units this provision covers, best first. */
  matchesOf(node: ProvisionNode): readonly NodeMatch[];
  /** The provision that says a guideline item (a unit's best match, a section's heading, a titled item's heading). */
  nodeOf(id: string): ProvisionNode | null;
}

const views = new WeakMap<AlignmentResult, AlignmentView>();

export function alignmentView(alignment: AlignmentResult, tree: DraftTree, catalog: Catalog): AlignmentView {
  const hit = views.get(alignment);
  if (hit) return hit;
  const items = itemIndex(catalog);
  const byNode = new Map<ProvisionNode, NodeMatch[]>();
  for (const [id, list] of alignment.raw.unitMatches) {
    const item = items.get(id);
    if (!item) continue;
    for (const m of list) {
      if (m.score < ALIGN.coverThreshold) continue;
      const node = alignment.raw.nodeOf(m.window);
      const nodes = m.window.kind === 'pair' ? pairNodes(node, tree) : [node];
      for (const n of nodes) {
        const l = byNode.get(n) ?? [];
        if (!l.some((x) => x.item.id === id)) l.push({ item, score: m.score, window: m.window });
        byNode.set(n, l);
      }
    }
  }
  for (const l of byNode.values()) l.sort((a, b) => b.score - a.score);

  const memo = new Map<string, ProvisionNode | null>();
  const nodeOf = (id: string): ProvisionNode | null => {
    if (memo.has(id)) return memo.get(id)!;
    memo.set(id, null);
    const item = items.get(id);
    let found: ProvisionNode | null = alignment.raw.sectionNodes.get(id) ?? null;
    const best = alignment.raw.unitMatches.get(id)?.find((m) => m.score >= ALIGN.coverThreshold && m.window.kind !== 'pair');
    if (!found && best) found = alignment.raw.nodeOf(best.window);
    if (!found && item) found = viaDescendants(item);
    memo.set(id, found);
    return found;
  };

  // A titled item without wording of its own (6.1(6) ログの取得等) is the provision its children sit in.
  const viaDescendants = (item: CatalogItem): ProvisionNode | null => {
    const kids = childrenOf(catalog).get(item.id) ?? [];
    for (const k of kids) {
      const n = nodeOf(k.id);
      if (!n) continue;
      const parent = tree.parentOf(n);
      const candidates = [n, ...tree.ancestorsOf(n)];
      if (item.title) {
        const titled = candidates.find((c) => c.title !== null && similarTitle(c.title, item.title!));
        if (titled) return titled;
      }
      return parent;
    }
    return null;
  };

  const view: AlignmentView = { matchesOf: (n) => byNode.get(n) ?? [], nodeOf };
  views.set(alignment, view);
  return view;
}

/** The two provisions of a pair window, from its first. */
function pairNodes(first: ProvisionNode, tree: DraftTree): ProvisionNode[] {
  const list = tree.parentOf(first)?.children ?? tree.parsed.provisions;
  const i = list.indexOf(first);
  return i >= 0 && i + 1 < list.length ? [first, list[i + 1]!] : [first];
}

function similarTitle(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFKC').replace(/[\s（）()「」]/g, '');
  const x = norm(a);
  const y = norm(b);
  if (x === y || x.includes(y) || y.includes(x)) return true;
  const bigrams = (s: string): Set<string> => new Set(Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => s.slice(i, i + 2)));
  const bx = bigrams(x);
  const by = bigrams(y);
  let common = 0;
  for (const g of bx) if (by.has(g)) common++;
  return bx.size + by.size > 0 && (2 * common) / (bx.size + by.size) >= 0.5;
}
