/**
 * The role model on inline drafts: longest-match names, names split by line breaks, subjects from a
 * lead-in, approval phrases in their several forms, workspace definitions, and the editor helpers
 * (hover, definition, references, rename, matrix). `$0` marks the cursor.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import type { Tokenizer } from '../../server/src/service/morph/types';
import { parsePolicy } from '../../server/src/service/parse/index';
import {
  extractRoleDefinitions,
  renameRoleEdits,
  renderRoleMatrix,
  roleDefinitionAt,
  roleHoverAt,
  roleMatrix,
  roleReferencesAt,
} from '../../server/src/service/roles/index';
import { applyEdits, catalog, findingsOf, roleModelOf } from '../helpers/roleFixtures';

let tokenizer: Tokenizer;
before(async () => {
  tokenizer = await loadKuromojiTokenizer();
});

const ORG = ['# 情報セキュリティ対策基準', '', '## 1 組織体制', '', '(１) 最高情報セキュリティ責任者（以下「CISO」という。）', '', '副市長を CISO とする。', '', '(２) 統括情報セキュリティ責任者', '', '情報政策担当部長を統括情報セキュリティ責任者とする。', '', '(３) 情報セキュリティ責任者', '', '各部の長を情報セキュリティ責任者とする。', '', '(４) 情報セキュリティ管理者', '', '各課室の長を情報セキュリティ管理者とする。', ''];

function doc(...body: string[]): string {
  return [...ORG, '## 2 運用', '', ...body, ''].join('\n');
}

function cursor(text: string): [string, number] {
  const at = text.indexOf('$0');
  return [text.replace('$0', ''), at];
}

test('longest match: 統括情報セキュリティ責任者 is not also a mention of 情報セキュリティ責任者', () => {
  const text = doc('統括情報セキュリティ責任者は、情報セキュリティ責任者に助言しなければならない。');
  const model = roleModelOf(text, tokenizer);
  const line = text.indexOf('統括情報セキュリティ責任者は、');
  const here = model.mentions.filter((m) => m.range.start >= line);
  assert.deepEqual(
    here.map((m) => [m.role, text.slice(m.range.start, m.range.end)]),
    [
      ['統括情報セキュリティ責任者', '統括情報セキュリティ責任者'],
      ['情報セキュリティ責任者', '情報セキュリティ責任者'],
    ],
  );
});

test('a role name split by a line break is one mention whose range spans the break', () => {
  const text = doc('統括情報セキュリティ責任者は、緊急時には、CISO 及び統', '括情報セキュリティ責任者に報告しなければならない。');
  const model = roleModelOf(text, tokenizer);
  const split = model.mentions.find((m) => text.slice(m.range.start, m.range.end) === '統\n括情報セキュリティ責任者');
  assert.ok(split, 'the split name is found');
  assert.equal(split.role, '統括情報セキュリティ責任者');
  assert.deepEqual(findingsOf(text, tokenizer), []);
});

test('subjects are inherited from a lead-in (職員等は、次の事項を遵守しなければならない。)', () => {
  const text = doc('(１) 職員等は、次の事項を遵守しなければならない。', '', '① 情報資産を外部に持ち出す場合には、情報セキュリティ管理者の許可を得ること。', '', '(２) 統括情報セキュリティ責任者は、次の措置を講じなければならない。', '', '① ログを取得すること。');
  const model = roleModelOf(text, tokenizer);
  const permit = model.relations.find((r) => r.kind === 'permit')!;
  assert.equal(permit.requesterText, '職員等');
  assert.equal(permit.action.id, 'take-out');
  assert.deepEqual(permit.authorities, ['情報セキュリティ管理者']);
  const inherited = model.duties.filter((d) => d.inherited && d.role === '統括情報セキュリティ責任者');
  assert.deepEqual(inherited.map((d) => d.text), ['ログを取得すること。']);
});

test('approval phrases in several forms', () => {
  const text = doc(
    '(１) 職員等は、情報セキュリティ管理者の許可を得て、情報資産を外部に持ち出すことができる。',
    '',
    '(２) 職員等は、統括情報セキュリティ責任者が承認したソフトウェアに限り、導入することができる。',
    '',
    '(３) 職員等は、電磁的記録媒体を紛失した場合は、情報セキュリティ管理者に届け出て、その指示に従わなければならない。',
    '',
    '(４) 職員等は、統括情報セキュリティ責任者の指示に従い、端末の設定を変更しなければならない。',
    '',
    '(５) CISO は、合理的な理由がある場合は、例外措置を認めることができる。',
    '',
    '(６) 職員等は、情報セキュリティ責任者に許可を得なければ、情報資産を複製してはならない。',
  );
  const model = roleModelOf(text, tokenizer);
  const got = model.relations.map((r) => [r.clauseLabel, r.kind, r.action.id, r.authorities.join('+')]);
  assert.deepEqual(got, [
    ['2(１)', 'permit', 'take-out', '情報セキュリティ管理者'],
    ['2(２)', 'approve', 'software', '統括情報セキュリティ責任者'],
    ['2(３)', 'notify', 'loss', '情報セキュリティ管理者'],
    ['2(４)', 'instruct', 'settings', '統括情報セキュリティ責任者'],
    ['2(５)', 'permit', 'exception', '最高情報セキュリティ責任者'],
    ['2(６)', 'permit', 'copy', '情報セキュリティ責任者'],
  ]);
});

test('workspace: a 対策基準 may use the roles its sibling 基本方針 appoints', () => {
  const basic = ['# 情報セキュリティ基本方針', '', '## 3 組織体制', '', '(１) 情報セキュリティ統括者', '', '副市長を情報セキュリティ統括者とする。', '', '(２) 情報化推進委員会', '', '本市に情報化推進委員会を置く。', ''].join('\n');
  const standards = ['# 情報セキュリティ対策基準', '', '## 5 運用', '', '情報化推進委員会は、情報セキュリティ統括者の承認を得て、研修計画を定めなければならない。', ''].join('\n');
  const alone = findingsOf(standards, tokenizer);
  assert.deepEqual(alone.map((f) => f.message), ['『情報化推進委員会』は任命・定義されていません']);
  const sibling = extractRoleDefinitions(parsePolicy(basic), tokenizer, catalog).map((d) => ({ ...d, uri: 'file:///policy/基本方針.md' }));
  assert.deepEqual(sibling.map((d) => [d.name, d.kind]), [
    ['情報セキュリティ統括者', 'title'],
    ['情報セキュリティ統括者', 'appointment'],
    ['情報化推進委員会', 'title'],
    ['情報化推進委員会', 'establishment'],
  ]);
  assert.deepEqual(findingsOf(standards, tokenizer, true, sibling), [], 'no undefined-role, and roles defined elsewhere are not unused here');
  const model = roleModelOf(standards, tokenizer, sibling);
  const at = standards.indexOf('情報セキュリティ統括者の承認');
  const def = roleDefinitionAt(model, at + 2)!;
  assert.equal(def.uri, 'file:///policy/基本方針.md');
  assert.equal(basic.slice(def.range.start, def.range.end), '情報セキュリティ統括者');
});

test('hover on a role: appointment, duties, what it permits, whom it reports to', () => {
  const [text, at] = cursor(doc('(１) 職員等は、情報資産を外部に持ち出す場合には、情報セキュリティ管理者の許可を得なければならない。', '', '(２) 情報セキュリティ$0管理者は、インシデントを統括情報セキュリティ責任者に報告しなければならない。'));
  const model = roleModelOf(text, tokenizer);
  const hover = roleHoverAt(model, at)!;
  assert.equal(text.slice(hover.range.start, hover.range.end), '情報セキュリティ管理者');
  assert.match(hover.markdown, /^\*\*情報セキュリティ管理者\*\*/);
  assert.match(hover.markdown, /各課室の長を情報セキュリティ管理者とする。/);
  assert.match(hover.markdown, /\*\*許可・承認する事項\*\*\n- 持ち出し（許可、2\(１\)）/);
  assert.match(hover.markdown, /\*\*報告先\*\*\n- 情報セキュリティインシデント → 統括情報セキュリティ責任者（2\(２\)）/);
  assert.equal(roleHoverAt(model, text.indexOf('職員等')), null, '職員等 is not a role');
});

