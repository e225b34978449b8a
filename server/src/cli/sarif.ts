import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../service/types';
import type { CliFinding } from './check';
import pkg from '../../../package.json';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function artifact(file: string) {
  return isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: encodeURI(file.replace(/\\/g, '/')), uriBaseId: 'SRCROOT' };
}

/** SARIF 2.1.0 log: one run, one rule per finding code, 1-based regions in UTF-16 code units. */
export function toSarif(findings: readonly CliFinding[], guideline: { readonly title: string; readonly edition: string }) {
  const ruleIds = [...new Set(findings.map((f) => f.code))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kijun',
            version: pkg.version,
            rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: id } })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(process.cwd() + '/').href } },
        columnKind: 'utf16CodeUnits',
        properties: { guideline: `${guideline.title}（${guideline.edition}）` },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIds.indexOf(f.code),
          level: levels[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(f.file),
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          ...(f.guidelineId ? { properties: { guidelineId: f.guidelineId } } : {}),
        })),
      },
    ],
  };
}
