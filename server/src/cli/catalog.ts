import type { Catalog, CatalogItem } from '../service';
import { searchCatalog } from '../service/catalog';
import { catalogFrom, catalogHelpLine, catalogOption, oneOf, parse, positiveInt } from './args';
import { usageError } from './errors';
import { write } from './io';

export const catalogHelp = `使い方 / usage: kijun catalog [--format json|text] [--search <語>] [--limit N] [--catalog <file>]

ガイドラインの例文カタログを出力します。
  --format  text（既定: 読みやすい一覧）, json（{ guideline, items, roles, relations, terms }）
  --search  あいまい検索し、近い順に出力します
  --limit   出力する項目の最大数（--search の既定は 10）
${catalogHelpLine}（検査する・出力する前に形式を確かめられます）`;

const excerpt = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max)}…` : text);
const itemLine = (item: CatalogItem) => `${item.id}\t${item.title ?? excerpt(item.text)}${item.recommended ? '【推奨】' : ''}`;

export async function runCatalog(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { format: { type: 'string' }, search: { type: 'string' }, limit: { type: 'string' }, ...catalogOption }, 'catalog');
  if (values.help) return write(catalogHelp), 0;
  if (positionals.length > 0) throw usageError(`余分な引数です: ${positionals[0]}`, `unexpected argument: ${positionals[0]}`);
  const format = oneOf(values.format as string | undefined, ['json', 'text'] as const, 'text', 'format');
  const query = values.search as string | undefined;
  const catalog: Catalog = await catalogFrom(values);

  if (query !== undefined) {
    if (query.trim() === '') throw usageError('--search には検索語を指定してください', '--search needs a query');
    const results = searchCatalog(catalog, query, positiveInt(values.limit as string | undefined, 10, 'limit'));
    if (format === 'json') write(JSON.stringify({ query, results: results.map((r) => ({ score: r.score, item: r.item })) }, null, 2));
    else if (results.length === 0) write(`「${query}」に一致する例文はありません`);
    else for (const r of results) write(`${r.score.toFixed(3)}\t${itemLine(r.item)}`);
    return 0;
  }

  const limit = positiveInt(values.limit as string | undefined, Infinity, 'limit');
  if (format === 'json') {
    write(JSON.stringify({ ...catalog, items: catalog.items.slice(0, limit) }, null, 2));
    return 0;
  }
  write(`${catalog.guideline.title}（${catalog.guideline.edition}）: ${catalog.items.length} 項目, 役職 ${catalog.roles.length}, 用語 ${catalog.terms.length}`);
  for (const item of catalog.items.slice(0, limit)) write(`${'  '.repeat(depth(item, catalog))}${itemLine(item)}`);
  return 0;
}

function depth(item: CatalogItem, catalog: Catalog): number {
  const byId = new Map(catalog.items.map((i) => [i.id, i]));
  let d = 0;
  for (let p = item.parent; p && d < 10; p = byId.get(p)?.parent ?? null) d++;
  return d;
}
