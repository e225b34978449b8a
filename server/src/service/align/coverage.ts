import type { CatalogItem, GuidelinePart } from '../catalog/types';
import { runRule } from '../rules/isolate';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import type { Finding, TextRange } from '../types';
import type { DeclaredDeviations, Deviation } from './deviations';
import { isWithin } from './deviations';
import type { CatalogIndex } from './catalogIndex';
import { isUnitItem as isUnitItemUncached } from './catalogIndex';
import type { RawAlignment, UnitMatch, Window } from './engine';
import { isWeakened, textModality } from './modality';

export type CoverageStatus = 'covered' | 'partial' | 'missing' | 'not-applicable' | 'omitted';

export interface CoverageMatch {
  readonly range: TextRange;
  readonly score: number;
}

export interface ItemCoverage {
  readonly id: string;
  readonly part: GuidelinePart;
  readonly status: CoverageStatus;
  readonly recommended: boolean;
  /** For a 推奨事項: whether the draft marks it adopted (【推奨事項】 in the clause or listed in the front matter). */
  readonly adopted: boolean;
  readonly matches: readonly CoverageMatch[];
  /** The drafter's reason, for not-applicable and omitted items. */
  readonly reason?: string;
}

export interface CoverageSummary {
  readonly total: number;
  readonly covered: number;
  readonly partial: number;
  readonly missing: number;
  readonly notApplicable: number;
  readonly omitted: number;
  readonly recommendedAdopted: number;
  readonly recommendedTotal: number;
}

export interface Coverage {
  readonly parts: readonly GuidelinePart[];
  readonly items: readonly ItemCoverage[];
  readonly byId: ReadonlyMap<string, ItemCoverage>;
  readonly summary: CoverageSummary;
  readonly findings: readonly Finding[];
}

const RECOMMENDED_MARK = /【\s*推\s*奨\s*(?:事\s*項)?\s*】|［推奨事項］|\[推奨事項\]/u;

/** Whether an item is a unit (it has wording of its own), once per catalog item: asked for every item at every analysis. */
const unitItems = new WeakMap<CatalogItem, boolean>();
function isUnitItem(item: CatalogItem): boolean {
  let is = unitItems.get(item);
  if (is === undefined) unitItems.set(item, (is = isUnitItemUncached(item)));
  return is;
}

/**
 * Rolls unit matches up the catalog tree into a status per item, applies the drafter's declared
 * deviations, and derives the alignment findings.
 */
export function computeCoverage(parsed: ParsedPolicy, raw: RawAlignment, index: CatalogIndex, declared: DeclaredDeviations): Coverage {
  const parts = new Set(raw.parts);
  const items = index.catalogItems.filter((i) => parts.has(i.part));
  const byId = new Map<string, ItemCoverage>();

  const deviationOf = (id: string): Deviation | undefined => declared.deviations.find((d) => isWithin(id, d.id));
  const adoptedDeclared = (id: string): boolean => {
    for (const a of declared.adoptedRecommendations) if (isWithin(id, a)) return true;
    return false;
  };

  const statusOf = (item: CatalogItem): ItemCoverage => {
    const cached = byId.get(item.id);
    if (cached) return cached;
    const dev = deviationOf(item.id);
    const kids = index.children.get(item.id) ?? NO_ITEMS;
    // Counted, not collected: this runs for every catalog item at every analysis.
    const all = raw.unitMatches.get(item.id) ?? NO_MATCHES;
    let covering = 0;
    for (let i = 0; i < all.length; i++) if (all[i]!.covers) covering++;
    let counted = 0;
    let covered = 0;
    let missing = 0;
    if (isUnitItem(item)) {
      counted++;
      if (covering > 0) covered++;
      else missing++;
    }
    let firstChild: ItemCoverage | null = null;
    for (let i = 0; i < kids.length; i++) {
      const c = statusOf(kids[i]!);
      firstChild ??= c;
      if (c.status === 'not-applicable' || c.status === 'omitted') continue;
      counted++;
      if (c.status === 'covered') covered++;
      else if (c.status === 'missing') missing++;
    }
    let status: CoverageStatus;
    if (dev) status = dev.kind;
    else if (counted === 0) status = firstChild ? firstChild.status : 'missing';
    else if (covered === counted) status = 'covered';
    else if (missing === counted) status = 'missing';
    else status = 'partial';
    let matches: CoverageMatch[];
    let adopted = false;
    if (covering > 0) {
      matches = [];
      for (let i = 0; i < all.length; i++) {
        const m = all[i]!;
        if (!m.covers) continue;
        matches.push({ range: raw.rangeOf(m.window), score: round(m.score) });
        if (item.recommended && !adopted && RECOMMENDED_MARK.test(windowSource(parsed, raw, m.window))) adopted = true;
      }
    } else matches = firstMatches(kids, byId, 5);
    if (item.recommended && !adopted) adopted = adoptedDeclared(item.id);
    const base = { id: item.id, part: item.part, status, recommended: item.recommended, adopted, matches };
    const cov: ItemCoverage = dev ? { ...base, reason: dev.reason } : base;
    byId.set(item.id, cov);
    return cov;
  };
  for (const item of items) statusOf(item);

  const ordered = items.map((i) => byId.get(i.id)!);
  const findings = [
    ...runRule('missing-item', () => missingItemFindings(parsed, raw, index, items, byId)),
    ...runRule('unmarked-recommendation', () => recommendationFindings(parsed, raw, index, byId, adoptedDeclared)),
    ...runRule('weakened-obligation', () => weakenedFindings(raw, index, byId)),
  ];
  return { parts: raw.parts, items: ordered, byId, summary: summarize(ordered, index), findings };
}

