/**
 * The role model read by units (provisions kept by content and shifted when they move) equals the model
 * read sentence by sentence in one pass (unitChars 0), on the corpus, the 例文 drafts and the role
 * fixtures, and after random edit sequences that move, reshape and retitle provisions.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import type { Tokenizer } from '../../server/src/service/morph/types';
import { parsePolicy } from '../../server/src/service/parse/index';
import { buildRoleModel, roleFindings, roleModelSteps } from '../../server/src/service/roles/index';
import type { RoleDefinition } from '../../server/src/service/roles/index';
import { catalog, listRoleFixtures } from '../helpers/roleFixtures';
import { warmSentences } from '../../server/src/service/roles/definitions';
import { sentencesOf } from '../../server/src/service/roles/text';
import { readFileSync } from 'node:fs';
import { editSequence, referenceDrafts } from '../helpers/drafts';

let tokenizer: Tokenizer;
before(async () => {
  tokenizer = await loadKuromojiTokenizer();
});

const drafts = referenceDrafts;

/** Asserts that reading by units of `unitChars` gives the one-pass model, findings included. */
function assertSame(text: string, unitChars: number, label: string, workspace: readonly RoleDefinition[] = []): void {
  const parsed = parsePolicy(text);
  const reference = buildRoleModel(parsed, tokenizer, catalog, workspace, { unitChars: 0 });
  const byUnits = buildRoleModel(parsed, tokenizer, catalog, workspace, { unitChars });
  assert.deepEqual(byUnits, reference, label);
  assert.deepEqual(roleFindings(byUnits, { unusedRole: true }), roleFindings(reference, { unusedRole: true }), label);
}

test('by units (small, default, large) = one pass, on the corpus and the 例文 drafts, twice (memo warm)', () => {
  for (const [name, text] of drafts()) {
    for (const unitChars of [120, 800, 3_000, 20_000]) {
      assertSame(text, unitChars, `${name} @${unitChars}`);
      assertSame(text, unitChars, `${name} @${unitChars} (again, from the memo)`);
    }
  }
});

test('by units = one pass on every role fixture, with workspace definitions', () => {
  const workspace = buildRoleModel(parsePolicy(drafts()[1]![1]), tokenizer, catalog).roles.flatMap((r) => r.definitions.map((d) => ({ ...d, uri: 'file:///basic.md' })));
  for (const c of listRoleFixtures()) {
    const text = readFileSync(c.mdPath, 'utf8');
    assertSame(text, 60, c.name);
    assertSame(text, 60, `${c.name} (workspace)`, workspace);
  }
});

test('by units = one pass after random edits (moved, reshaped, retitled and renamed provisions)', () => {
  // Edits that matter to roles: role names, subjects, lead-ins, 兼務, numbers, headings, line breaks.
  const pieces = ['CISO', '統括情報セキュリティ責任者は、', '次の事項を', '兼務', '承認', '\n', '\n\n', '第3条', '（１）', '①', '## 組織体制\n', 'ア ', '。', '、', 'は', 'の許可を得て', '以下「X責任者」という。', 'あ'];
  for (const [name, original] of drafts().slice(0, 3)) {
    let i = 0;
    for (const text of editSequence(original, pieces, 7, 25, 40)) assertSame(text, 400, `${name} after edit ${++i}`);
  }
});

test('a unit the parser hands on unchanged is read again when what its sentences read around it changed (an ancestor renumbered)', () => {
  const draft = (n: string): string =>
    ['# 情報セキュリティ対策基準', '', `## ${n} 組織体制`, '', '(1) 最高情報セキュリティ責任者', '', '副市長を最高情報セキュリティ責任者（以下「CISO」という。）とする。', '', '(2) 情報セキュリティ委員会', '', 'CISO は、情報セキュリティ委員会を設置する。', ''].join('\n');
  for (const [from, to] of [['1', '2'], ['2', '12'], ['12', '3']]) {
    assertSame(draft(from!), 60, `${from} (before)`);
    // The units keep their node across this parse (same kinds, numbers, texts and ranges relative to the edit).
    assertSame(draft(to!), 60, `renumbered ${from} → ${to}`);
    const labels = buildRoleModel(parsePolicy(draft(to!)), tokenizer, catalog, [], { unitChars: 60 }).roles.flatMap((r) => r.definitions.map((d) => d.clauseLabel));
    assert.ok(labels.length > 0 && labels.every((l) => l.startsWith(to!)), `labels ${labels.join(', ')} under ${to}`);
  }
});

test('in steps (roleModelSteps, as the server\'s first analysis reads it) the model is the one-pass model: a step per unit read, none when the memos answer', () => {
  for (const [name, text] of drafts()) {
    const parsed = parsePolicy(text);
    const reference = buildRoleModel(parsed, tokenizer, catalog, [], { unitChars: 0 });
    // A tokenizer object of its own: the unit memos are per tokenizer, so they start empty. A unit size
    // that cuts the draft into many units.
    const own: Tokenizer = { tokenize: (t) => tokenizer.tokenize(t) };
    const run = (): number => {
      const steps = roleModelSteps(parsed, own, catalog, [], { unitChars: 800 });
      let yielded = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) yielded++;
      assert.deepEqual(step.value, reference, name);
      return yielded;
    };
    const units = (function count(ns: typeof parsed.provisions): number {
      return ns.reduce((n, p) => n + (p.range.end - p.range.start <= 800 ? 1 : count(p.children)), 0);
    })(parsed.provisions);
    // Read afresh, each unit yields after its definitions and after its facts; from the memos, never.
    assert.equal(run(), 2 * units, `${name}: steps for ${units} units read afresh`);
    assert.equal(run(), 0, `${name}: steps when the memos answer every unit`);
  }
});

test('warmSentences tokenises every sentence the role model reads, a provision at a time', () => {
  for (const [name, text] of drafts()) {
    const parsed = parsePolicy(text);
    // A tokenizer object of its own: the sentence cache is per tokenizer, so this one starts empty.
    const texts: string[] = [];
    const counting: Tokenizer = { tokenize: (t) => (texts.push(t), tokenizer.tokenize(t)) };
    let steps = 0;
    for (const _ of warmSentences(parsed, counting)) steps++;
    const warmed = texts.length;
    assert.ok(warmed > 0 && steps >= warmed, `${name}: ${warmed} sentences in ${steps} steps`);
    assert.deepEqual(new Set(texts).size, new Set(sentencesOf(parsed).map((s) => s.text)).size, `${name}: the sentences sentencesOf cuts`);
    buildRoleModel(parsed, counting, catalog);
    assert.equal(texts.length, warmed, `${name}: the role model tokenised ${texts.length - warmed} more texts after the warm-up`);
  }
});
