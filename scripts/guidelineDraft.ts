/**
 * Writes the guideline's own 例文 out as Markdown drafts, one per part, from the committed catalog:
 * the reference drafts that must come out fully covered, and the seed of the alignment evaluation.
 * Usage: tsx scripts/guidelineDraft.ts [outDir]   (default tests/fixtures/guideline-draft)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Catalog, CatalogItem, GuidelinePart } from '../server/src/service/catalog/types';
import { loadCatalog } from '../server/src/service/catalog';

const KIND: Record<GuidelinePart, string> = { 'basic-policy': '基本方針', standards: '対策基準' };

/** The draft of one part, in the guideline's outline style (sections as headings, items as lines). */
export function renderGuidelineDraft(catalog: Catalog, part: GuidelinePart, omit: ReadonlySet<string> = new Set()): string {
  const children = new Map<string | null, CatalogItem[]>();
  for (const item of catalog.items) {
    if (item.part !== part) continue;
    const list = children.get(item.parent) ?? [];
    list.push(item);
    children.set(item.parent, list);
  }
  const lines: string[] = ['---', 'kijun:', `  kind: ${KIND[part]}`, '  organisation: ○○市', '  organisationType: 市', '---', ''];
  const visit = (item: CatalogItem): void => {
    if (omit.has(item.id)) return;
    const text = item.text + (item.recommendedMark ? '【推奨事項】' : '');
    switch (item.level) {
      case 'part':
        lines.push(`# ${item.title ?? item.sectionTitle}`, '');
        if (text) lines.push(text, '');
        break;
      case 'section':
      case 'subsection': {
        const num = item.id.replace(/^基本方針 /, '');
        lines.push(`${item.level === 'section' ? '##' : '###'} ${num} ${item.title ?? item.sectionTitle}`, '');
        if (text) lines.push(text, '');
        break;
      }
      case 'paragraph':
        // Titled paragraphs are the rows of the guideline's classification tables (機密性３ …).
        if (text) lines.push(item.title ? `- ${item.title}　${text}` : text, '');
        break;
      case 'bullet':
        lines.push(`- ${text}`, '');
        break;
      default: {
        const head = [item.number ?? '', item.title ?? ''].join(item.title && /^[(（]/.test(item.number ?? '') ? ' ' : '');
        if (item.title) {
          lines.push(head.trim(), '');
          if (text) lines.push(text, '');
        } else {
          lines.push(`${item.number ?? ''}${text}`, '');
        }
      }
    }
    for (const c of children.get(item.id) ?? []) visit(c);
  };
  for (const root of children.get(null) ?? []) visit(root);
  return lines.join('\n');
}

if (require.main === module) {
  const outDir = process.argv[2] ?? path.join(__dirname, '..', 'tests', 'fixtures', 'guideline-draft');
  mkdirSync(outDir, { recursive: true });
  const catalog = loadCatalog();
  for (const part of ['basic-policy', 'standards'] as const) {
    const file = path.join(outDir, `${part}.md`);
    writeFileSync(file, renderGuidelineDraft(catalog, part));
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
