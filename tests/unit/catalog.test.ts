// Pins the committed guideline catalog against guideline-map.md (the structural map of guideline.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  commentaryFor,
  findItem,
  itemIndex,
  loadCatalog,
  searchCatalog,
  type CatalogItem,
} from '../../server/src/service/catalog';

const catalog = loadCatalog();
const items = catalog.items;
const standards = items.filter((i) => i.part === 'standards');
const basic = items.filter((i) => i.part === 'basic-policy');

function item(id: string): CatalogItem {
  const found = findItem(catalog, id);
  assert.ok(found, `item ${id} exists`);
  return found;
}

function countIn(section: string, level: CatalogItem['level']): number {
  return items.filter((i) => i.section === section && i.level === level).length;
}

// guideline-map.md §2.1, written out independently of scripts/catalog/sections.ts.
const standardsSections: [string, string][] = [
  ['1', '組織体制'], ['2', '情報資産の分類と管理'], ['3', '情報システム全体の強靭性の向上'],
  ['4', '物理的セキュリティ'], ['4.1', 'サーバ等の管理'], ['4.2', '管理区域（情報システム室等）の管理'],
  ['4.3', '通信回線及び通信回線装置の管理'], ['4.4', '職員等の利用する端末や電磁的記録媒体等の管理'],
  ['5', '人的セキュリティ'], ['5.1', '職員等の遵守事項'], ['5.2', '研修・訓練'],
  ['5.3', '情報セキュリティインシデントの報告'], ['5.4', 'ID 及びパスワード等の管理'],
  ['6', '技術的セキュリティ'], ['6.1', 'コンピュータ及びネットワークの管理'], ['6.2', 'アクセス制御'],
  ['6.3', 'システム開発、導入、保守等'], ['6.4', '不正プログラム対策'], ['6.5', '不正アクセス対策'],
  ['6.6', 'セキュリティ情報の収集'], ['7', '運用'], ['7.1', '情報システムの監視'],
  ['7.2', '情報セキュリティポリシーの遵守状況の確認'], ['7.3', '侵害時の対応等'], ['7.4', '例外措置'],
  ['7.5', '法令遵守'], ['7.6', '懲戒処分等'], ['8', '外部サービスの利用'], ['8.1', '外部委託'],
  ['8.2', '約款による外部サービスの利用'], ['8.3', 'ソーシャルメディアサービスの利用'], ['9', '評価・見直し'],
  ['9.1', '監査'], ['9.2', '自己点検'], ['9.3', '情報セキュリティポリシー及び関係規程等の見直し'],
];

// guideline-map.md §4.
const recommendedIds = [
  '1(1)②', '1(7)②', '2(2)⑥(ウ)', '4.1(2)①', '4.1(2)②', '4.2(1)②', '4.2(1)⑤', '4.4③', '4.4⑤', '4.4⑥',
  '5.2(2)②', '5.3(2)④', '6.1(14)⑥', '6.2(3)', '6.3(3)①(ア)', '6.5(1)④', '8.1(1)②',
];

test('the guideline edition is the 平成30年9月版', () => {
  assert.deepEqual(catalog.guideline, {
    title: '地方公共団体における情報セキュリティポリシーに関するガイドライン',
    edition: '平成30年9月版',
  });
});

test('対策基準 has 9 top-level sections and 26 sub-sections with the map titles', () => {
  const sections = standards.filter((i) => i.level === 'section' || i.level === 'subsection');
  assert.deepEqual(sections.map((s) => [s.id, s.title]), standardsSections);
  assert.equal(sections.filter((s) => s.level === 'section').length, 9);
  assert.equal(sections.filter((s) => s.level === 'subsection').length, 26);
  const leaves = sections.filter((s) => !sections.some((c) => c.parent === s.id));
  assert.equal(leaves.length, 29);
  assert.equal(item('6.5').parent, '6');
  assert.equal(item('6').parent, null);
});

test('基本方針 has its 10 sections, ids prefixed 基本方針', () => {
  const sections = basic.filter((i) => i.level === 'section');
  assert.deepEqual(sections.map((s) => `${s.id} ${s.title}`), [
    '基本方針 1 目的', '基本方針 2 定義', '基本方針 3 対象とする脅威', '基本方針 4 適用範囲',
    '基本方針 5 職員等の遵守義務', '基本方針 6 情報セキュリティ対策',
    '基本方針 7 情報セキュリティ監査及び自己点検の実施', '基本方針 8 情報セキュリティポリシーの見直し',
    '基本方針 9 情報セキュリティ対策基準の策定', '基本方針 10 情報セキュリティ実施手順の策定',
  ]);
  assert.equal(basic.filter((i) => i.level === 'item').length, 28);
  assert.equal(basic.filter((i) => i.level === 'subitem').length, 6);
  assert.equal(basic.filter((i) => i.level === 'paragraph').length, 9);
  assert.equal(item('基本方針 2(5)').title, '機密性');
  assert.equal(item('基本方針 6(3)②').parent, '基本方針 6(3)');
});

