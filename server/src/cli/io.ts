import { readFileSync, statSync } from 'node:fs';
import { CliError } from './errors';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a UTF-8 text file, or throws a one-line CliError saying why not. */
export function readTextFile(file: string): string {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw new CliError(`${file}: ディレクトリです。ファイルを指定してください / is a directory, not a file`);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${file}: ファイルがありません / no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`${file}: 読み取る権限がありません / permission denied`);
    throw new CliError(`${file}: ファイルを読めません / cannot read file (${code ?? String(e)})`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CliError(`${file}: UTF-8 のテキストではありません / not valid UTF-8 text`);
  }
}

export function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`kijun: ${line}\n`);
}
