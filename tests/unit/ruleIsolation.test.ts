// A rule or stage that throws costs only its own findings: one internal-error finding names it and every
// other rule still reports (issue 8).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roleFindings } from '../../server/src/service/roles';
import type { RoleModel } from '../../server/src/service/roles';
import { createPolicyService } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import { runRule } from '../../server/src/service/rules/isolate';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';

let tokenizerPromise: ReturnType<typeof loadKuromojiTokenizer> | undefined;
const sharedTokenizer = () => (tokenizerPromise ??= loadKuromojiTokenizer());

test('runRule turns a throw into one internal-error finding that names the rule', () => {
  const out = runRule('self-approval', () => {
    throw new Error('boom');
  });
  assert.equal(out.length, 1);
  assert.equal(out[0]!.code, 'internal-error');
  assert.match(out[0]!.message, /self-approval/);
  assert.match(out[0]!.message, /boom/);
  assert.deepEqual(runRule('x', () => []), []);
});

test('a role rule that throws does not take the other role rules with it', async () => {
  const tokenizer = await sharedTokenizer();
  const text = '# 対策基準\n\n## 1 組織体制\n\n(1) 副市長を最高情報セキュリティ責任者とする。\n\n## 2 運用\n\n(1) 総括情報セキュリティ責任者は、毎年度、計画を定める。\n';
  const service = createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => tokenizer });
  const model = service.getRoleModel({ uri: 'file:///a.md', version: 1, getText: () => text })!;
  assert.ok(model, 'role model');
  const healthy = roleFindings(model);
  assert.ok(healthy.some((f) => f.code === 'undefined-role'), 'the draft has an undefined role (統括 misspelt 総括)');
  // The approval relations feed conflicting-approvers and self-approval; make reading them throw.
  const broken = new Proxy(model, {
    get(target, prop, receiver) {
      if (prop === 'relations') throw new Error('relations unavailable');
      return Reflect.get(target, prop, receiver) as unknown;
    },
  }) as RoleModel;
  const out = roleFindings(broken);
  const errors = out.filter((f) => f.code === 'internal-error');
  assert.ok(errors.length >= 1 && errors.length <= 2, `one finding per failing rule (got ${errors.length})`);
  assert.ok(errors.some((f) => f.message.includes('conflicting-approvers')));
  assert.deepEqual(
    out.filter((f) => f.code === 'undefined-role').map((f) => f.range),
    healthy.filter((f) => f.code === 'undefined-role').map((f) => f.range),
    'undefined-role still reports the same findings',
  );
});

test('a stage that throws in the façade leaves the structure findings and one internal-error', async () => {
  const tokenizer = await sharedTokenizer();
  const text = '# 対策基準\n\n## 1 組織体制\n\n(1) 副市長を最高情報セキュリティ責任者とする。\n\n(3) 欠番の次の項目。\n';
  // A parse whose tree cannot be walked beyond the structure checks: the role and alignment stages throw.
  const parse = (t: string) => {
    const p = parsePolicy(t);
    return { ...p, get provisions(): never { throw new Error('tree unavailable'); } } as unknown as ReturnType<typeof parsePolicy>;
  };
  const service = createPolicyService({ catalog: loadCatalog(), parse, tokenizer: () => tokenizer });
  const doc = { uri: 'file:///b.md', version: 1, getText: () => text };
  const findings = service.getDiagnostics(doc);
  assert.ok(findings.some((f) => f.code === 'numbering-gap'), 'the structure finding (1 → 3) is still there');
  const errors = findings.filter((f) => f.code === 'internal-error');
  assert.ok(errors.length >= 1, 'the failing stages say so');
  assert.ok(errors.every((f) => f.severity === 'warning' && /内部エラー/.test(f.message)));
  // Asking again does not rerun the failing stages or duplicate their findings.
  assert.deepEqual(service.getDiagnostics(doc), findings);
  // Other features degrade to what they can answer, without throwing.
  assert.doesNotThrow(() => service.getHover(doc, text.indexOf('副市長')));
  assert.doesNotThrow(() => service.getCodeActions(doc, { start: 0, end: text.length }));
});