test('ids are unique, parents exist and precede their children', () => {
  assert.equal(itemIndex(catalog).size, items.length);
  const position = new Map(items.map((i, n) => [i.id, n]));
  for (const i of items) {
    if (i.parent === null) continue;
    assert.ok((position.get(i.parent) ?? Infinity) < position.get(i.id)!, `${i.id} → ${i.parent}`);
  }
});

test('exactly the 17 【推奨事項】 items carry the mark; nothing else is recommended', () => {
  const marked = items.filter((i) => i.recommendedMark).map((i) => i.id);
  assert.deepEqual(marked, recommendedIds);
  const recommended = items.filter((i) => i.recommended).map((i) => i.id);
  assert.deepEqual(recommended, recommendedIds); // none of the marked items has children to inherit the mark
  for (const i of items) assert.ok(!/推奨事/.test(i.text), `marker text left in ${i.id}`);
});

test('item counts per level match guideline-map.md §2.4 and §11', () => {
  const count = (level: CatalogItem['level']) => standards.filter((i) => i.level === level).length;
  assert.equal(count('item'), 114);
  assert.equal(count('subitem'), 254);
  assert.equal(count('subsubitem'), 60);
  assert.equal(count('bullet'), 26);
  assert.equal(standards.filter((i) => i.level === 'item' && i.text !== '').length, 59);
  assert.equal(standards.filter((i) => i.level === 'subitem' && i.text === '').length, 17);
});

test('per-section counts match guideline-map.md §2.4', () => {
  const pins: [string, number, number, number][] = [
    // section, (n), ①, （ア）
    ['1', 9, 33, 0], ['2', 2, 10, 23], ['3', 3, 5, 4], ['4.1', 7, 10, 0], ['4.3', 0, 6, 0],
    ['5.1', 4, 11, 5], ['5.4', 3, 13, 3], ['6.1', 20, 43, 0], ['6.2', 6, 13, 9], ['6.3', 8, 13, 12],
    ['7.5', 0, 7, 0], ['8.3', 0, 3, 2], ['9.1', 8, 4, 0], ['9.3', 0, 0, 0],
  ];
  for (const [section, n, circled, kana] of pins) {
    assert.deepEqual(
      [countIn(section, 'item'), countIn(section, 'subitem'), countIn(section, 'subsubitem')],
      [n, circled, kana],
      section,
    );
  }
});

test('titles, fragments and unnumbered paragraphs are told apart', () => {
  assert.equal(item('4.1(1)').title, '機器の取付け');
  assert.match(item('4.1(1)').text, /^情報システム管理者は、サーバ等の機器の取付けを行う場合/);
  assert.equal(item('1(1)').title, '最高情報セキュリティ責任者（CISO: Chief Information Security Officer、以下「CISO」という。）');
  assert.equal(item('2(2)①').title, '管理責任');
  assert.equal(item('2(2)①').text, '');
  assert.equal(item('7.3(2)①').title, null); // a list fragment, not a title
  assert.equal(item('7.3(2)①').text, '関係者の連絡先');
  assert.equal(item('7.5⑦').text, '○○市個人情報保護条例（平成○○年条例第○○号）');
  assert.match(item('7.5#p1').text, /^職員等は、職務の遂行において/);
  assert.match(item('9.3#p1').text, /改善を行うものとする。$/);
  assert.equal(item('8.1(2)#b13').text, '情報セキュリティポリシーが遵守されなかった場合の規定(損害賠償等)');
  assert.equal(item('2(1)#機密性3').title, '機密性３');
  assert.equal(items.filter((i) => i.parent === '2(1)#機密性3').length, 8);
  assert.match(item('対策基準').text, /^本対策基準は、情報セキュリティ基本方針を実行に移すための/);
});

