import { renderOutline } from '../service/features/outline';
import { parsePolicy } from '../service/parse';
import { oneOf, parse } from './args';
import { usageError } from './errors';
import { readTextFile, write } from './io';

export const outlineHelp = `使い方 / usage: kijun outline <ファイル> [--format json|text]

ポリシー草案の構成（章・条・項・号）を出力します。
  --format  text（既定: 字下げした一覧）, json（構成の木）`;

export function runOutline(argv: readonly string[]): number {
  const { values, positionals } = parse(argv, { format: { type: 'string' } }, 'outline');
  if (values.help) return write(outlineHelp), 0;
  const format = oneOf(values.format as string | undefined, ['json', 'text'] as const, 'text', 'format');
  if (positionals.length !== 1) throw usageError('ファイルを一つ指定してください', 'give exactly one file');
  write(renderOutline(parsePolicy(readTextFile(positionals[0]!)), format));
  return 0;
}
