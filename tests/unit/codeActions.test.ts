import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isUnitItem } from '../../server/src/service/align/catalogIndex';
import { loadCatalog } from '../../server/src/service/catalog';
import type { PolicyCodeAction, PolicyService } from '../../server/src/service';
import type { Finding } from '../../server/src/service/types';
import { renderGuidelineDraft } from '../../scripts/guidelineDraft';
import { applyEdits, docOf, featureService, guidelineStandards, offsetOf, sampleText, structureOnlyService } from './featuresFixture';
import { assertFixSafe } from '../fuzz/properties';

function actionsFor(s: PolicyService, text: string, pick: (f: Finding) => boolean): { finding: Finding; actions: PolicyCodeAction[] } {
  const doc = docOf(text);
  const finding = s.getDiagnostics(doc).find(pick);
  assert.ok(finding, 'finding present');
  return { finding, actions: s.getCodeActions(doc, finding.range).filter((a) => a.finding === finding) };
}

const byItem = (id: string) => (f: Finding) => f.code === 'missing-item' && f.guidelineId === id;

test('a missing clause is inserted after the clause of its preceding sibling, with the next number of that list', async () => {
  const s = await featureService();
  const clause = '②統括情報セキュリティ責任者及び情報システム管理者は、ログとして取得する項目、保存期間、取扱方法及びログが取得できなくなった場合の対処等について定め、適正にログを管理しなければならない。';
  const text = guidelineStandards.replace(`${clause}\n\n`, '');
  const { actions } = actionsFor(s, text, byItem('6.1(6)②'));
  const insert = actions.find((a) => a.isPreferred)!;
  assert.equal(insert.title, 'ガイドライン 6.1(6)② の例文を②として挿入');
  const after = offsetOf(text, '①統括情報セキュリティ責任者及び情報システム管理者は、各種ログ');
  const end = text.indexOf('\n', after);
  assert.deepEqual(insert.edits, [{ range: { start: end, end }, newText: `\n\n${clause}` }]);
  assert.equal(applyEdits(text, insert.edits), guidelineStandards);
});

test('a titled item goes in as a titled item, numbered in the draft’s own width', async () => {
  const s = await featureService();
  const block = '(３) 他団体との情報システムに関する情報等の交換\n\n情報システム管理者は、他の団体と情報システムに関する情報及びソフトウェアを交換する場合、その取扱いに関する事項をあらかじめ定め、統括情報セキュリティ責任者及び情報セキュリティ責任者の許可を得なければならない。';
  const text = guidelineStandards.replace(`${block}\n\n`, '');
  const insert = actionsFor(s, text, byItem('6.1(3)')).actions.find((a) => a.isPreferred)!;
  assert.equal(insert.title, 'ガイドライン 6.1(3) の例文を(３)として挿入');
  assert.equal(applyEdits(text, insert.edits), guidelineStandards);
});

