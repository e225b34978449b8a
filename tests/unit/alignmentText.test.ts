import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWeakened, sentenceModality, textModality, type Modality } from '../../server/src/service/align/modality';
import { isWithin, normalizeId, readDeviations } from '../../server/src/service/align/deviations';
import { detectSelfReference, normalizeForMatch } from '../../server/src/service/text/normalize';

test('modality of sentence endings, in である and です・ます styles', () => {
  const table: [string, Modality][] = [
    ['パスワードを管理しなければならない。', 'obligation'],
    ['パスワードを管理しなければなりません。', 'obligation'], // です・ます
    ['パスワードを管理するものとする。', 'obligation'],
    ['パスワードを管理します。', 'obligation'], // です・ます の宣言も義務
    ['対策を講じる。', 'obligation'],
    ['情報を持ち出してはならない。', 'prohibition'],
    ['情報を持ち出してはなりません。', 'prohibition'],
    ['情報を持ち出さないこと。', 'prohibition'], // 〜ないこと: a negative instruction
    ['CSIRTの役割を明確化すること。', 'obligation'], // 〜すること: an instruction
    ['改善に努める。', 'effort'],
    ['改善に努めなければならない。', 'effort'], // 努めなければならない is an effort clause, not an obligation
    ['改善に努めます。', 'effort'],
    ['専用端末を設置することが望ましい。', 'desirable'],
    ['例外措置を講じることができる。', 'permission'],
    ['例外措置を講じることができます。', 'permission'],
  ];
  for (const [s, m] of table) assert.equal(sentenceModality(s), m, s);
});

test('the strongest sentence decides a clause; only obligations and prohibitions can be weakened', () => {
  assert.equal(textModality('改善に努める。ただし、報告しなければならない。'), 'obligation');
  assert.equal(isWeakened('obligation', 'effort'), true);
  assert.equal(isWeakened('prohibition', 'permission'), true);
  assert.equal(isWeakened('obligation', 'obligation'), false);
  assert.equal(isWeakened('effort', 'permission'), false, 'an effort clause in the guideline is not an obligation');
});

test('normalisation folds width, variant kanji and okurigana, the body and the appointee', () => {
  const table: [string, string][] = [
    ['情報システムの強靭性', '情報システムの強靱性'], // 異体字
    ['ＵＳＢメモリーの持ち出し', 'USBメモリの持出'], // 全角・長音・送り仮名
    ['本区の情報資産', '本市の情報資産'],
    ['本協議会が保有する', '本市が保有する'],
    ['○○市個人情報保護条例', '本市個人情報保護条例'],
    ['直ちに報告する', '速やかに報告する'],
    ['副区長を CISO とする。', '任命者をCISOとする。'], // the appointee is what every body words its own way
    ['総務課長を統括情報セキュリティ責任者とする。', '任命者を統括情報セキュリティ責任者とする。'],
  ];
  for (const [from, to] of table) assert.equal(normalizeForMatch(from), to, from);
  // Words that only look like a self-reference stay.
  assert.equal(normalizeForMatch('本会議で審議する'), '本会議で審議する');
  // The subject of a clause is not mistaken for an appointee.
  assert.equal(normalizeForMatch('CISOは、専門家を最高情報セキュリティアドバイザーとして置く。'), 'CISOは、専門家を最高情報セキュリティアドバイザーとして置く。');
});

test('the self-reference of a body is its most frequent 本〇', () => {
  assert.equal(detectSelfReference('本協議会は…本協議会の…本市の例による'), '本協議会');
  assert.equal(detectSelfReference('この規程は'), null);
});

test('deviation ids in any width, with scope', () => {
  assert.equal(normalizeId('６．１（３）②'), '6.1(3)②');
  assert.equal(normalizeId('基本方針２'), '基本方針 2');
  assert.ok(isWithin('6.1(3)②', '6.1'));
  assert.ok(isWithin('6.1(3)②', '6'));
  assert.ok(!isWithin('6.10', '6.1'), '6.10 is not under 6.1');
  assert.ok(!isWithin('基本方針 10', '基本方針 1'));
  const d = readDeviations({ kijun: { 'not-applicable': { '3': '対象外の理由' }, omitted: [{ id: '6.1(14)④' }], 'adopted-recommendations': ['4.4③'] } });
  assert.deepEqual(d.deviations.map((x) => [x.id, x.kind]), [['3', 'not-applicable'], ['6.1(14)④', 'omitted']]);
  assert.ok(d.adoptedRecommendations.has('4.4③'));
  assert.equal(d.problems.length, 1, 'an omission without a reason is a problem');
  assert.match(d.problems[0]!, /理由がありません/);
});
