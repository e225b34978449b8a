import { pathToFileURL } from 'node:url';
import { loadingTokenizer } from '../morph/kuromoji';
import { createPolicyService, type Tokenizer } from '../service';
import { parsePolicy } from '../service/parse';
import { LineIndex, type Range } from '../service/text/lineIndex';
import type { Severity } from '../service/types';
import { catalogFrom, catalogHelpLine, catalogOption, oneOf, parse } from './args';
import { usageError } from './errors';
import { createWorkspaceRoles } from '../workspace/roles';
import { readTextFile, warn, write } from './io';
import { toSarif } from './sarif';

export const checkHelp = `使い方 / usage: kijun check <ファイル…> [--format text|json|sarif] [--fail-on error|warning|information|none] [--catalog <file>]

ポリシー草案（Markdown）を検査し、指摘を出力します。
  --format   text（既定: file:L:C severity code message）, json（指摘の配列）, sarif（SARIF 2.1.0）
  --fail-on  この重大度以上の指摘があれば終了コード 1（既定: error。none なら常に 0）
${catalogHelpLine}
終了コード: 0 問題なし / 1 指摘あり / 2 引数・入力の誤り`;

export interface CliFinding {
  readonly file: string;
  readonly range: Range;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly guidelineId?: string;
}

const rank: Record<Severity | 'none', number> = { error: 3, warning: 2, information: 1, hint: 0, none: Infinity };

export async function runCheck(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { format: { type: 'string' }, 'fail-on': { type: 'string' }, ...catalogOption }, 'check');
  if (values.help) return write(checkHelp), 0;
  const format = oneOf(values.format as string | undefined, ['text', 'json', 'sarif'] as const, 'text', 'format');
  const failOn = oneOf(values['fail-on'] as string | undefined, ['error', 'warning', 'information', 'none'] as const, 'error', 'fail-on');
  if (positionals.length === 0) throw usageError('検査するファイルを指定してください', 'no files given');
  const catalog = await catalogFrom(values);

  // The files first: a check of files that cannot be read needs no dictionary.
  const inputs: { file: string; text: string }[] = [];
  let inputErrors = 0;
  for (const file of positionals) {
    try {
      inputs.push({ file, text: readTextFile(file) });
    } catch (e) {
      inputErrors++;
      warn(e instanceof Error ? e.message : String(e));
    }
  }
  // The dictionary loads (file reads on libuv's threads, its check on a worker thread) while the documents
  // are parsed and the alignment index is built. Without it the check still runs, with structure findings only.
  const load = inputs.length === 0 ? undefined : loadingTokenizer();
  const loading = load?.loaded.catch((e: unknown) => void warn(`${e instanceof Error ? e.message : String(e)}（構成の検査のみ / structure checks only）`));
  let tokenizer: Tokenizer | undefined = undefined;
  const workspaceRoles = createWorkspaceRoles({ log: (level, message) => (level === 'warn' || level === 'error' ? warn(message) : undefined) });
  const newService = () =>
    createPolicyService({
      catalog,
      parse: parsePolicy,
      tokenizer: () => tokenizer,
      workspaceRoleDefinitions: (uri) => workspaceRoles.definitionsFor(uri),
    });
  let service = newService();
  const docs = inputs.map(({ file, text }) => ({ file, index: new LineIndex(text), doc: { uri: pathToFileURL(file).href, version: 1, getText: () => text } }));
  for (const { doc } of docs) service.getParsed(doc);
  // The bundled catalog's texts come precomputed with the dictionary: their index needs no kuromoji and is
  // built meanwhile, with the tokenizer that tokenises once the dictionary is loaded (a user-supplied
  // catalog's texts need kuromoji: its index is built afterwards).
  const early = values.catalog === undefined ? await load?.early.catch(() => undefined) : undefined;
  if (early) {
    tokenizer = early;
    try {
      service.isAlignmentReady();
    } catch {
      // TokenizerNotLoaded (a text that is not precomputed): built below with the loaded tokenizer.
    }
  }
  tokenizer = (await loading) ?? undefined;
  if (early && !tokenizer) {
    // No dictionary: a service without the index built above, which could only fail to tokenise.
    service = newService();
    for (const { doc } of docs) service.getParsed(doc);
  }

  const findings: CliFinding[] = [];
  for (const { file, index, doc } of docs) {
    // Roles may be appointed in a 基本方針 or 組織規程 beside the file.
    if (tokenizer) await workspaceRoles.refresh(doc.uri, service);
    for (const f of service.getDiagnostics(doc)) {
      findings.push({
        file,
        range: index.rangeOf(f.range),
        severity: f.severity,
        code: f.code,
        message: f.message,
        ...(f.guidelineId ? { guidelineId: f.guidelineId } : {}),
      });
    }
  }

  if (format === 'json') write(JSON.stringify(findings, null, 2));
  else if (format === 'sarif') write(JSON.stringify(toSarif(findings, service.catalog.guideline), null, 2));
  else {
    for (const f of findings) write(`${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`);
    const checked = positionals.length - inputErrors;
    process.stderr.write(`${checked} ファイルを検査: ${findings.length} 件の指摘 / ${checked} file(s) checked, ${findings.length} finding(s)\n`);
  }
  if (inputErrors > 0) return 2;
  return findings.some((f) => rank[f.severity] >= rank[failOn]) ? 1 : 0;
}