test('definition, references and rename of a role (and of its abbreviation)', () => {
  const [text, at] = cursor(doc('CI$0SO は、統括情報セキュリティ責任者に指示することができる。'));
  const model = roleModelOf(text, tokenizer);
  const def = roleDefinitionAt(model, at)!;
  assert.equal(text.slice(def.range.start, def.range.end), '最高情報セキュリティ責任者');
  const refs = roleReferencesAt(model, at).map((r) => text.slice(r.start, r.end));
  assert.deepEqual(refs, ['最高情報セキュリティ責任者', 'CISO', 'CISO', 'CISO']);
  const rename = renameRoleEdits(model, at, 'セキュリティ統括者');
  assert.ok(rename && 'edits' in rename);
  const renamed = applyEdits(text, rename.edits);
  assert.equal(renamed.match(/セキュリティ統括者/g)?.length, 3);
  assert.ok(renamed.includes('以下「セキュリティ統括者」という。'));
  assert.deepEqual(findingsOf(renamed, tokenizer), [], 'the renamed document is still consistent');
  assert.deepEqual(renameRoleEdits(model, at, '統括情報セキュリティ責任者'), { error: '『統括情報セキュリティ責任者』は既に別の役割（『統括情報セキュリティ責任者』）の名前です' });
});

test('the role/approval matrix, as JSON and Markdown', () => {
  const text = doc('(１) 職員等は、情報セキュリティ管理者の許可を得て、情報資産を外部に持ち出すことができる。', '', '(２) 情報セキュリティ管理者は、CISO の許可を得て、例外措置を講じることができる。');
  const matrix = roleMatrix(roleModelOf(text, tokenizer));
  assert.deepEqual(matrix.actions.map((a) => a.label), ['持ち出し', '例外措置']);
  const cell = matrix.cells.find((c) => c.role === '情報セキュリティ管理者' && c.action === 'exception')!;
  assert.deepEqual(cell.entries.map((e) => [e.kind, e.side, e.clauseLabel]), [['permit', 'requester', '2(２)']]);
  const md = renderRoleMatrix(matrix, 'md');
  assert.match(md, /\| 事項 \| 最高情報セキュリティ責任者 \| 情報セキュリティ管理者 \|/);
  assert.match(md, /\| 例外措置 \| 許可（2\(２\)） \| 許可申請（2\(２\)） \|/);
  assert.deepEqual(JSON.parse(renderRoleMatrix(matrix, 'json')), JSON.parse(JSON.stringify(matrix)));
});

