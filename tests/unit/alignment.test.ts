import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isUnitItem } from '../../server/src/service/align/catalogIndex';
import type { CatalogItem } from '../../server/src/service/catalog/types';
import { renderArticleDraft, renderGuidelineDraft } from '../../scripts/guidelineDraft';
import { renameRoles, reword, rng } from '../../scripts/evalAlignment';
import { alignmentFixture } from '../helpers/alignment';
import { repoRoot } from '../helpers/corpus';

const draftPath = (part: string): string => path.join(repoRoot, 'tests', 'fixtures', 'guideline-draft', `${part}.md`);

function missingUnits(result: Awaited<ReturnType<Awaited<ReturnType<typeof alignmentFixture>>['analyze']>>['result'], byId: Map<string, CatalogItem>): string[] {
  return result.coverage.items.filter((c) => c.status === 'missing' && isUnitItem(byId.get(c.id)!)).map((c) => c.id);
}

test('the committed 例文 drafts are what the generator writes from the catalog', async () => {
  const { catalog } = await alignmentFixture();
  for (const part of ['basic-policy', 'standards'] as const) {
    assert.equal(readFileSync(draftPath(part), 'utf8'), renderGuidelineDraft(catalog, part), `${part}.md is stale: run npm run draft:guideline`);
  }
});

test('the guideline 例文 written out as a draft is fully covered, with every 推奨事項 marked', async () => {
  const f = await alignmentFixture();
  for (const part of ['basic-policy', 'standards'] as const) {
    const { parsed, result } = f.analyze(readFileSync(draftPath(part), 'utf8'));
    assert.deepEqual(result.coverage.parts, [part], 'a document is checked only against its own part');
    const codes = result.coverage.findings.map((x) => `${x.code} ${x.guidelineId}`);
    assert.deepEqual(codes, [], `${part}: no alignment findings on the guideline's own text`);
    assert.equal(result.coverage.summary.missing, 0);
    assert.equal(result.coverage.summary.covered, result.coverage.summary.total);
    assert.equal(parsed.kind, part);
  }
  const { result } = f.analyze(readFileSync(draftPath('standards'), 'utf8'));
  assert.equal(result.coverage.summary.recommendedTotal, 17);
  assert.equal(result.coverage.summary.recommendedAdopted, 17);
  assert.equal(result.coverage.items.filter((c) => c.recommended && c.adopted).length, 17);
});

test('without their 【推奨事項】 markers the 17 recommended clauses are each reported, at their own clause', async () => {
  const f = await alignmentFixture();
  const text = readFileSync(draftPath('standards'), 'utf8').replace(/【推奨事項】/g, '');
  const { parsed, result } = f.analyze(text);
  const unmarked = result.coverage.findings.filter((x) => x.code === 'unmarked-recommendation');
  const expected = f.catalog.items.filter((i) => i.recommendedMark).map((i) => i.id).sort();
  assert.deepEqual(unmarked.map((x) => x.guidelineId).sort(), expected);
  for (const x of unmarked) {
    const item = f.catalog.items.find((i) => i.id === x.guidelineId)!;
    const line = parsed.text.slice(x.range.start, parsed.text.indexOf('\n', x.range.start));
    // The finding sits on the clause's own line: its number, or its title for a titled item.
    assert.ok(line.includes(item.number ?? '') || (item.title !== null && line.includes(item.title.slice(0, 6))), `${x.guidelineId} anchored at ${line}`);
    assert.match(x.message, /遵守義務/);
  }
  assert.equal(result.coverage.findings.filter((x) => x.code === 'missing-item').length, 0, 'unmarked is still covered');
});

test('adopting a 推奨事項 in the front matter is the same as marking the clause', async () => {
  const f = await alignmentFixture();
  const text = readFileSync(draftPath('standards'), 'utf8')
    .replace(/【推奨事項】/g, '')
    .replace('kijun:\n', 'kijun:\n  adopted-recommendations: [4.1(2)①, "６．２（３）"]\n');
  const { result } = f.analyze(text);
  const ids = result.coverage.findings.filter((x) => x.code === 'unmarked-recommendation').map((x) => x.guidelineId);
  assert.equal(ids.length, 15);
  assert.ok(!ids.includes('4.1(2)①') && !ids.includes('6.2(3)'), 'full-width ids are accepted too');
  assert.equal(result.coverage.byId.get('6.2(3)')!.adopted, true);
});

