import type { Catalog, CatalogItem } from '../catalog/types';
import type { ParsedPolicy } from '../parse/types';
import { LineIndex, type Range } from '../text/lineIndex';
import type { Coverage, CoverageStatus, ItemCoverage } from './coverage';
import { isUnitItem } from './catalogIndex';

export type CoverageFormat = 'json' | 'text' | 'csv' | 'md';

export const STATUS_JA: Record<CoverageStatus, string> = {
  covered: '対応',
  partial: '一部対応',
  missing: '未対応',
  'not-applicable': '対象外',
  omitted: '省略',
};

const STATUS_MARK: Record<CoverageStatus, string> = {
  covered: '✔',
  partial: '◐',
  missing: '✘',
  'not-applicable': '－',
  omitted: '－',
};

const KIND_JA: Record<ParsedPolicy['kind'], string> = {
  'basic-policy': '基本方針',
  standards: '対策基準',
  procedures: '実施手順',
  combined: '基本方針及び対策基準',
  unknown: '不明',
};

export interface CoverageRow {
  readonly id: string;
  readonly section: string;
  readonly sectionTitle: string;
  /** The item's title, or the opening words of its 例文. */
  readonly label: string;
  readonly recommended: boolean;
  readonly adopted: boolean;
  readonly status: CoverageStatus;
  readonly matches: readonly { readonly range: Range; readonly score: number }[];
  readonly reason: string | null;
}

/**
 * The 対応表: one row per guideline item the document is checked against (sections excluded), in the
 * guideline's order, with the draft's clauses as line/character ranges.
 */
export function coverageRows(coverage: Coverage, parsed: ParsedPolicy, catalog: Catalog): CoverageRow[] {
  const index = new LineIndex(parsed.text);
  const byId = new Map(catalog.items.map((i) => [i.id, i]));
  return coverage.items
    .filter((c) => {
      const item = byId.get(c.id);
      return item && item.level !== 'part' && item.level !== 'section' && item.level !== 'subsection';
    })
    .map((c) => row(c, byId.get(c.id)!, index));
}

function row(c: ItemCoverage, item: CatalogItem, index: LineIndex): CoverageRow {
  return {
    id: c.id,
    section: item.section,
    sectionTitle: item.sectionTitle,
    label: item.title ?? opening(item.text),
    recommended: c.recommended,
    adopted: c.adopted,
    status: c.status,
    matches: c.matches.map((m) => ({ range: index.rangeOf(m.range), score: m.score })),
    reason: c.reason ?? null,
  };
}

function opening(text: string): string {
  const t = text.replace(/\s+/g, '');
  return t.length > 30 ? `${t.slice(0, 30)}…` : t;
}

/** Renders the coverage of one file for the CLI and for export from the editor. */
export function renderCoverage(file: string, coverage: Coverage, parsed: ParsedPolicy, catalog: Catalog, format: CoverageFormat): string {
  const rows = coverageRows(coverage, parsed, catalog);
  switch (format) {
    case 'json':
      return JSON.stringify(
        {
          file,
          kind: parsed.kind,
          parts: coverage.parts,
          items: coverage.items
            .filter((c) => isUnitItem(catalog.items.find((i) => i.id === c.id) ?? ({ text: '' } as CatalogItem)) || c.status !== 'covered')
            .map((c) => {
              const r = rows.find((x) => x.id === c.id);
              return {
                id: c.id,
                status: c.status,
                recommended: c.recommended,
                ...(c.recommended ? { adopted: c.adopted } : {}),
                matches: r ? r.matches : [],
                ...(c.reason !== undefined ? { reason: c.reason } : {}),
              };
            }),
          summary: coverage.summary,
        },
        null,
        2,
      );
    case 'csv':
      return toCsv(rows);
    case 'md':
      return toMarkdown(file, rows, coverage, parsed);
    default:
      return toText(file, rows, coverage, parsed);
  }
}

function where(r: CoverageRow): string {
  return r.matches.map((m) => `${m.range.start.line + 1}行`).join('・');
}

function toText(file: string, rows: readonly CoverageRow[], coverage: Coverage, parsed: ParsedPolicy): string {
  const s = coverage.summary;
  const out = [
    `${file}（${KIND_JA[parsed.kind]}）: 必須・推奨 ${s.total} 項目中 対応 ${s.covered}・一部 ${s.partial}・未対応 ${s.missing}・対象外 ${s.notApplicable + s.omitted}（推奨事項 ${s.recommendedAdopted}/${s.recommendedTotal} 採用）`,
  ];
  let section = '';
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      out.push('', `${r.section} ${r.sectionTitle}`);
    }
    const rec = r.recommended ? '【推奨】' : '';
    const at = r.matches.length > 0 ? ` → ${where(r)}` : '';
    const reason = r.reason ? `（理由: ${r.reason}）` : '';
    out.push(`  ${STATUS_MARK[r.status]} ${r.id} ${rec}${r.label}${at}${reason}`);
  }
  return out.join('\n');
}

function toMarkdown(file: string, rows: readonly CoverageRow[], coverage: Coverage, parsed: ParsedPolicy): string {
  const s = coverage.summary;
  const out = [
    `# 対応表: ${file}`,
    '',
    `文書の種類: ${KIND_JA[parsed.kind]} ／ 対応 ${s.covered}・一部 ${s.partial}・未対応 ${s.missing}・対象外 ${s.notApplicable + s.omitted}（全 ${s.total} 項目、推奨事項 ${s.recommendedAdopted}/${s.recommendedTotal} 採用）`,
  ];
  let section = '';
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      out.push('', `## ${r.section} ${r.sectionTitle}`, '', '| 項目 | 内容 | 区分 | 状態 | 対応箇所 | 理由 |', '|---|---|---|---|---|---|');
    }
    out.push(`| ${r.id} | ${cell(r.label)} | ${r.recommended ? '推奨' : '必須'} | ${STATUS_JA[r.status]} | ${where(r)} | ${cell(r.reason ?? '')} |`);
  }
  return out.join('\n');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function toCsv(rows: readonly CoverageRow[]): string {
  const header = ['項目', '節', '節の見出し', '内容', '区分', '状態', '対応箇所', '一致度', '理由'];
  const lines = [header, ...rows.map((r) => [r.id, r.section, r.sectionTitle, r.label, r.recommended ? '推奨' : '必須', STATUS_JA[r.status], where(r), r.matches[0]?.score.toFixed(2) ?? '', r.reason ?? ''])];
  // A BOM so that Excel, which committees open CSV files with, reads the Japanese as UTF-8.
  return '\uFEFF' + lines.map((l) => l.map(csvField).join(',')).join('\r\n');
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
