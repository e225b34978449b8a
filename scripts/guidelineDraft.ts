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

export interface ArticleDraftOptions {
  /** The body's name, replacing ○○市 (e.g. みどり町). */
  readonly organisation: string;
  /** The body's self-reference, replacing 本市 (e.g. 本町). */
  readonly selfReference: string;
  /** Replacements applied to every clause after the self-reference (e.g. 副市長 → 副町長). */
  readonly replace?: ReadonlyArray<readonly [string | RegExp, string]>;
  readonly omit?: ReadonlySet<string>;
}

const KANJI_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
function kanji(n: number): string {
  if (n < 10) return KANJI_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : KANJI_DIGITS[tens]}十${KANJI_DIGITS[n % 10]}`;
}

/**
 * The 対策基準 例文 in the article style most bodies use: 第N章 per section, 第N節 per sub-section,
 * 第N条（見出し） per (n) item, ① → 項 (the first one unnumbered when the article has no text of its
 * own), （ア） → 号 (一、二…), ・ → 号 as well.
 */
export function renderArticleDraft(catalog: Catalog, o: ArticleDraftOptions): string {
  const items = catalog.items.filter((i) => i.part === 'standards' && !(o.omit?.has(i.id) ?? false));
  const kids = new Map<string | null, CatalogItem[]>();
  for (const i of items) {
    const list = kids.get(i.parent) ?? [];
    list.push(i);
    kids.set(i.parent, list);
  }
  const adapt = (t: string): string => {
    let s = t.replace(/本市/g, o.selfReference).replace(/○○市/g, o.organisation).replace(/市による/g, `${o.organisation}による`);
    for (const [from, to] of o.replace ?? []) s = s.split(from as string).join(to);
    return s;
  };
  const mark = (i: CatalogItem): string => adapt(i.text) + (i.recommendedMark ? '【推奨事項】' : '');
  const lines: string[] = [];
  let chapter = 0;
  let article = 0;
  const items2 = (parent: CatalogItem): string[] => (kids.get(parent.id) ?? []).map((c, k) => `${kanji(k + 1)}　${c.title ? `${adapt(c.title)}　` : ''}${mark(c)}`);
  const writeArticle = (caption: string, own: string, children: readonly CatalogItem[]): void => {
    article++;
    lines.push(`（${caption}）`);
    let paragraph = 1;
    const first = own || (children[0] ? mark(children[0]) : '');
    lines.push(`第${article}条　${first}`, '');
    const rest = own ? children : children.slice(1);
    if (!own && children[0]) for (const g of items2(children[0])) lines.push(g, '');
    for (const c of rest) {
      paragraph++;
      lines.push(`${paragraph}　${c.title ? `${adapt(c.title)}について、` : ''}${mark(c)}`, '');
      for (const g of items2(c)) lines.push(g, '');
    }
  };
  const writeSection = (s: CatalogItem): void => {
    for (const c of kids.get(s.id) ?? []) {
      if (c.level === 'subsection') continue;
      if (c.level === 'paragraph' || c.level === 'bullet') {
        writeArticle(adapt(s.title ?? s.sectionTitle), mark(c), []);
        continue;
      }
      // A title that defines an abbreviation (…（CISO: …、以下「CISO」という。）) is a caption and a sentence.
      const defines = c.title && /以下「[^」]+」という/.test(c.title);
      const caption = defines ? c.title!.replace(/（.*）$/u, '') : c.title;
      const own = c.title ? (defines ? `${adapt(c.title!)}を置く。${mark(c)}` : mark(c)) : '';
      writeArticle(adapt(caption ?? s.sectionTitle), own, c.title ? (kids.get(c.id) ?? []) : [c, ...(kids.get(c.id) ?? [])]);
    }
  };
  const part = items.find((i) => i.level === 'part');
  lines.push(`# ${o.organisation}情報セキュリティ対策基準`, '');
  if (part?.text) lines.push(adapt(part.text), '');
  for (const top of kids.get(part?.id ?? null) ?? kids.get(null) ?? []) {
    if (top.level !== 'section') continue;
    chapter++;
    lines.push(`## 第${chapter}章　${adapt(top.title ?? top.sectionTitle)}`, '');
    writeSection(top);
    let section = 0;
    for (const sub of (kids.get(top.id) ?? []).filter((c) => c.level === 'subsection')) {
      section++;
      lines.push(`### 第${section}節　${adapt(sub.title ?? sub.sectionTitle)}`, '');
      writeSection(sub);
    }
  }
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
