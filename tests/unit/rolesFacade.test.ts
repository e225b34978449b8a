import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import { createPolicyService } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import { repoRoot } from '../helpers/corpus';

test('the façade offers the role fixes as code actions, and the replacement clears the finding', async () => {
  const tokenizer = await loadKuromojiTokenizer();
  const service = createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => tokenizer });
  const text = readFileSync(path.join(repoRoot, 'examples', 'sample-policy.md'), 'utf8');
  const doc = { uri: 'file:///sample.md', version: 1, getText: () => text };
  const nearMiss = service.getDiagnostics(doc).find((f) => f.code === 'undefined-role' && f.message.includes('総括'));
  assert.ok(nearMiss);
  const actions = service.getCodeActions(doc, nearMiss.range);
  const replace = actions.find((a) => a.title.includes('統括情報セキュリティ責任者') && a.finding.code === 'undefined-role');
  assert.ok(replace, JSON.stringify(actions.map((a) => a.title)));
  const edits = [...replace.edits].sort((a, b) => b.range.start - a.range.start);
  let fixed = text;
  for (const e of edits) fixed = fixed.slice(0, e.range.start) + e.newText + fixed.slice(e.range.end);
  const after = service.getDiagnostics({ uri: doc.uri, version: 2, getText: () => fixed });
  assert.ok(!after.some((f) => f.code === 'undefined-role' && f.message.includes('総括')));
  assert.equal(after.length, service.getDiagnostics(doc).length - 1, 'nothing else changed');
});