test('text is joined across line and page breaks without artefacts', () => {
  assert.match(item('1(2)⑦').text, /CISO、統括情報セキュリティ責任者、情報セキュリティ責任者/); // split 統|括 at a page top
  assert.match(item('1(1)③').text, /CSIRT：Computer Security Incident Response Team、以下「CSIRT」という。/);
  assert.match(item('基本方針 2(11)').text, /分離した上で、安全が確保された通信/);
  assert.match(item('4.1(2)②').text, /最小限にしなければならない。$/);
  assert.match(item('1(9)②').text, /置くこと。また、CSIRT 内の業務統括/);
  assert.equal(item('基本方針 6(8)').text.split('\n').length, 3);
  for (const i of items) {
    assert.ok(!/[ⅰⅱⅲⅳ]-\s*\d/.test(i.text), `page footer in ${i.id}`);
    assert.ok(!/^\s|\s$|\n\s|\s\n/.test(i.text), `stray whitespace in ${i.id}`);
  }
  assert.ok(!items.some((i) => i.text.includes('（注）')), 'the 基本方針 note is not 例文');
});

test('sourceLine points at the item line in guideline.txt', () => {
  assert.equal(item('1').sourceLine, 1305);
  assert.equal(item('6.5').sourceLine, 3210);
  assert.equal(item('4.1(2)②').sourceLine, 1893);
  assert.equal(item('8.1(2)#b1').sourceLine, 3577);
  assert.equal(item('基本方針 2(12)').sourceLine, 1087);
});

test('every leaf section with a 解説 has its commentary; 7.6 has none', () => {
  const leaves = standards.filter((s) => (s.level === 'section' || s.level === 'subsection') && !standards.some((c) => c.parent === s.id && c.level === 'subsection'));
  for (const s of leaves) {
    assert.ok(s.commentary, `${s.id} has commentary`);
    if (s.id === '7.6') assert.equal(s.commentary.text, '');
    else assert.ok(s.commentary.text.length > 100, `${s.id} 解説 text`);
    assert.ok((s.commentary.purpose ?? '').length > 50, `${s.id} 趣旨`);
  }
  for (const top of ['4', '5', '6', '7', '8', '9']) assert.equal(item(top).commentary, null);
  for (const s of basic.filter((i) => i.level === 'section')) assert.ok(s.commentary && s.commentary.text !== '', s.id);
});

test('commentary content is the right 解説', () => {
  assert.match(item('4.1').commentary?.purpose ?? '', /^サーバ等のハードウェアは、情報システムの安定的な運用のために/);
  assert.match(item('4.1(1)').commentary?.text ?? '', /^情報システムで利用する機器は、温度、湿度等に敏感である/);
  assert.equal(item('4.1(1)').commentary?.sourceLine, 6453);
  assert.match(item('1(1)').commentary?.text ?? '', /最高情報統括責任者（CIO: Chief Information Officer/);
  assert.match(item('5.4(3)').commentary?.text ?? '', /パスワード/);
  assert.match(item('基本方針 1').commentary?.text ?? '', /^ここでは、なぜ、情報セキュリティが必要なのか/);
  assert.equal(item('7.4(1)').commentary, null); // the 7.4 解説 has no (n) sub-headings
  assert.equal(commentaryFor(catalog, '5.4(3)④'), item('5.4(3)').commentary);
  assert.equal(commentaryFor(catalog, '7.4(1)'), item('7.4').commentary);
  assert.equal(commentaryFor(catalog, '7.6(2)①'), item('7.6').commentary);
});

test('roles: 組織体制 defines them, with CISO and CSIRT aliases; the audit chief is used but not defined', () => {
  const role = (name: string) => {
    const found = catalog.roles.find((r) => r.name === name);
    assert.ok(found, name);
    return found;
  };
  const defined: [string, string][] = [
    ['最高情報セキュリティ責任者', '1(1)'], ['統括情報セキュリティ責任者', '1(2)'], ['情報セキュリティ責任者', '1(3)'],
    ['情報セキュリティ管理者', '1(4)'], ['情報システム管理者', '1(5)'], ['情報システム担当者', '1(6)'],
    ['情報セキュリティ委員会', '1(7)'], ['職員等', '1(3)④'], ['最高情報セキュリティアドバイザー', '1(1)②'],
  ];
  for (const [name, id] of defined) assert.equal(role(name).definedIn, id, name);
  assert.deepEqual(role('最高情報セキュリティ責任者').aliases, ['CISO']);
  const csirt = catalog.roles.find((r) => r.aliases.includes('CSIRT'));
  assert.equal(csirt?.definedIn, '1(1)③');
  const auditChief = role('情報セキュリティ監査統括責任者');
  assert.equal(auditChief.definedIn, null);
  assert.deepEqual(auditChief.usedIn, ['9.1(1)', '9.1(2)①', '9.1(3)①', '9.1(4)', '9.1(5)', '9.1(6)']);
  // Longest match first: 1(2)② names only 統括情報セキュリティ責任者.
  assert.ok(role('統括情報セキュリティ責任者').usedIn.includes('1(2)②'));
  assert.ok(!role('情報セキュリティ責任者').usedIn.includes('1(2)②'));
  assert.ok(role('最高情報セキュリティ責任者').usedIn.includes('7.4(1)')); // used as CISO
});