test('deleting k random mandatory clauses reports exactly those k (seeded)', async () => {
  const f = await alignmentFixture();
  const byId = new Map(f.catalog.items.map((i) => [i.id, i]));
  const parents = new Set(f.catalog.items.map((i) => i.parent));
  const leaves = f.catalog.items.filter((i) => i.part === 'standards' && isUnitItem(i) && !i.recommended && !parents.has(i.id));
  for (const seed of [101, 202, 303]) {
    const r = rng(seed);
    const deleted = new Set<string>();
    while (deleted.size < 6) deleted.add(leaves[Math.floor(r() * leaves.length)]!.id);
    const { result } = f.analyze(renderGuidelineDraft(f.catalog, 'standards', deleted));
    assert.deepEqual(missingUnits(result, byId).sort(), [...deleted].sort(), `seed ${seed}`);
    const reported = result.coverage.findings.filter((x) => x.code === 'missing-item').map((x) => x.guidelineId).sort();
    assert.deepEqual(reported, [...deleted].sort(), `seed ${seed}: one missing-item finding per deleted clause`);
  }
});

test('rewording, renaming the body and renaming roles keeps everything covered (seeded)', async () => {
  const f = await alignmentFixture();
  const byId = new Map(f.catalog.items.map((i) => [i.id, i]));
  for (const seed of [7, 8]) {
    const r = rng(seed);
    const body = seed % 2 === 0 ? '本区' : '本協議会';
    const reworded = { ...f.catalog, items: f.catalog.items.map((i) => ({ ...i, text: reword(i.text, r, body) })) };
    const text = renderGuidelineDraft(renameRoles(reworded, seed), 'standards');
    assert.match(text, new RegExp(body));
    const { result } = f.analyze(text);
    assert.deepEqual(missingUnits(result, byId), [], `seed ${seed}`);
    assert.ok(result.renames.length > 0, 'the role renames were read from the draft');
  }
});

test('unrelated clauses cover nothing', async () => {
  const f = await alignmentFixture();
  const text = [
    '# 庁舎管理規程',
    '',
    '第1条 公用車の運転者は、出発前に車両の点検を行わなければならない。',
    '',
    '第2条 庁舎の清掃は、委託業者が毎週月曜日に実施するものとする。',
    '',
    '第3条 職員は、来庁者に対して丁寧な言葉遣いで応対しなければならない。',
    '',
    '第4条 窓口の受付時間は、午前8時30分から午後5時15分までとする。',
  ].join('\n');
  const { result } = f.analyze(text);
  const covering = [...result.raw.unitMatches.values()].flat().filter((m) => m.covers);
  assert.deepEqual(covering.map((m) => m.window.text), []);
});

test('a whole missing section is one finding at the document start; a missing clause is anchored at its section', async () => {
  const f = await alignmentFixture();
  const section3 = new Set(f.catalog.items.filter((i) => i.id === '3' || i.id.startsWith('3(')).map((i) => i.id));
  const withoutSection3 = renderGuidelineDraft(f.catalog, 'standards', section3);
  const { parsed, result } = f.analyze(withoutSection3);
  const missing = result.coverage.findings.filter((x) => x.code === 'missing-item');
  assert.deepEqual(missing.map((x) => x.guidelineId), ['3']);
  assert.match(missing[0]!.message, /^ガイドライン 3「情報システム全体の強靭性の向上」 に対応する条項がありません（必須 \d+ 項目：3\(1\)①/);
  assert.equal(parsed.text.slice(missing[0]!.range.start, missing[0]!.range.end), '# 情報セキュリティ対策基準（例文）');

  const { parsed: p2, result: r2 } = f.analyze(renderGuidelineDraft(f.catalog, 'standards', new Set(['5.4(3)③'])));
  const m2 = r2.coverage.findings.filter((x) => x.code === 'missing-item');
  assert.deepEqual(m2.map((x) => x.guidelineId), ['5.4(3)③']);
  assert.equal(p2.text.slice(m2[0]!.range.start, m2[0]!.range.end), '5.4 ID 及びパスワード等の管理');
});