test('the insert fix numbers and captions the new clause like its siblings', () => {
  const text = doc('(１) ネットワーク管理責任者は、ネットワークを管理しなければならない。');
  const [finding] = findingsOf(text, tokenizer);
  const insert = finding!.fixes!.find((f) => f.title.startsWith('組織体制に'))!;
  assert.equal(insert.edits[0]!.newText, '\n\n(５) ネットワーク管理責任者\n\n○○をネットワーク管理責任者とする。');
  const guideline = findingsOf(doc('(１) 職員等は、情報システム管理者の指示に従わなければならない。'), tokenizer)[0]!;
  const wording = guideline.fixes!.find((f) => f.title.startsWith('組織体制に'))!.edits[0]!.newText;
  assert.equal(guideline.guidelineId, '1(5)');
  assert.match(wording, /各情報システムの担当課室長等を当該情報システムに関する情報システム管理者とする。$/, 'the guideline 例文 wording when it has one');
});

test('a lone surrogate or a NUL in a clause neither throws nor shifts ranges', () => {
  const text = doc('情報セキュリティ管理者は、\uD800記録\u0000を統括情報セキュリティ責任者に報告しなければならない。');
  const model = roleModelOf(text, tokenizer);
  const m = model.mentions.find((x) => x.role === '統括情報セキュリティ責任者' && x.range.start > text.indexOf('記録'))!;
  assert.equal(text.slice(m.range.start, m.range.end), '統括情報セキュリティ責任者');
});
