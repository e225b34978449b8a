import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import { createPolicyService } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import { createWorkspaceRoles } from '../../server/src/workspace/roles';

const organisation = [
  '---',
  'kijun:',
  '  kind: 基本方針',
  '---',
  '# みどり町情報セキュリティ組織規程',
  '',
  '（セキュリティ統括責任者）',
  '第1条　副町長をセキュリティ統括責任者とする。',
  '',
].join('\n');

const standards = [
  '---',
  'kijun:',
  '  kind: 対策基準',
  '---',
  '# みどり町情報セキュリティ対策基準',
  '',
  '第1条　職員等は、情報資産を外部に持ち出す場合、セキュリティ統括責任者の許可を得なければならない。',
  '',
].join('\n');

test('a role appointed in a sibling file is defined for the draft that uses it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kijun-ws-'));
  writeFileSync(path.join(dir, '組織規程.md'), organisation);
  const draftPath = path.join(dir, '対策基準.md');
  writeFileSync(draftPath, standards);
  const tokenizer = await loadKuromojiTokenizer();
  const warnings: string[] = [];
  const workspace = createWorkspaceRoles({ log: (_level, m) => warnings.push(m) });
  const service = createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => tokenizer, workspaceRoleDefinitions: (uri) => workspace.definitionsFor(uri) });
  const uri = pathToFileURL(draftPath).href;
  const doc = { uri, version: 1, getText: () => standards };

  // Alone, the draft uses a role nobody appointed.
  const alone = service.getDiagnostics(doc).filter((f) => f.code === 'undefined-role');
  assert.equal(alone.length, 1);
  assert.match(alone[0]!.message, /セキュリティ統括責任者/);

  await workspace.refresh(uri, service);
  const defs = workspace.definitionsFor(uri);
  assert.ok(defs.some((d) => d.name === 'セキュリティ統括責任者' && d.uri === pathToFileURL(path.join(dir, '組織規程.md')).href));
  assert.ok(workspace.lineIndexOf(defs[0]!.uri!), 'positions in the sibling file can be converted');
  service.forget(uri);
  assert.deepEqual(service.getDiagnostics(doc).filter((f) => f.code === 'undefined-role'), []);
  const at = standards.indexOf('セキュリティ統括責任者の許可') + 2;
  const link = service.getDefinition(doc, at);
  assert.equal(link?.targetUri, defs[0]!.uri, 'go to definition opens the sibling file');
  assert.deepEqual(warnings, []);
});
