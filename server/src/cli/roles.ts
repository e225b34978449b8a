import { sharedTokenizer } from '../morph/kuromoji';
import { parsePolicy } from '../service/parse';
import { buildRoleModel, guidelineAppointments, renderRoleMatrix, roleFindings, roleMatrix } from '../service/roles';
import { LineIndex } from '../service/text/lineIndex';
import { catalogFrom, catalogHelpLine, catalogOption, oneOf, parse } from './args';
import { CliError, usageError } from './errors';
import { readTextFile, write } from './io';

export const rolesHelp = `使い方 / usage: kijun roles <ファイル> [--format md|json] [--catalog <file>]

ポリシー草案の役割（任命・別名・職務）と、事項ごとの許可・承認・報告の一覧を出力します。
  --format  md（既定: 役割の表と 事項 × 役割 の表、役割に関する指摘）, json（役割・関係・一覧表・指摘）
${catalogHelpLine}`;

export async function runRoles(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { format: { type: 'string' }, ...catalogOption }, 'roles');
  if (values.help) return write(rolesHelp), 0;
  const format = oneOf(values.format as string | undefined, ['md', 'json'] as const, 'md', 'format');
  if (positionals.length !== 1) throw usageError('ファイルを一つ指定してください', 'give exactly one file');
  const file = positionals[0]!;
  const text = readTextFile(file);
  const catalog = await catalogFrom(values);
  // Roles are compound nouns: without the dictionary there is nothing to report.
  const tokenizer = await sharedTokenizer().catch((e: unknown) => {
    throw new CliError(e instanceof Error ? e.message : String(e));
  });
  const model = buildRoleModel(parsePolicy(text), tokenizer, catalog);
  const matrix = roleMatrix(model);
  const findings = roleFindings(model, { unusedRole: true, guidelineAppointments: guidelineAppointments(catalog) });
  const index = new LineIndex(text);
  const at = (offset: number): string => {
    const p = index.positionAt(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  if (format === 'json') {
    write(
      JSON.stringify(
        {
          file,
          roles: model.roles.map((r) => ({
            name: r.name,
            aliases: r.aliases,
            defined: r.defined,
            definitions: r.definitions.map((d) => ({ kind: d.kind, clause: d.clauseLabel, at: at(d.range.start), assignees: d.assignees })),
            mentions: model.mentions.filter((m) => m.role === r.name).length,
            duties: model.duties.filter((d) => d.role === r.name).map((d) => ({ clause: d.clauseLabel, at: at(d.range.start), inherited: d.inherited })),
          })),
          relations: model.relations.map((r) => ({ kind: r.kind, action: r.action.label, authorities: r.authorities, requesters: r.requesters, requesterText: r.requesterText, clause: r.clauseLabel, at: at(r.range.start) })),
          matrix,
          findings: findings.map((f) => ({ at: at(f.range.start), severity: f.severity, code: f.code, message: f.message })),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const lines = [renderRoleMatrix(matrix, 'md'), '', '## 役割に関する指摘', ''];
  if (findings.length === 0) lines.push('指摘はありません。');
  for (const f of findings) lines.push(`- ${file}:${at(f.range.start)} ${f.severity} ${f.code} ${f.message}`);
  write(lines.join('\n'));
  return 0;
}
