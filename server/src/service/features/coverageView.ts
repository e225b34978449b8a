/**
 * Coverage for the editor: a code lens on each draft heading mapped to a guideline section
 * (「ガイドライン 6.1: 18/21 項目 (推奨 1 採用)」) and the data of the coverage tree view (guideline sections →
 * items with their status, the clause that says each, or where a missing one would be inserted).
 */
import type { AlignmentResult, CoverageStatus, CoverageSummary } from '../align';
import { isWithin } from '../align/deviations';
import type { Catalog, CatalogLevel } from '../catalog/types';
import { itemIndex } from '../catalog';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import type { TextRange } from '../types';
import type { Adaptation } from './adapt';
import { formatStats, sectionStats } from './hover';
import { planInsertion } from './insert';
import { draftTree } from './tree';

export interface PolicyCodeLens {
  readonly range: TextRange;
  readonly title: string;
  readonly sectionId: string;
}

export function codeLenses(parsed: ParsedPolicy, alignment: AlignmentResult, catalog: Catalog): PolicyCodeLens[] {
  const tree = draftTree(parsed);
  const mapped = [...alignment.raw.sectionNodes];
  const out: PolicyCodeLens[] = [];
  const seen = new Set<ProvisionNode>();
  for (const [id, node] of mapped) {
    if (seen.has(node)) continue;
    // A node that holds headings mapped elsewhere (the document's title) is not that section.
    const foreign = mapped.some(([other, n]) => n !== node && !isWithin(other, id) && tree.ancestorsOf(n).includes(node));
    if (foreign) continue;
    seen.add(node);
    const stats = sectionStats(alignment, catalog, id);
    if (stats.mandatory + stats.recommended + stats.notApplicable === 0) continue;
    out.push({ range: node.headRange, title: `ガイドライン ${id}: ${formatStats(stats)}`, sectionId: id });
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

export interface CoverageViewItem {
  readonly id: string;
  readonly parent: string | null;
  readonly level: CatalogLevel;
  /** `6.1(3) 他団体との…` */
  readonly label: string;
  readonly status: CoverageStatus;
  readonly recommended: boolean;
  readonly adopted: boolean;
  readonly reason?: string;
  /** The clause that says it (best match). */
  readonly range?: TextRange;
  /** Where its standard wording would be inserted, for missing items. */
  readonly insertAt?: number;
}

export interface CoverageViewData {
  readonly summary: CoverageSummary;
  readonly items: readonly CoverageViewItem[];
}

export function coverageViewData(parsed: ParsedPolicy, alignment: AlignmentResult, catalog: Catalog, adaptation: Adaptation): CoverageViewData {
  const items = itemIndex(catalog);
  const reported = new Map<string, number>();
  for (const f of alignment.coverage.findings) {
    if (f.code !== 'missing-item' || !f.guidelineId) continue;
    const ins = planInsertion(parsed, alignment, catalog, f.guidelineId, adaptation);
    reported.set(f.guidelineId, ins ? ins.at : f.range.start);
  }
  const insertAtOf = (id: string): number | undefined => {
    for (let i = items.get(id); i; i = i.parent ? items.get(i.parent) : undefined) {
      const at = reported.get(i.id);
      if (at !== undefined) return at;
    }
    const section = alignment.raw.sectionNodes.get(items.get(id)?.section ?? '');
    return section?.headRange.start;
  };
  const out: CoverageViewItem[] = [];
  for (const c of alignment.coverage.items) {
    const item = items.get(c.id);
    if (!item || item.level === 'part') continue;
    const text = item.title ?? item.text.replace(/\s+/g, '');
    const label = item.level === 'section' || item.level === 'subsection' ? `${item.id.replace(/^基本方針 /, '')} ${item.title ?? item.sectionTitle}` : `${item.id} ${text.length > 32 ? `${text.slice(0, 32)}…` : text}`;
    const parent = item.parent && items.get(item.parent)?.level !== 'part' ? item.parent : null;
    const match = c.matches[0];
    const insertAt = c.status === 'missing' && !match ? insertAtOf(c.id) : undefined;
    out.push({
      id: c.id,
      parent,
      level: item.level,
      label,
      status: c.status,
      recommended: c.recommended,
      adopted: c.adopted,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(match ? { range: match.range } : {}),
      ...(insertAt !== undefined ? { insertAt } : {}),
    });
  }
  return { summary: alignment.coverage.summary, items: out };
}
