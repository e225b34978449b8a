/**
 * Hover: on a reference (前条, 第5条第2項), the text it points to; on a clause, the guideline item(s) it says,
 * with the 例文 diffed against the clause, whether it is mandatory or a 推奨事項, and the 解説; on a heading
 * mapped to a guideline section, that section's coverage and 趣旨.
 */
import type { AlignmentResult } from '../align';
import { isWithin } from '../align/deviations';
import type { Catalog, CatalogItem } from '../catalog/types';
import { commentaryFor, itemIndex } from '../catalog';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import type { TextRange } from '../types';
import { adaptWording, type Adaptation } from './adapt';
import { diffChars, escapeMarkdown, renderDiffMarkdown } from './diff';
import { provisionLabel, referenceAt } from './structure';
import { alignmentView, draftTree } from './tree';

export interface PolicyHover {
  readonly range: TextRange;
  /** Markdown. */
  readonly markdown: string;
}

const COMMENTARY_CHARS = 700;
const TARGET_CHARS = 900;
const MAX_ITEMS = 2;

export function hoverAt(parsed: ParsedPolicy, offset: number, alignment: AlignmentResult | null, catalog: Catalog, adaptation: Adaptation): PolicyHover | null {
  const ref = referenceAt(parsed, offset);
  if (ref?.target) return { range: ref.range, markdown: referenceHover(parsed, ref.target) };
  if (!alignment) return null;
  const tree = draftTree(parsed);
  const view = alignmentView(alignment, tree, catalog);
  const node = tree.deepestAt(offset);
  if (!node) return null;
  // Only the clause's own lines: below them the children have hovers of their own.
  const ownEnd = node.children.length > 0 ? node.children[0]!.range.start : node.range.end;
  if (offset > ownEnd) return null;

  const sections = [...alignment.raw.sectionNodes].filter(([, n]) => n === node).map(([id]) => id);
  if (sections.length > 0 && offset <= node.headRange.end) {
    const id = sections[0]!;
    return { range: node.headRange, markdown: sectionHover(catalog, alignment, id) };
  }
  const matches = view.matchesOf(node).slice(0, MAX_ITEMS);
  if (matches.length === 0) return null;
  const draftText = node.text || node.title || '';
  const parts = matches.map((m) => clauseHover(catalog, alignment, m.item, m.score, m.window.kind === 'block' ? m.window.text : draftText, adaptation));
  const range = offset <= node.headRange.end ? node.headRange : { start: node.headRange.start, end: ownEnd };
  return { range, markdown: parts.join('\n\n---\n\n') };
}

function referenceHover(parsed: ParsedPolicy, target: ProvisionNode): string {
  const raw = parsed.text.slice(target.range.start, target.range.end).trim();
  const body = raw.length > TARGET_CHARS ? `${raw.slice(0, TARGET_CHARS)}…` : raw;
  const quoted = body
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => `> ${escapeMarkdown(l.replace(/^#+\s*/, ''))}`)
    .join('\n>\n');
  return `**${escapeMarkdown(provisionLabel(target))}**\n\n${quoted}`;
}

function pathLabel(catalog: Catalog, item: CatalogItem): string {
  const items = itemIndex(catalog);
  const chain: string[] = [];
  for (let i: CatalogItem | undefined = item; i; i = i.parent ? items.get(i.parent) : undefined) {
    if (i.level === 'part') break;
    if (i.level === 'section' || i.level === 'subsection') {
      chain.unshift(`${i.id.replace(/^基本方針 /, '')} ${i.title ?? i.sectionTitle}`);
      break;
    }
    if (i !== item && i.title) chain.unshift(`${i.number ?? ''} ${i.title}`.trim());
  }
  const part = item.part === 'basic-policy' ? '基本方針' : '対策基準';
  return [part, ...chain].map(escapeMarkdown).join(' › ');
}