/** The first `n` of the children's matches in order (`flatMap(…).slice(0, n)` without the whole list). */
function firstMatches(children: readonly CatalogItem[], byId: ReadonlyMap<string, ItemCoverage>, n: number): CoverageMatch[] {
  const out: CoverageMatch[] = [];
  for (let i = 0; i < children.length; i++) {
    const matches = byId.get(children[i]!.id)!.matches;
    for (let k = 0; k < matches.length; k++) {
      if (out.length >= n) return out;
      out.push(matches[k]!);
    }
  }
  return out;
}

const NO_ITEMS: readonly CatalogItem[] = [];
const NO_MATCHES: readonly UnitMatch[] = [];

function windowSource(parsed: ParsedPolicy, raw: RawAlignment, w: Window): string {
  const range = raw.rangeOf(w);
  return parsed.text.slice(range.start, range.end);
}

function summarize(items: readonly ItemCoverage[], index: CatalogIndex): CoverageSummary {
  const units = items.filter((c) => isUnitItem(index.byId.get(c.id)!));
  const count = (s: CoverageStatus): number => units.filter((u) => u.status === s).length;
  const rec = units.filter((u) => u.recommended);
  return {
    total: units.length,
    covered: count('covered'),
    partial: count('partial'),
    missing: count('missing'),
    notApplicable: count('not-applicable'),
    omitted: count('omitted'),
    recommendedAdopted: rec.filter((u) => u.status === 'covered').length,
    recommendedTotal: rec.length,
  };
}

/** The mandatory units at or below each catalog item (missingItemFindings), per catalog index (whose tree they follow). */
const mandatoryUnitsByIndex = new WeakMap<CatalogIndex, WeakMap<CatalogItem, readonly CatalogItem[]>>();

/**
 * One finding per missing piece a drafter would add in one go: a whole guideline section, a whole (n)
 * item, or a single clause. Recommended items are optional and never reported missing.
 */
function missingItemFindings(
  parsed: ParsedPolicy,
  raw: RawAlignment,
  index: CatalogIndex,
  items: readonly CatalogItem[],
  byId: ReadonlyMap<string, ItemCoverage>,
): Finding[] {
  const findings: Finding[] = [];
  const isMandatoryMissing = (c: ItemCoverage | undefined): boolean => !!c && c.status === 'missing' && !c.recommended;
  const mandatoryUnits = (item: CatalogItem): readonly CatalogItem[] => {
    // The catalog's alone: kept per item (asked for every item this walk reaches, at every analysis).
    let mandatoryUnitsOf = mandatoryUnitsByIndex.get(index);
    if (!mandatoryUnitsOf) mandatoryUnitsByIndex.set(index, (mandatoryUnitsOf = new WeakMap()));
    let out = mandatoryUnitsOf.get(item);
    if (out) return out;
    const found: CatalogItem[] = [];
    const visit = (i: CatalogItem): void => {
      if (isUnitItem(i) && !i.recommended) found.push(i);
      (index.children.get(i.id) ?? []).forEach(visit);
    };
    visit(item);
    mandatoryUnitsOf.set(item, (out = found));
    return out;
  };
  const reported = new Set<string>();
  const docStart = documentAnchor(parsed);

  const anchorFor = (item: CatalogItem): { range: TextRange; found: boolean } => {
    for (let id: string | null = item.section; id; id = index.byId.get(id)?.parent ?? null) {
      const node = raw.sectionNodes.get(id);
      if (node) return { range: node.headRange, found: true };
    }
    return { range: docStart, found: false };
  };

  // Top-down: report the highest item whose mandatory units are all missing, then skip its subtree.
  const visit = (item: CatalogItem): void => {
    if (reported.has(item.id)) return;
    const cov = byId.get(item.id);
    if (!cov || cov.status === 'not-applicable' || cov.status === 'omitted') return;
    const applies = (u: CatalogItem): boolean => {
      const c = byId.get(u.id);
      return !!c && c.status !== 'not-applicable' && c.status !== 'omitted';
    };
    // Counted first: the list of the units that apply is made only for a finding.
    const all = mandatoryUnits(item);
    let applying = 0;
    let allMissing = true;
    for (let i = 0; i < all.length; i++) {
      const u = all[i]!;
      if (!applies(u)) continue;
      applying++;
      if (!isMandatoryMissing(byId.get(u.id))) allMissing = false;
    }
    if (applying === 0) return;
    if (allMissing && (item.parent === null || applying > 1 || isUnitItem(item))) {
      findings.push(missingFinding(item, all.filter(applies), anchorFor(item)));
      const mark = (i: CatalogItem): void => {
        reported.add(i.id);
        (index.children.get(i.id) ?? []).forEach(mark);
      };
      mark(item);
      return;
    }
    (index.children.get(item.id) ?? []).forEach(visit);
  };
  items.filter((i) => i.parent === null).forEach(visit);
  return findings;
}

