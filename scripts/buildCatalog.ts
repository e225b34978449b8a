/**
 * Builds server/src/service/catalog/catalog.json from the extracted guideline text.
 * Usage: npm run catalog [-- path/to/guideline.txt]   (or KIJUN_GUIDELINE=path; default ../shared/corpus/guideline.txt)
 */

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog, CatalogItem } from '../server/src/service/catalog/types';
import { attachCommentary } from './catalog/commentary';
import { parseExamples, type ExampleItem } from './catalog/examples';
import { locateLayout } from './catalog/layout';
import { splitRawLines } from './catalog/lines';
import { buildRelations } from './catalog/relations';
import { buildRoles } from './catalog/roles';
import { parts } from './catalog/sections';
import { buildTerms } from './catalog/terms';

export const guideline = {
  title: '地方公共団体における情報セキュリティポリシーに関するガイドライン',
  edition: '平成30年9月版',
} as const;

/** Pure: the whole catalog from the text of guideline.txt. Throws when the text does not have the expected shape. */
export function buildCatalog(text: string): Catalog {
  const lines = splitRawLines(text);
  const layout = locateLayout(lines);
  const items: CatalogItem[] = [];
  const examples: ExampleItem[] = [];
  for (const spec of parts) {
    const partItems = parseExamples(lines, spec, layout.examples[spec.part]);
    const commentary = attachCommentary(lines, spec, layout.commentary[spec.part], partItems);
    examples.push(...partItems);
    items.push(...partItems.map((item) => ({ ...item, commentary: commentary.get(item.id) ?? null })));
  }
  return {
    guideline: { ...guideline },
    items,
    roles: buildRoles(examples),
    relations: buildRelations(examples),
    terms: buildTerms(examples, lines, layout.glossary),
  };
}

/** One-space indentation keeps the diff reviewable without doubling the file size. */
export function serializeCatalog(catalog: Catalog): string {
  return `${JSON.stringify(catalog, null, 1)}\n`;
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultGuidelinePath = path.join(repoRoot, '..', 'shared', 'corpus', 'guideline.txt');
export const catalogPath = path.join(repoRoot, 'server', 'src', 'service', 'catalog', 'catalog.json');

function main(): void {
  const input = process.argv[2] ?? process.env['KIJUN_GUIDELINE'] ?? defaultGuidelinePath;
  const catalog = buildCatalog(readFileSync(input, 'utf8'));
  writeFileSync(catalogPath, serializeCatalog(catalog));
  process.stdout.write(`catalog: ${catalog.items.length} items, ${catalog.roles.length} roles, ` +
    `${catalog.relations.length} relations, ${catalog.terms.length} terms → ${path.relative(repoRoot, catalogPath)}\n`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