test('in an article-style draft: a paragraph joins its article, a whole item becomes 第N条の2 with a caption, 本市 becomes 本町', async () => {
  const s = await featureService();
  const para = actionsFor(s, sampleText, byItem('1(1)③')).actions.find((a) => a.isPreferred)!;
  const end = offsetOf(sampleText, '最終決定権限及び責任を有する。') + '最終決定権限及び責任を有する。'.length;
  assert.deepEqual(para.edits, [
    {
      range: { start: end, end },
      newText: '\n\n3 CISO は、情報セキュリティインシデントに対処するための体制（CSIRT：Computer Security Incident Response Team、以下「CSIRT」という。）を整備し、役割を明確化する。',
    },
  ]);
  const article = actionsFor(s, sampleText, byItem('1(4)')).actions.find((a) => a.isPreferred)!;
  assert.equal(article.title, 'ガイドライン 1(4) の例文を第7条の2として挿入');
  const inserted = article.edits[0]!.newText;
  assert.match(inserted, /^\n\n### 第7条の2（情報セキュリティ管理者）\n\n1 内部部局の課室長、/);
  assert.match(inserted, /\n\n3 情報セキュリティ管理者は、その所掌する課室等において/);
  const fixed = applyEdits(sampleText, article.edits);
  const before = structureOnlyService().getDiagnostics(docOf(sampleText)).map((f) => f.message);
  const after = structureOnlyService().getDiagnostics(docOf(fixed)).map((f) => f.message);
  assert.deepEqual(after, before, 'the inserted article creates no numbering finding');

  const ward = actionsFor(s, sampleText.replace('organisation: みどり町', 'organisation: みどり区').replace('organisationType: 町', 'organisationType: 区').replace(/本町/g, '本区'), byItem('1(7)①'));
  assert.match(ward.actions.find((a) => a.isPreferred)!.edits[0]!.newText, /本区の情報セキュリティ対策を統一的に実施するため/);
});

test('not applicable: the item is declared in the front matter, which is created when absent', async () => {
  const s = await featureService();
  const na = actionsFor(s, sampleText, byItem('1(8)')).actions.find((a) => a.title.includes('対象外'))!;
  assert.equal(na.title, '1(8) を対象外として記録（フロントマターに理由を記入）');
  const fmEnd = sampleText.indexOf('\n---', 3) + 1;
  assert.deepEqual(na.edits, [
    { range: { start: 4, end: fmEnd }, newText: 'kijun:\n  kind: 対策基準\n  organisation: みどり町\n  organisationType: 町\n  not-applicable:\n    1(8): 理由を記入\n' },
  ]);
  const fixed = applyEdits(sampleText, na.edits);
  assert.ok(!s.getDiagnostics(docOf(fixed)).some(byItem('1(8)')), 'the finding is gone');
  assert.equal(s.getCoverage(docOf(fixed))!.byId.get('1(8)')!.status, 'not-applicable');

  const bare = sampleText.replace(/^---[\s\S]*?\n---\n\n/, '');
  const created = actionsFor(s, bare, (f) => f.code === 'missing-item' && f.guidelineId === '3').actions.find((a) => a.title.includes('対象外'))!;
  assert.deepEqual(created.edits, [{ range: { start: 0, end: 0 }, newText: '---\nkijun:\n  not-applicable:\n    "3": 理由を記入\n---\n\n' }]);

  const flow = sampleText.replace('kijun:\n  kind: 対策基準\n  organisation: みどり町\n  organisationType: 町\n', 'title: 案\nkijun: {}\n# 既存のコメント\n');
  const toBlock = actionsFor(s, flow, (f) => f.code === 'missing-item' && f.guidelineId === '3').actions.find((a) => a.title.includes('対象外'))!;
  // The comment is kept (the yaml library sets it off with a blank line).
  assert.equal(toBlock.edits[0]!.newText, 'title: 案\nkijun:\n  not-applicable:\n    "3": 理由を記入\n\n# 既存のコメント\n');
});

test('an unmarked 推奨事項 gets 【推奨事項】 at the end of its wording, or goes in the front matter', async () => {
  const s = await featureService();
  const text = guidelineStandards.replace('その業務内容を定めるものとする。【推奨事項】', 'その業務内容を定めるものとする。');
  const { actions } = actionsFor(s, text, (f) => f.code === 'unmarked-recommendation' && f.guidelineId === '1(1)②');
  const [mark, front] = actions;
  assert.equal(mark!.title, '【推奨事項】を付けて採用を明記');
  assert.equal(mark!.isPreferred, true);
  const end = offsetOf(text, 'その業務内容を定めるものとする。') + 'その業務内容を定めるものとする。'.length;
  assert.deepEqual(mark!.edits, [{ range: { start: end, end }, newText: '【推奨事項】' }]);
  assert.equal(applyEdits(text, mark!.edits), guidelineStandards);
  assert.equal(front!.title, 'フロントマターの adopted-recommendations に 1(1)② を追加');
  assert.match(front!.edits[0]!.newText, /\n {2}adopted-recommendations:\n {4}- 1\(1\)②\n$/);
  const preferFront = s.getCodeActions(docOf(text), actions[0]!.finding.range, { recommendedMarker: 'frontMatter' });
  assert.equal(preferFront.find((a) => a.isPreferred)?.title, front!.title);
});

test('以降の番号を振り直す renumbers the list in each member’s style and rewrites references by number', () => {
  const s = structureOnlyService();
  const text = '---\nkijun: {}\n---\n\n### 第1条（目的）\n\n本文\n\n### 第3条（定義）\n\n1 用語は、第4条に定める。\n\n2 前項の用語\n\n### 第4条（組織）\n\n組織は、第3条第2項による。\n\n（１）一\n\n（３）三\n';
  const doc = docOf(text);
  const findings = s.getDiagnostics(doc);
  const gap = findings.find((f) => f.message.startsWith('第2条'))!;
  const [renumber] = s.getCodeActions(doc, gap.range).filter((a) => a.finding === gap);
  assert.equal(renumber!.title, '以降の番号を振り直す');
  const fixed = applyEdits(text, renumber!.edits);
  assert.equal(fixed, text.replace('第3条（定義）', '第2条（定義）').replace('は、第4条に定める', 'は、第3条に定める').replace('第4条（組織）', '第3条（組織）').replace('は、第3条第2項による', 'は、第2条第2項による'));
  const paren = findings.find((f) => f.message.startsWith('(2)'))!;
  const [fix2] = s.getCodeActions(doc, paren.range);
  assert.deepEqual(fix2!.edits.map((e) => e.newText), ['（２）']);
  assert.deepEqual(s.getDiagnostics(docOf(applyEdits(fixed, s.getCodeActions(docOf(fixed), { start: fixed.indexOf('（３）'), end: fixed.indexOf('（３）') })[0]!.edits))), []);
});

/**
 * The property: on the guideline's own 例文 written out as a draft with some mandatory clauses left out,
 * every offered fix removes its finding, creates no structure finding and no new alignment finding, and is
 * not offered again afterwards (applying it twice does nothing); and it passes assertFixSafe (edits inside
 * their own ranges, the result parses).
 */
test('property: every offered fix clears its finding and nothing else changes', { timeout: 600_000 }, async () => {
  const s = await featureService();
  const catalog = loadCatalog();
  const candidates = catalog.items.filter((i) => i.part === 'standards' && isUnitItem(i) && !i.recommended && i.level !== 'bullet' && i.level !== 'paragraph').map((i) => i.id);
  const key = (f: Finding): string => `${f.code} ${f.guidelineId ?? f.message}`;
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...candidates), { minLength: 1, maxLength: 3 }), async (omit) => {
      const text = renderGuidelineDraft(catalog, 'standards', new Set(omit));
      const doc = docOf(text);
      const before = s.getDiagnostics(doc);
      const structureBefore = new Set(s.getParsed(doc).findings.map((f) => f.message));
      for (const finding of before.filter((f) => f.guidelineId)) {
        for (const action of s.getCodeActions(doc, finding.range).filter((a) => a.finding === finding)) {
          const fixed = applyEdits(text, action.edits);
          const fixedDoc = docOf(fixed);
          const after = s.getDiagnostics(fixedDoc);
          assert.ok(!after.some((f) => key(f) === key(finding)), `${action.title}: the finding is gone (omitted ${omit.join(', ')})`);
          const newStructure = s.getParsed(fixedDoc).findings.filter((f) => !structureBefore.has(f.message));
          assert.deepEqual(newStructure.map((f) => f.message), [], `${action.title}: no new structure finding`);
          const keysBefore = new Set(before.map(key));
          assert.deepEqual(after.filter((f) => f.guidelineId && !keysBefore.has(key(f))).map(key), [], `${action.title}: no new alignment finding`);
          assert.ok(!s.getCodeActions(fixedDoc, { start: 0, end: fixed.length }).some((a) => a.title === action.title), `${action.title}: not offered twice`);
          // Only its own ranges, a text that parses, and the same fix gone afterwards (the check the corpus and the fuzz use).
          assert.equal(assertFixSafe(s, doc, action).fixed, fixed);
          s.forget(fixedDoc.uri);
          checked++;
        }
      }
      s.forget(doc.uri);
    }),
    { numRuns: 4, seed: 20261122 },
  );
  assert.ok(checked >= 4, `${checked} fixes checked`);
});
