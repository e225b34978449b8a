/**
 * Quick fixes for findings, computed when the editor asks (never carried in every diagnostic).
 * Each fix edits only what it names (an insertion point, a clause's end, the front matter, number tokens)
 * and removes its own finding, so applying it a second time is impossible: the action is no longer offered.
 */
import type { AlignmentResult } from '../align';
import type { Catalog } from '../catalog/types';
import { itemIndex } from '../catalog';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import type { Finding, TextEdit, TextRange } from '../types';
import { formatLike, templateOf, type Adaptation } from './adapt';
import { declareInFrontMatter } from './frontMatterEdit';
import { planInsertion } from './insert';
import { draftTree } from './tree';

export type RecommendedMarker = 'inline' | 'frontMatter' | 'off';

export interface PolicyCodeAction {
  /** Japanese title for the quick-fix menu. */
  readonly title: string;
  readonly kind: 'quickfix';
  /** The finding it fixes. */
  readonly finding: Finding;
  readonly edits: readonly TextEdit[];
  readonly isPreferred?: boolean;
}

export interface FixContext {
  readonly parsed: ParsedPolicy;
  readonly alignment: AlignmentResult | null;
  readonly catalog: Catalog;
  readonly adaptation: Adaptation;
  readonly recommendedMarker: RecommendedMarker;
}

const RECOMMENDED_MARK = /【\s*推\s*奨\s*(?:事\s*項)?\s*】|［推奨事項］|\[推奨事項\]/u;

export function fixesFor(finding: Finding, ctx: FixContext): PolicyCodeAction[] {
  const out: PolicyCodeAction[] = [];
  const add = (title: string, edits: readonly (TextEdit | null)[], isPreferred = false): void => {
    const real = edits.filter((e): e is TextEdit => e !== null);
    if (real.length === 0) return;
    out.push({ title, kind: 'quickfix', finding, edits: real, ...(isPreferred ? { isPreferred } : {}) });
  };
  for (const f of finding.fixes ?? []) add(f.title, f.edits, f.isPreferred ?? false);
  const id = finding.guidelineId;
  switch (finding.code) {
    case 'missing-item': {
      if (!id) break;
      if (ctx.alignment) {
        const ins = planInsertion(ctx.parsed, ctx.alignment, ctx.catalog, id, ctx.adaptation);
        if (ins) add(`ガイドライン ${id} の例文を${ins.label ? `${ins.label}として` : ''}挿入`, [ins.edit], true);
      }
      add(`${id} を対象外として記録（フロントマターに理由を記入）`, [declareInFrontMatter(ctx.parsed, { kind: 'not-applicable', id })]);
      break;
    }
    case 'unmarked-recommendation': {
      if (!id) break;
      const mark = markRecommended(ctx.parsed, finding.range);
      add('【推奨事項】を付けて採用を明記', [mark], ctx.recommendedMarker !== 'frontMatter');
      add(`フロントマターの adopted-recommendations に ${id} を追加`, [declareInFrontMatter(ctx.parsed, { kind: 'adopted', id })], ctx.recommendedMarker === 'frontMatter');
      break;
    }
    case 'numbering-gap':
    case 'numbering-duplicate': {
      const edits = renumber(ctx.parsed, finding.range);
      if (edits) add('以降の番号を振り直す', edits);
      break;
    }
  }
  return out;
}

/** 【推奨事項】 at the end of the clause's own wording (before its sub-items). */
function markRecommended(parsed: ParsedPolicy, head: TextRange): TextEdit | null {
  const tree = draftTree(parsed);
  const node = tree.all.find((n) => n.headRange.start === head.start) ?? tree.deepestAt(head.start);
  if (!node) return null;
  const text = parsed.text;
  let end = node.children.length > 0 ? node.children[0]!.range.start : node.range.end;
  const own = text.slice(node.headRange.start, end);
  if (RECOMMENDED_MARK.test(own)) return null;
  while (end > node.headRange.start && /\s/.test(text.charAt(end - 1))) end--;
  // Not inside a Markdown line break or after a list marker only.
  if (end <= node.headRange.start) end = node.headRange.end;
  return { range: { start: end, end }, newText: '【推奨事項】' };
}

/**
 * Renumbers the list that holds the number at `at` from its first member, in each member's own style, and
 * rewrites the references (第7条第2項) that name a renumbered article or item by number.
 */
export function renumber(parsed: ParsedPolicy, at: TextRange): TextEdit[] | null {
  const tree = draftTree(parsed);
  const node = tree.all.find((n) => n.numberRange && n.numberRange.start === at.start);
  if (!node || !node.number) return null;
  const list = tree.listOf(node);
  const dotted = node.style === 'dotted';
  // Branch numbers (第5条の2) are deliberate; headings whose dotted children carry their number would go stale.
  if (list.some((n) => !n.number || (!dotted && n.number.length > 1))) return null;
  if (list.some((n) => n.children.some((c) => c.style === 'dotted'))) return null;
  const edits: TextEdit[] = [];
  const renamed = new Map<ProvisionNode, { from: string; to: string }>();
  const last = (n: readonly number[]): number => n[n.length - 1]!;
  let expected = node.kind === 'paragraph' ? Math.min(2, last(list[0]!.number!)) : 1;
  for (const n of list) {
    const want = dotted ? [...n.number!.slice(0, -1), expected] : [expected];
    expected++;
    if (last(want) === last(n.number!)) continue;
    const to = n.kind === 'paragraph' && n.numberText && /^[0-9０-９]+$/.test(n.numberText) ? formatLike({ ...templateOf(parsed, n), style: 'arabic' }, want) : formatLike(templateOf(parsed, n), want);
    edits.push({ range: n.numberRange!, newText: to });
    renamed.set(n, { from: n.numberText!, to });
  }
  if (edits.length === 0) return null;
  for (const ref of parsed.references) {
    const target = ref.target;
    if (!target) continue;
    for (const n of [target, ...tree.ancestorsOf(target)]) {
      const r = renamed.get(n);
      if (!r) continue;
      const i = ref.text.indexOf(r.from);
      if (i >= 0 && parsed.text.slice(ref.range.start + i, ref.range.start + i + r.from.length) === r.from) {
        edits.push({ range: { start: ref.range.start + i, end: ref.range.start + i + r.from.length }, newText: r.to });
      }
      break;
    }
  }
  return edits.sort((a, b) => a.range.start - b.range.start);
}

/** All code actions for the findings that overlap `range`. */
export function codeActions(findings: readonly Finding[], range: TextRange, ctx: FixContext): PolicyCodeAction[] {
  const overlapping = findings.filter((f) => f.range.start <= range.end && range.start <= f.range.end);
  return overlapping.flatMap((f) => {
    try {
      return fixesFor(f, ctx);
    } catch {
      // One finding's fix failing must not take the others (or the request) down with it.
      return [];
    }
  });
}

export function guidelineLabel(catalog: Catalog, id: string): string {
  const item = itemIndex(catalog).get(id);
  return item?.title ? `${id}「${item.title}」` : id;
}
