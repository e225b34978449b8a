/**
 * Where a missing guideline item goes in a draft and how it is written there: after the provision that says
 * its nearest preceding sibling (or before the one that says the next), numbered with the next free number of
 * that list in the list's own style, so that the insertion creates no numbering finding.
 */
import type { AlignmentResult } from '../align';
import type { Catalog, CatalogItem } from '../catalog/types';
import { itemIndex } from '../catalog';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import type { TextEdit } from '../types';
import { adaptWording, childrenOf, formatLike, guidelineTemplate, renderItem, templateOf, type Adaptation, type LevelTemplate } from './adapt';
import { alignmentView, draftTree, type DraftTree } from './tree';

export interface Insertion {
  readonly edit: TextEdit;
  /** The number the item gets (`(14)`, `第5条の2`), or '' when it is unnumbered. */
  readonly label: string;
  /** Where the new text starts (for revealing it). */
  readonly at: number;
}

type Anchor = { readonly node: ProvisionNode; readonly mode: 'after' | 'before' | 'into' };

export function planInsertion(parsed: ParsedPolicy, alignment: AlignmentResult, catalog: Catalog, itemId: string, adaptation: Adaptation): Insertion | null {
  const items = itemIndex(catalog);
  const item = items.get(itemId);
  if (!item || item.level === 'part') return null;
  // Inserting wording the draft already has would only duplicate it, and again on every application.
  if (alreadyWritten(parsed.text, item, catalog, adaptation)) return null;
  const tree = draftTree(parsed);
  const view = alignmentView(alignment, tree, catalog);

  // A section the draft has a heading for (but says none of) gets its items inside that heading.
  const own = alignment.raw.sectionNodes.get(item.id);
  if (own && (item.level === 'section' || item.level === 'subsection')) {
    const kids = (childrenOf(catalog).get(item.id) ?? []).filter((k) => k.level !== 'part');
    return kids.length > 0 ? fillSection(tree, own, kids, catalog, adaptation) : null;
  }

  const anchor = anchorFor(item, catalog, (id) => view.nodeOf(id), alignment);
  if (!anchor) return null;
  return plan(tree, anchor, item, catalog, adaptation);
}

/**
 * True when the draft already says the item's adapted 例文 and that of each item below it, word for word
 * (whitespace and 【推奨事項】 aside), although the alignment still calls the item missing (a table row, a
 * short clause in another section's context). An item without wording of its own and without children has
 * nothing to compare and is never "already written".
 */
export function alreadyWritten(text: string, item: CatalogItem, catalog: Catalog, adaptation: Adaptation): boolean {
  const squash = (s: string): string => s.replace(/\s+/g, '');
  const kids = childrenOf(catalog);
  const wordings: string[] = [];
  const walk = (i: CatalogItem): void => {
    const w = squash(adaptWording(i.text, catalog, adaptation));
    if (w) wordings.push(w);
    for (const k of kids.get(i.id) ?? []) if (k.level !== 'part') walk(k);
  };
  walk(item);
  if (wordings.length === 0) return false;
  const draft = squash(text);
  return wordings.every((w) => draft.includes(w));
}

function anchorFor(item: CatalogItem, catalog: Catalog, nodeOf: (id: string) => ProvisionNode | null, alignment: AlignmentResult): Anchor | null {
  const siblings = item.parent === null ? catalog.items.filter((i) => i.parent === null && i.part === item.part && i.level !== 'part') : (childrenOf(catalog).get(item.parent) ?? []);
  const k = siblings.findIndex((s) => s.id === item.id);
  for (let j = k - 1; j >= 0; j--) {
    const n = nodeOf(siblings[j]!.id);
    if (n) return { node: n, mode: 'after' };
  }
  for (let j = k + 1; j < siblings.length; j++) {
    const n = nodeOf(siblings[j]!.id);
    if (n) return { node: n, mode: 'before' };
  }
  const items = itemIndex(catalog);
  for (let id = item.parent; id; id = items.get(id)?.parent ?? null) {
    const n = nodeOf(id) ?? alignment.raw.sectionNodes.get(id) ?? null;
    if (n) return { node: n, mode: 'into' };
  }
  return null;
}

