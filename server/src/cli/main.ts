// The `kijun` command: catalog, outline and check on the same language service as the editor.
import pkg from '../../../package.json';
import { runCatalog } from './catalog';
import { runCheck } from './check';
import { runCoverage } from './coverage';
import { CliError } from './errors';
import { write } from './io';
import { runOutline } from './outline';
import { runRoles } from './roles';

const help = `kijun ${pkg.version} — 情報セキュリティポリシー草案の検査

使い方 / usage: kijun <コマンド> [オプション]
  kijun check <ファイル…> [--format text|json|sarif] [--fail-on error|warning|information|none] [--catalog <file>]
  kijun outline <ファイル> [--format json|text]
  kijun coverage <ファイル> [--format text|json|csv|md] [--catalog <file>]
  kijun roles <ファイル> [--format md|json] [--catalog <file>]
  kijun catalog [--format json|text] [--search <語>] [--limit N] [--catalog <file>]
  kijun --version

各コマンドの詳細は kijun <コマンド> --help。`;

const commands: Record<string, (argv: readonly string[]) => number | Promise<number>> = { check: runCheck, outline: runOutline, coverage: runCoverage, roles: runRoles, catalog: runCatalog };

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new CliError(`コマンドを指定してください（kijun --help を参照） / no command given`);
  if (command === '--help' || command === '-h' || command === 'help') return write(help), 0;
  if (command === '--version' || command === '-v') return write(pkg.version), 0;
  const run = commands[command];
  if (!run) throw new CliError(`不明なコマンドです: ${command}（kijun --help を参照） / unknown command: ${command}`);
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => void (process.exitCode = code),
  (e: unknown) => {
    // Expected errors are one line; anything else is still one line, because users should never see a stack.
    const message = e instanceof CliError ? e.message : `内部エラー / internal error: ${e instanceof Error ? e.message : String(e)}`.split('\n')[0]!;
    process.stderr.write(`kijun: ${message}\n`);
    process.exitCode = e instanceof CliError ? e.exitCode : 2;
  },
);
