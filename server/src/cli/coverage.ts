import { pathToFileURL } from 'node:url';
import { sharedTokenizer } from '../morph/kuromoji';
import { createPolicyService } from '../service';
import { renderCoverage } from '../service/align/report';
import { parsePolicy } from '../service/parse';
import { catalogFrom, catalogHelpLine, catalogOption, oneOf, parse } from './args';
import { CliError, usageError } from './errors';
import { readTextFile, write } from './io';

export const coverageHelp = `使い方 / usage: kijun coverage <ファイル> [--format text|json|csv|md] [--catalog <file>]

草案がガイドラインの例文の各項目に対応しているか（対応表）を出力します。
  --format  text（既定: 節ごとの一覧）, json, csv（表計算ソフト向け）, md（委員会・監査向けの対応表）
${catalogHelpLine}
状態: 対応 / 一部対応 / 未対応 / 対象外（フロントマターの not-applicable）/ 省略（omitted）`;

export async function runCoverage(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { format: { type: 'string' }, ...catalogOption }, 'coverage');
  if (values.help) return write(coverageHelp), 0;
  const format = oneOf(values.format as string | undefined, ['text', 'json', 'csv', 'md'] as const, 'text', 'format');
  if (positionals.length !== 1) throw usageError('ファイルを一つ指定してください', 'give exactly one file');
  const file = positionals[0]!;
  const text = readTextFile(file);
  const catalog = await catalogFrom(values);
  let tokenizer: Awaited<ReturnType<typeof sharedTokenizer>>;
  try {
    tokenizer = await sharedTokenizer();
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const service = createPolicyService({ catalog, parse: parsePolicy, tokenizer: () => tokenizer });
  const doc = { uri: pathToFileURL(file).href, version: 1, getText: () => text };
  const coverage = service.getCoverage(doc);
  if (!coverage) throw new CliError('照合を実行できません / alignment unavailable');
  write(renderCoverage(file, coverage, service.getParsed(doc), service.catalog, format));
  return 0;
}
