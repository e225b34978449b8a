/**
 * Fixture drafts for structure findings: `tests/fixtures/structure/<code>/<case>.md` beside `<case>.expected`,
 * one finding per line as `L:C-L:C code message` (1-based lines and columns). `UPDATE_SNAPSHOTS=1` rewrites them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '../../server/src/service/parse/index';
import { LineIndex } from '../../server/src/service/text/lineIndex';
import type { Finding } from '../../server/src/service/types';

export const structureFixtureRoot = join(__dirname, '..', 'fixtures', 'structure');

export interface FixtureCase {
  readonly code: string;
  readonly name: string;
  readonly mdPath: string;
  readonly expectedPath: string;
}

export function listFixtureCases(root = structureFixtureRoot): FixtureCase[] {
  const out: FixtureCase[] = [];
  for (const code of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, code)).sort()) {
      if (!file.endsWith('.md')) continue;
      const name = file.slice(0, -3);
      out.push({ code, name, mdPath: join(root, code, file), expectedPath: join(root, code, `${name}.expected`) });
    }
  }
  return out;
}

export function formatFindings(text: string, findings: readonly Finding[]): string {
  const index = new LineIndex(text);
  return findings
    .map((f) => {
      const s = index.positionAt(f.range.start);
      const e = index.positionAt(f.range.end);
      return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${f.code} ${f.message}`;
    })
    .join('\n');
}

/** Returns [actual, expected]; with UPDATE_SNAPSHOTS=1 writes the actual output as the expectation. */
export function runFixture(c: FixtureCase): [string, string] {
  const text = readFileSync(c.mdPath, 'utf8');
  const actual = formatFindings(text, parsePolicy(text).findings);
  if (process.env['UPDATE_SNAPSHOTS'] === '1') {
    writeFileSync(c.expectedPath, actual === '' ? '' : `${actual}\n`);
  }
  const expected = (existsSync(c.expectedPath) ? readFileSync(c.expectedPath, 'utf8') : '<missing .expected>').replace(/\r\n/g, '\n').trimEnd();
  return [actual, expected];
}