test('relations: who permits, approves and receives reports', () => {
  const at = (itemId: string) => catalog.relations.filter((r) => r.itemId === itemId);
  const takeOut = at('5.1(1)③(イ)');
  assert.equal(takeOut.length, 1);
  assert.equal(takeOut[0]?.kind, 'permit');
  assert.equal(takeOut[0]?.authority, '情報セキュリティ管理者');
  assert.match(takeOut[0]?.action ?? '', /持ち出し/);
  assert.deepEqual(at('4.1(6)').map((r) => [r.kind, r.authority]), [['approve', 'CISO']]);
  assert.deepEqual(at('9.1(3)①').map((r) => [r.kind, r.authority]), [['approve', '情報セキュリティ委員会']]);
  assert.deepEqual(at('6.1(10)①').map((r) => r.authority), ['CISO及び統括情報セキュリティ責任者']);
  assert.deepEqual(at('7.4(1)').map((r) => [r.kind, r.authority]), [['permit', 'CISO']]);
  assert.deepEqual(at('9.1(5)').map((r) => [r.kind, r.authority, r.subject]), [['report', '情報セキュリティ委員会', '情報セキュリティ監査統括責任者']]);
  for (const r of catalog.relations) assert.ok(findItem(catalog, r.itemId), r.itemId);
});

test('terms: the 基本方針 定義, 以下「X」という definitions and the glossary', () => {
  const definitions = catalog.terms.filter((t) => t.itemId?.startsWith('基本方針 2(')).map((t) => t.term);
  assert.deepEqual(definitions, [
    'ネットワーク', '情報システム', '情報セキュリティ', '情報セキュリティポリシー', '機密性', '完全性', '可用性',
    'マイナンバー利用事務系（個人番号利用事務系）', 'LGWAN 接続系', 'インターネット接続系', '通信経路の分割', '無害化通信',
  ]);
  const inline = (term: string) => catalog.terms.filter((t) => t.term === term && t.itemId !== null).map((t) => t.itemId);
  assert.deepEqual(inline('CISO'), ['1(1)']);
  assert.deepEqual(inline('CSIRT'), ['1(1)③']);
  assert.deepEqual(inline('職員等'), ['基本方針 5#p1', '1(3)④']);
  assert.deepEqual(inline('管理区域'), ['4.2(1)①']);
  const glossary = catalog.terms.filter((t) => t.itemId === null);
  assert.equal(glossary.length, 26);
  assert.ok(glossary.some((t) => t.term === 'BCP' && /^「BCP」とは/.test(t.definition)));
  assert.ok(!glossary.some((t) => /http/.test(t.definition)));
});

test('searchCatalog: パスワード finds 5.4 first, 持ち出し finds the 持ち出し clauses', () => {
  const password = searchCatalog(catalog, 'パスワード');
  assert.equal(password.length, 10);
  assert.ok(password.slice(0, 5).every((r) => r.item.section === '5.4'), password.map((r) => r.item.id).join(' '));
  for (let n = 1; n < password.length; n++) assert.ok(password[n - 1]!.score <= password[n]!.score);
  const takeOut = searchCatalog(catalog, '持ち出し', 20).map((r) => r.item.id);
  for (const id of ['5.1(1)⑤', '3(1)②(イ)', '5.1(1)③(イ)']) assert.ok(takeOut.includes(id), `${id} in ${takeOut.join(' ')}`);
  assert.equal(searchCatalog(catalog, 'パスワード', 3).length, 3);
  assert.deepEqual(searchCatalog(catalog, '   '), []);
});

test('the catalog module stays free of fs and LSP imports', () => {
  const source = readFileSync(path.join(__dirname, '..', '..', 'server', 'src', 'service', 'catalog', 'index.ts'), 'utf8');
  const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(imports, ['fuse.js', './catalog.json', './types', './types']);
});