test('items marked not applicable or omitted in the front matter are not reported, and keep the reason', async () => {
  const f = await alignmentFixture();
  const section3 = new Set(f.catalog.items.filter((i) => i.id === '3' || i.id.startsWith('3(')).map((i) => i.id));
  const text = renderGuidelineDraft(f.catalog, 'standards', new Set([...section3, '6.1(14)④'])).replace(
    'kijun:\n',
    'kijun:\n  not-applicable:\n    "3": 本協議会はマイナンバー利用事務系・LGWAN接続系を持たない\n  omitted:\n    - id: 6.1(14)④\n      reason: 電子メール容量は別規程で定める\n',
  );
  const { result } = f.analyze(text);
  assert.deepEqual(result.coverage.findings, []);
  assert.equal(result.coverage.byId.get('3(1)①')!.status, 'not-applicable');
  assert.equal(result.coverage.byId.get('3(1)①')!.reason, '本協議会はマイナンバー利用事務系・LGWAN接続系を持たない');
  assert.equal(result.coverage.byId.get('6.1(14)④')!.status, 'omitted');
  assert.equal(result.coverage.byId.get('6.1(14)')!.status, 'covered', 'an omitted child does not make its parent partial');
  assert.ok(result.coverage.summary.notApplicable > 5);
});

test('a mandatory clause softened to an effort, a wish or a permission is a weakened obligation', async () => {
  const f = await alignmentFixture();
  const base = readFileSync(draftPath('standards'), 'utf8');
  const cases: [string, string, string][] = [
    ['①パスワードは、他者に知られないように管理しなければならない。', '①パスワードは、他者に知られないように管理するよう努める。', '努力義務'],
    ['⑥職員等は、持ち込んだ又は外部から持ち帰ったモバイル端末を庁内のネットワークに接続する前に、コンピュータウイルスに感染していないこと、パッチの適用状況等を確認しなければならない。', '⑥職員等は、持ち込んだ又は外部から持ち帰ったモバイル端末を庁内のネットワークに接続する前に、コンピュータウイルスに感染していないこと、パッチの適用状況等を確認することが望ましい。', '推奨'],
    ['②情報システム管理者は、接続しようとする外部ネットワークに係るネットワーク構成、機器構成、セキュリティ技術等を詳細に調査し、庁内の全てのネットワーク、情報システム等の情報資産に影響が生じないことを確認しなければならない。', '②情報システム管理者は、接続しようとする外部ネットワークに係るネットワーク構成、機器構成、セキュリティ技術等を詳細に調査し、庁内の全てのネットワーク、情報システム等の情報資産に影響が生じないことを確認することができる。', '任意'],
  ];
  for (const [from, to, word] of cases) {
    assert.ok(base.includes(from), `the 例文 draft contains ${from.slice(0, 20)}`);
    const { parsed, result } = f.analyze(base.replace(from, to));
    const weak = result.coverage.findings.filter((x) => x.code === 'weakened-obligation');
    assert.equal(weak.length, 1, `${to}: ${weak.map((w) => w.message).join(' / ')}`);
    assert.equal(parsed.text.slice(weak[0]!.range.start, weak[0]!.range.start + 1), to.slice(0, 1), 'anchored at the softened clause');
    assert.match(weak[0]!.message, new RegExp(word));
  }
  // です・ます style is not a weakening.
  const polite = base.replace('①パスワードは、他者に知られないように管理しなければならない。', '①パスワードは、他者に知られないように管理しなければなりません。');
  assert.notEqual(polite, base);
  assert.deepEqual(f.analyze(polite).result.coverage.findings, []);
});

test('a basic policy is checked against the 基本方針 only, also when its kind is inferred', async () => {
  const f = await alignmentFixture();
  const text = readFileSync(draftPath('basic-policy'), 'utf8').replace(/^---[\s\S]*?---\n/, '');
  const { result } = f.analyze(text);
  assert.deepEqual(result.coverage.parts, ['basic-policy']);
  assert.equal(result.coverage.findings.filter((x) => x.code === 'missing-item').length, 0);
});

test('the 例文 rewritten as a town\'s article-style 対策基準 (第N条, 本町, its own appointees) is fully covered', async () => {
  const f = await alignmentFixture();
  const text = renderArticleDraft(f.catalog, { organisation: 'みどり町', selfReference: '本町', replace: [['副市長', '副町長'], ['情報政策担当部長', '総務課長']] });
  assert.match(text, /^第60条　/m);
  const { parsed, result } = f.analyze(text);
  assert.equal(parsed.selfReference, '本町');
  assert.deepEqual(result.coverage.parts, ['standards'], 'the kind is inferred from what the text follows');
  assert.deepEqual(result.coverage.findings.map((x) => `${x.code} ${x.guidelineId}`), []);
  assert.equal(result.coverage.summary.covered, result.coverage.summary.total);
});