function missingFinding(item: CatalogItem, units: readonly CatalogItem[], anchor: { range: TextRange; found: boolean }): Finding {
  const label = itemLabel(item);
  const where = anchor.found ? '' : '（対応する章・節も見当たりません）';
  const message =
    units.length === 1 && units[0]!.id === item.id
      ? `ガイドライン ${label} に対応する条項がありません${where}：「${excerpt(item.text)}」`
      : `ガイドライン ${label} に対応する条項がありません（必須 ${units.length} 項目：${units
          .slice(0, 8)
          .map((u) => u.id)
          .join('、')}${units.length > 8 ? ' ほか' : ''}）${where}`;
  return { code: 'missing-item', severity: 'warning', message, range: anchor.range, guidelineId: item.id };
}

function recommendationFindings(
  parsed: ParsedPolicy,
  raw: RawAlignment,
  index: CatalogIndex,
  byId: ReadonlyMap<string, ItemCoverage>,
  adoptedDeclared: (id: string) => boolean,
): Finding[] {
  const findings: Finding[] = [];
  for (const [id, matches] of raw.unitMatches) {
    const item = index.byId.get(id);
    const cov = byId.get(id);
    if (!item || !cov || !item.recommended || cov.status !== 'covered' || adoptedDeclared(id)) continue;
    const best = matches.find((m) => m.covers);
    if (!best || RECOMMENDED_MARK.test(windowSource(parsed, raw, best.window))) continue;
    findings.push({
      code: 'unmarked-recommendation',
      severity: 'warning',
      message: `この条項はガイドラインの推奨事項 ${itemLabel(item)} に対応します。記載すると遵守義務が生じるため、採用するなら【推奨事項】と明記するかフロントマターの adopted-recommendations に挙げてください`,
      range: raw.nodeOf(best.window).headRange,
      guidelineId: id,
    });
  }
  return findings.sort((a, b) => a.range.start - b.range.start);
}

function weakenedFindings(raw: RawAlignment, index: CatalogIndex, byId: ReadonlyMap<string, ItemCoverage>): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<ProvisionNode>();
  for (const [id, matches] of raw.unitMatches) {
    const item = index.byId.get(id);
    const cov = byId.get(id);
    if (!item || !cov || item.recommended || cov.status !== 'covered') continue;
    const best = matches.find((m) => m.covers && m.window.kind !== 'pair');
    if (!best) continue;
    const node = raw.nodeOf(best.window);
    if (seen.has(node)) continue;
    const model = textModality(item.text);
    const draft = textModality(node.text);
    if (!isWeakened(model, draft)) continue;
    seen.add(node);
    findings.push({
      code: 'weakened-obligation',
      severity: 'warning',
      message: `ガイドライン ${itemLabel(item)} は義務（${model === 'prohibition' ? '禁止' : 'しなければならない'}）ですが、この条項は${MODALITY_JA[draft]}になっています`,
      range: node.headRange,
      guidelineId: id,
    });
  }
  return findings.sort((a, b) => a.range.start - b.range.start);
}

const MODALITY_JA: Record<string, string> = {
  effort: '努力義務（努める）',
  desirable: '推奨（望ましい）',
  permission: '任意（ことができる）',
};

/** `6.1(3)②`, with the section title when the item is a section. */
export function itemLabel(item: CatalogItem): string {
  const title = item.title ?? (item.level === 'section' || item.level === 'subsection' ? item.sectionTitle : null);
  return title ? `${item.id}「${title}」` : item.id;
}

function excerpt(text: string): string {
  const t = text.replace(/\s+/g, '').replace(/【[^】]*】/g, '');
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

/** Where a finding about the whole document goes: its first line with text. */
function documentAnchor(parsed: ParsedPolicy): TextRange {
  const text = parsed.text;
  const bodyStart = parsed.frontMatter.range ? parsed.frontMatter.range.end : 0;
  const m = /\S[^\r\n]*/u.exec(text.slice(bodyStart));
  if (!m) return { start: 0, end: 0 };
  return { start: bodyStart + m.index, end: bodyStart + m.index + m[0].length };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