function key(n: readonly number[]): string {
  return n.join('-');
}

/** The draft's templates for the levels below a list, read from its members' descendants. */
function deeperTemplates(parsed: ParsedPolicy, list: readonly ProvisionNode[]): (LevelTemplate | undefined)[] {
  const out: (LevelTemplate | undefined)[] = [];
  let level: ProvisionNode[] = [...list];
  for (let d = 0; d < 4; d++) {
    level = level.flatMap((n) => n.children);
    const numbered = level.find((n) => n.numberText && n.kind !== 'heading');
    out.push(numbered ? templateOf(parsed, numbered) : undefined);
    if (level.length === 0) break;
  }
  return out;
}

function separatorAfter(parsed: ParsedPolicy, tree: DraftTree, node: ProvisionNode): string {
  const text = parsed.text;
  const list = tree.parentOf(node)?.children ?? parsed.provisions;
  const i = list.indexOf(node);
  const gapText = i + 1 < list.length ? text.slice(node.range.end, lineStart(text, list[i + 1]!.range.start)) : i > 0 ? text.slice(list[i - 1]!.range.end, lineStart(text, node.range.start)) : '\n\n';
  return /\n[ \t]*\n/.test(gapText) || !gapText.includes('\n') ? '\n\n' : '\n';
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function plan(tree: DraftTree, anchor: Anchor, item: CatalogItem, catalog: Catalog, adaptation: Adaptation): Insertion | null {
  const parsed = tree.parsed;
  const text = parsed.text;
  const fallbackTitle = fallbackTitleOf(item, catalog);

  if (anchor.mode === 'into') {
    const container = anchor.node;
    const numbered = container.children.filter((c) => c.numberText && c.kind !== 'heading');
    const last = numbered[numbered.length - 1];
    if (last && last.kind !== 'article') return plan(tree, { node: last, mode: 'after' }, item, catalog, adaptation);
    if (last) return plan(tree, { node: last, mode: 'after' }, item, catalog, adaptation);
    // An empty container: the item becomes its first child, written as the guideline writes it.
    const template = guidelineTemplate(item);
    const deeper: (LevelTemplate | undefined)[] = [];
    const body = renderItem(item, template, template.style === 'none' ? null : [1], { catalog, adaptation, deeper, separator: '\n\n', fallbackTitle });
    const end = container.range.end;
    return { edit: { range: { start: end, end }, newText: `\n\n${body}` }, label: template.style === 'none' ? '' : (item.number ?? ''), at: end + 2 };
  }

  let node = anchor.node;
  let mode = anchor.mode;
  const list = tree.listOf(node);
  const used = new Set(list.filter((n) => n.number).map((n) => key(n.number!)));
  let number: number[] | null = null;
  if (node.number && node.numberText) {
    const n = node.number;
    if (mode === 'before') {
      const candidate = node.style === 'dotted' ? [...n.slice(0, -1), n[n.length - 1]! - 1] : [n[0]! - 1];
      const lowest = node.kind === 'paragraph' ? 2 : 1;
      if (n.length === 1 || node.style === 'dotted') {
        if (candidate[candidate.length - 1]! >= lowest && !used.has(key(candidate))) number = candidate;
      }
      if (!number) {
        node = list[list.length - 1]!;
        mode = 'after';
      }
    }
    if (mode === 'after') {
      const isLast = list[list.length - 1] === node;
      number = nextFree(node.number!, node.style === 'dotted', node.kind === 'article', used, isLast);
      if (!number) {
        // No free number right after it: the end of the list, where the next number is always free.
        node = list[list.length - 1]!;
        number = nextFree(node.number!, node.style === 'dotted', node.kind === 'article', used, true);
      }
    }
  } else if (mode === 'before') {
    mode = 'after';
  }

  const template = node.numberText ? templateOf(parsed, node, list.some((x) => x.style === 'iroha') ? 'iroha' : 'gojuon') : { ...guidelineTemplate(item), style: 'none' as const };
  const deeper = deeperTemplates(parsed, list);
  // Whole articles inside an inserted subtree would need numbers of their own in the document's series.
  if (deeper.some((t) => t?.kind === 'article') && (childrenOf(catalog).get(item.id)?.length ?? 0) > 0) return null;
  const separator = separatorAfter(parsed, tree, node);
  const body = renderItem(item, template, number, { catalog, adaptation, deeper, separator, fallbackTitle });
  if (!body) return null;
  const label = number ? formatLabel(template, number) : '';
  if (mode === 'before') {
    const at = lineStart(text, node.range.start);
    return { edit: { range: { start: at, end: at }, newText: `${body}${separator}` }, label, at };
  }
  const end = node.range.end;
  return { edit: { range: { start: end, end }, newText: `${separator}${body}` }, label, at: end + separator.length };
}

function formatLabel(template: LevelTemplate, number: readonly number[]): string {
  return template.kind === 'paragraph' ? `第${number[0]}項` : formatLike(template, number);
}

function fallbackTitleOf(item: CatalogItem, catalog: Catalog): string {
  const items = itemIndex(catalog);
  for (let i: CatalogItem | undefined = item; i; i = i.parent ? items.get(i.parent) : undefined) if (i.title) return i.title;
  return item.sectionTitle;
}

/** The number after `prev` that no member of the list has: (3) → (4); 第5条 → 第6条, or 第5条の2 when 第6条 exists. */
function nextFree(prev: readonly number[], dotted: boolean, article: boolean, used: ReadonlySet<string>, isLast: boolean): number[] | null {
  const next = dotted ? [...prev.slice(0, -1), prev[prev.length - 1]! + 1] : [prev[0]! + 1];
  if (!used.has(key(next)) && (isLast || article || prev.length === 1)) return next;
  if (!article) return null;
  for (let b = (prev[1] ?? 1) + 1; b < 100; b++) if (!used.has(key([prev[0]!, b]))) return [prev[0]!, b];
  return null;
}

/** A section heading the draft has but fills with nothing: all of the section's items, after its last provision. */
function fillSection(tree: DraftTree, container: ProvisionNode, kids: readonly CatalogItem[], catalog: Catalog, adaptation: Adaptation): Insertion | null {
  const parsed = tree.parsed;
  const numbered = container.children.filter((c) => c.numberText && c.kind !== 'heading');
  const last = numbered[numbered.length - 1];
  const blocks: string[] = [];
  let firstLabel = '';
  const end = container.range.end;
  if (!last) {
    const counters = new Map<string, number>();
    for (const k of kids) {
      const t = guidelineTemplate(k);
      const n = t.style === 'none' ? null : [(counters.get(t.style) ?? 0) + 1];
      if (n) counters.set(t.style, n[0]!);
      blocks.push(renderItem(k, t, n, { catalog, adaptation, deeper: [], separator: '\n\n', fallbackTitle: fallbackTitleOf(k, catalog) }));
      if (!firstLabel && n) firstLabel = formatLabel(t, n);
    }
  } else {
    const list = tree.listOf(last);
    const used = new Set(list.filter((n) => n.number).map((n) => key(n.number!)));
    const template = templateOf(parsed, last);
    const deeper = deeperTemplates(parsed, list);
    if (deeper.some((t) => t?.kind === 'article')) return null;
    let prev: readonly number[] = last.number!;
    const isLast = list[list.length - 1] === last;
    for (const k of kids) {
      const n = nextFree(prev, last.style === 'dotted', last.kind === 'article', used, isLast);
      if (!n) return null;
      used.add(key(n));
      prev = n;
      blocks.push(renderItem(k, template, n, { catalog, adaptation, deeper, separator: separatorAfter(parsed, tree, last), fallbackTitle: fallbackTitleOf(k, catalog) }));
      if (!firstLabel) firstLabel = formatLabel(template, n);
    }
  }
  const body = blocks.filter(Boolean).join('\n\n');
  if (!body) return null;
  return { edit: { range: { start: end, end }, newText: `\n\n${body}` }, label: firstLabel, at: end + 2 };
}