function commentaryBlock(catalog: Catalog, id: string): string {
  const c = commentaryFor(catalog, id);
  if (!c) return '';
  const purpose = c.purpose ? `**趣旨** ${escapeMarkdown(clip(c.purpose, 300))}\n\n` : '';
  return `${purpose}**解説** ${escapeMarkdown(clip(c.text, COMMENTARY_CHARS)).replace(/\n/g, '\n\n')}`;
}

function clauseHover(catalog: Catalog, alignment: AlignmentResult, item: CatalogItem, score: number, draftText: string, adaptation: Adaptation): string {
  const cov = alignment.coverage.byId.get(item.id);
  const level = item.recommended ? (cov?.adopted ? '推奨事項（採用を明記済み）' : '推奨事項（採用するなら【推奨事項】と明記）') : '必須';
  const head = `**ガイドライン ${escapeMarkdown(item.id)}**${item.title ? ` ${escapeMarkdown(item.title)}` : ''} — ${level}・一致度 ${Math.round(score * 100)}%`;
  const model = adaptWording(item.text, catalog, adaptation);
  const ops = diffChars(model, draftText.replace(/\s*【推奨事項】\s*$/, ''));
  const changed = ops.some((o) => o.kind !== 'equal');
  const diff = changed
    ? `例文との差分（**太字** は草案で追加、~~取消線~~ は例文から削除）:\n\n> ${renderDiffMarkdown(ops).replace(/\n/g, '\n>\n> ')}`
    : `例文どおりです:\n\n> ${escapeMarkdown(model).replace(/\n/g, '\n>\n> ')}`;
  const commentary = commentaryBlock(catalog, item.id);
  return [head, pathLabel(catalog, item), diff, commentary].filter(Boolean).join('\n\n');
}

function sectionHover(catalog: Catalog, alignment: AlignmentResult, id: string): string {
  const item = itemIndex(catalog).get(id);
  const stats = sectionStats(alignment, catalog, id);
  const title = item ? (item.title ?? item.sectionTitle) : '';
  const head = `**ガイドライン ${escapeMarkdown(id)} ${escapeMarkdown(title)}** — ${formatStats(stats)}`;
  return [head, commentaryBlock(catalog, id)].filter(Boolean).join('\n\n');
}

export interface SectionStats {
  readonly mandatory: number;
  readonly covered: number;
  readonly partial: number;
  readonly notApplicable: number;
  readonly recommended: number;
  readonly recommendedAdopted: number;
}

/** Counts over the guideline units of a section (items with 例文 wording of their own). */
export function sectionStats(alignment: AlignmentResult, catalog: Catalog, sectionId: string): SectionStats {
  const items = itemIndex(catalog);
  let mandatory = 0;
  let covered = 0;
  let partial = 0;
  let notApplicable = 0;
  let recommended = 0;
  let recommendedAdopted = 0;
  for (const c of alignment.coverage.items) {
    if (!isWithin(c.id, sectionId)) continue;
    const item = items.get(c.id);
    if (!item || item.text.replace(/【[^】]*】/g, '').trim() === '') continue;
    if (c.status === 'not-applicable' || c.status === 'omitted') {
      notApplicable++;
      continue;
    }
    if (c.recommended) {
      recommended++;
      if (c.status === 'covered') recommendedAdopted++;
      continue;
    }
    mandatory++;
    if (c.status === 'covered') covered++;
    else if (c.status === 'partial') partial++;
  }
  return { mandatory, covered, partial, notApplicable, recommended, recommendedAdopted };
}

export function formatStats(s: SectionStats): string {
  const extra = [s.recommendedAdopted > 0 ? `推奨 ${s.recommendedAdopted} 採用` : '', s.notApplicable > 0 ? `対象外 ${s.notApplicable}` : ''].filter(Boolean);
  return `${s.covered}/${s.mandatory} 項目${extra.length ? ` (${extra.join('・')})` : ''}`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
