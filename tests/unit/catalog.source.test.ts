// Checks the catalog against guideline.txt itself: the generator reproduces the committed JSON, and every sentence
// of the 例文 (L1014–3800) lands in exactly one item. Skipped when the corpus is not checked out next to the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildCatalog, serializeCatalog } from '../../scripts/buildCatalog';
import { loadCatalog, type CatalogItem } from '../../server/src/service/catalog';

const repoRoot = path.join(__dirname, '..', '..');
const guidelinePath = path.join(repoRoot, '..', 'shared', 'corpus', 'guideline.txt');
const catalogPath = path.join(repoRoot, 'server', 'src', 'service', 'catalog', 'catalog.json');
const present = existsSync(guidelinePath);
const skip = present ? false : 'reason: ../shared/corpus/guideline.txt not present';
const source = present ? readFileSync(guidelinePath, 'utf8') : '';
const committed = loadCatalog();

// Headings of both 例文 parts (guideline-map.md §2.1, §3), the part headings, and the 2 (1) table furniture: layout,
// not sentences. Kept here rather than imported so that the check does not reuse the generator's tables.
const headings = new Set([
  '情報セキュリティ基本方針（例文）', '情報セキュリティ対策基準（例文）',
  '目的', '定義', '対象とする脅威', '適用範囲', '職員等の遵守義務', '情報セキュリティ対策',
  '情報セキュリティ監査及び自己点検の実施', '情報セキュリティポリシーの見直し', '情報セキュリティ対策基準の策定',
  '情報セキュリティ実施手順の策定',
  '組織体制', '情報資産の分類と管理', '情報システム全体の強靭性の向上', '物理的セキュリティ', 'サーバ等の管理',
  '管理区域（情報システム室等）の管理', '通信回線及び通信回線装置の管理', '職員等の利用する端末や電磁的記録媒体等の管理',
  '人的セキュリティ', '職員等の遵守事項', '研修・訓練', '情報セキュリティインシデントの報告', 'ID及びパスワード等の管理',
  '技術的セキュリティ', 'コンピュータ及びネットワークの管理', 'アクセス制御', 'システム開発、導入、保守等',
  '不正プログラム対策', '不正アクセス対策', 'セキュリティ情報の収集', '運用', '情報システムの監視',
  '情報セキュリティポリシーの遵守状況の確認', '侵害時の対応等', '例外措置', '法令遵守', '懲戒処分等',
  '外部サービスの利用', '外部委託', '約款による外部サービスの利用', 'ソーシャルメディアサービスの利用', '評価・見直し',
  '監査', '自己点検', '情報セキュリティポリシー及び関係規程等の見直し',
  '機密性による情報資産の分類', '完全性による情報資産の分類', '可用性による情報資産の分類', '分類分類基準取扱制限',
]);

const squash = (s: string) => s.replace(/\s+/g, '');

const lineMarker = /^([(（][０-９]+[)）](?!の)|[①-⑳]|[（(][ァ-ヶ][）)]|・|(機密性|完全性|可用性)[１-３](?=\s))/;
const boundary = '\u0000';

/**
 * The raw 例文 as one string: whitespace, page footers, headings, the （注） and 【推奨事項】 removed. With
 * `boundaries`, a NUL marks where a heading was and where a line starts with an item marker (the marker removed).
 */
function rawExamples(boundaries = false): string {
  const lines = source.split('\n').slice(1014 - 1, 3800);
  const kept: string[] = [];
  let inNote = false;
  for (const line of lines) {
    const text = squash(line);
    // The 基本方針 （注） runs from its first line to the 対策基準 heading.
    if (text.startsWith('（注）')) inNote = true;
    if (text === '情報セキュリティ対策基準（例文）') inNote = false;
    if (inNote || text === '' || /^[ⅰⅱⅲⅳ]-\d+$/.test(text)) continue;
    if (headings.has(text)) {
      if (boundaries) kept.push(boundary);
      continue;
    }
    const start = boundaries ? lineMarker.exec(line.trim()) : null;
    kept.push(start ? boundary + squash(line.trim().slice(start[0].length)) : text);
  }
  return kept.join('').replace(/【推奨事項】/g, '');
}

/** Title and text; a part's heading and a table row's class label are layout, like section headings. */
function itemText(i: CatalogItem): string {
  const label = i.level === 'part' || (i.level === 'paragraph' && i.title !== null);
  return squash(`${label ? '' : (i.title ?? '')}${i.text}`);
}

test('re-running the generator reproduces the committed catalog', { skip }, () => {
  const rebuilt = buildCatalog(source);
  assert.deepEqual(rebuilt, committed);
  assert.equal(serializeCatalog(rebuilt), readFileSync(catalogPath, 'utf8'));
});

test('the items, read in order, spell out the whole 例文 with nothing lost or repeated', { skip }, () => {
  const spelled = committed.items
    .map((i) => {
      if (i.level === 'part') return squash(i.text);
      if (i.level === 'section' || i.level === 'subsection') return '';
      return squash(`${i.number ?? ''}${i.title ?? ''}${i.text}`);
    })
    .join('');
  assert.equal(spelled, rawExamples());
});

const splitSentences = (text: string) => text.split(/(?<=。)/).filter((s) => s.endsWith('。'));

function tally(sentences: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sentences) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
}

// A sentence ends at 。 and cannot run past a heading or an item marker. A few sentences are repeated verbatim in
// two items (e.g. 5.3 (1) ② and (2) ②), so each must be held by as many items as the 例文 state it.
test('every sentence of the 例文 is in exactly one item', { skip }, () => {
  const stated = tally(rawExamples(true).split(boundary).flatMap(splitSentences));
  const held = tally(committed.items.flatMap((i) => splitSentences(itemText(i))));
  assert.ok(stated.size > 400, `${stated.size} distinct sentences`);
  const problems: string[] = [];
  for (const sentence of new Set([...stated.keys(), ...held.keys()])) {
    const [s, h] = [stated.get(sentence) ?? 0, held.get(sentence) ?? 0];
    if (s !== h) problems.push(`${sentence} stated ${s}×, held ${h}×`);
  }
  assert.deepEqual(problems, []);
  const repeated = [...stated].filter(([, n]) => n > 1).map(([sentence]) => sentence);
  assert.equal(repeated.length, 3, repeated.join(' / '));
  for (const sentence of stated.keys()) {
    const holders = committed.items.filter((i) => splitSentences(itemText(i)).includes(sentence));
    assert.ok(holders.length === stated.get(sentence), sentence);
  }
});
