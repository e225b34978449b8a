/**
 * The real policies and the guideline's 例文 part parse into the structure a reader sees,
 * with no numbering findings that are not real defects of the document.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '../../server/src/service/parse/index';
import type { ProvisionNode } from '../../server/src/service/parse/types';

const repoRoot = join(__dirname, '..', '..');
const corpus = (name: string): string | null => {
  const p = join(repoRoot, '..', 'shared', 'corpus', name);
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
};
const SKIP = 'corpus not present at ../shared/corpus (read-only material outside the repo)';

function all(nodes: readonly ProvisionNode[], out: ProvisionNode[] = []): ProvisionNode[] {
  for (const n of nodes) {
    out.push(n);
    all(n.children, out);
  }
  return out;
}

const tsukuba = corpus('tsukuba-smartcity-policy.txt');
test('つくば: 9 chapters, 107 articles with captions, 第2条 items (1)…(17)', { skip: tsukuba === null && SKIP }, () => {
  const p = parsePolicy(tsukuba!);
  const chapters = p.provisions.filter((n) => n.kind === 'chapter');
  assert.equal(chapters.length, 9);
  assert.deepEqual(
    chapters.map((c) => c.title),
    ['基本方針', '組織体制', '情報資産の分類と管理', '物理的セキュリティ', '技術的セキュリティ', '人的セキュリティ', '運用', '業務委託と外部サービスの利用', '評価及び見直し'],
  );
  const articles = all(p.provisions).filter((n) => n.kind === 'article');
  assert.equal(articles.length, 107);
  assert.deepEqual(articles.map((a) => a.number![0]), Array.from({ length: 107 }, (_, i) => i + 1));
  assert.ok(articles.every((a) => a.title !== null && /^（.+）$/.test(a.title)), 'every article has a caption');
  assert.equal(articles[0]!.title, '（目的）');
  assert.equal(articles[7]!.title, '（CSIRT）');
  assert.equal(articles[49]!.title, '（無線 LAN 及びネットワークのセキュリティ対策）');
  assert.equal(articles[106]!.title, '（評価及び見直し）');
  // The caption line belongs to the article's range.
  assert.equal(p.text.slice(articles[0]!.range.start, articles[0]!.range.start + 4), '(目的)');
  assert.match(articles[0]!.text, /^一般社団法人つくばスマートシティ協議会情報セキュリティポリシー/);
  // A page-break split inside 第5条 is joined into its text.
  assert.match(articles[4]!.text, /個別具体的な手順等/);

  const art2 = articles[1]!;
  const items = art2.children.filter((c) => c.kind === 'item');
  assert.deepEqual(items.map((i) => i.number![0]), Array.from({ length: 17 }, (_, i) => i + 1));
  assert.equal(items[10]!.numberText, '(1 1)');
  assert.deepEqual(items[0]!.children.map((c) => c.numberText), ['ア', 'イ', 'ウ']);
  assert.ok(items[0]!.children.every((c) => c.kind === 'subitem1'));

  const art11 = articles[10]!;
  assert.deepEqual(art11.children.map((c) => [c.kind, c.number![0]]), [2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => ['paragraph', n]));
  assert.equal(p.provisions.at(-1)!.kind, 'supplementary');

  // The table of contents creates no provisions, and its ranges are not references.
  assert.ok(all(p.provisions).every((n) => n.range.start > p.text.indexOf('第9章 評価及び見直し（')));
  assert.equal(p.kind, 'combined');
  assert.equal(p.selfReference, '本協議会');
  assert.equal(p.organisationType, 'その他');
  // No findings at all: the document is consistently numbered and every internal reference resolves.
  assert.deepEqual(p.findings, []);
  assert.ok(p.references.length > 50);
  assert.ok(p.references.every((r) => r.target !== null));
  const ref = p.references.find((r) => r.text === '第102条第4項')!;
  assert.equal(ref.target!.kind, 'paragraph');
  assert.equal(ref.target!.number![0], 4);
  const toChapter = p.references.find((r) => r.text === '第2章')!;
  assert.equal(toChapter.target, chapters[1]);
  // 「個人情報の保護に関する法律（平成15年法律第57号）第2条第3項」 refers to a law, not to 第2条.
  assert.ok(!p.references.some((r) => p.text.slice(r.range.start - 3, r.range.start) === '号）'));
});

const omuta = corpus('omuta-basic-policy.txt');
test('大牟田: 10 numbered sections with their (n) and ア items', { skip: omuta === null && SKIP }, () => {
  const p = parsePolicy(omuta!);
  const sections = p.provisions.filter((n) => n.kind === 'section');
  assert.deepEqual(sections.map((s) => s.number![0]), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(
    sections.map((s) => s.title),
    ['目的', '定義', '対象とする脅威', '対象範囲', '職員等の遵守義務', '情報セキュリティ対策', '情報セキュリティ監査及び自己点検の実施', 'ポリシー及び実施手順の見直し', '対策基準の策定', '実施手順の策定'],
  );
  const defs = sections[1]!.children;
  assert.deepEqual(defs.map((d) => d.number![0]), Array.from({ length: 13 }, (_, i) => i + 1));
  assert.equal(defs[0]!.title, '情報セキュリティポリシー');
  assert.match(defs[0]!.text, /^この基本方針及び情報セキュリティ対策基準/);
  assert.equal(defs[10]!.numberText, '(1 1)');
  assert.deepEqual(sections[2]!.children.map((c) => c.numberText), ['ア', 'イ', 'ウ', 'エ', 'オ']);
  assert.deepEqual(sections[3]!.children[2]!.children.map((c) => c.numberText), ['ア', 'イ', 'ウ']);
  assert.deepEqual(sections[5]!.children.map((c) => c.number![0]), Array.from({ length: 10 }, (_, i) => i + 1));
  assert.deepEqual(sections[5]!.children[2]!.children.map((c) => c.kind), ['subitem1', 'subitem1', 'subitem1']);
  assert.equal(p.provisions.filter((n) => n.kind === 'supplementary').length, 5);
  assert.equal(p.kind, 'basic-policy');
  assert.equal(p.organisationName, '大牟田市');
  assert.equal(p.organisationType, '市');
  assert.equal(p.selfReference, '本市');
  assert.deepEqual(p.findings, []);
  // 「上記3の脅威」 and 「上記6、7及び8」 point at the numbered sections.
  const above = p.references.filter((r) => /^(上記)?[0-9]$/.test(r.text));
  assert.deepEqual(above.map((r) => r.target?.number?.[0]), [3, 6, 7, 8]);
});

const guideline = corpus('guideline.txt');
test('guideline 例文 part (L1014–3800): (n)/①/（ア） items without spurious findings', { skip: guideline === null && SKIP }, () => {
  const text = guideline!.split('\n').slice(1013, 3800).join('\n');
  const p = parsePolicy(text);
  const nodes = all(p.provisions);
  const headings = nodes.filter((n) => n.kind === 'heading');
  assert.equal(headings.length, 47);
  assert.equal(headings[1]!.title, '目的');
  const items = nodes.filter((n) => n.style === 'paren-arabic');
  const circled = nodes.filter((n) => n.style === 'circled');
  const katakana = nodes.filter((n) => n.style === 'paren-katakana');
  assert.ok(items.length > 100, `(n) items: ${items.length}`);
  assert.ok(circled.length > 100, `① items: ${circled.length}`);
  assert.ok(katakana.length > 10, `（ア） items: ${katakana.length}`);
  const teigi = headings.find((h) => h.title === '定義')!;
  assert.equal(teigi.children.length, 12);
  assert.equal(teigi.children[0]!.title, 'ネットワーク');
  assert.ok(circled.every((c) => c.kind === 'subitem1' || c.kind === 'item'));
  assert.deepEqual(
    p.findings.filter((f) => f.code !== 'unresolved-reference'),
    [],
  );
});

test('the whole guideline (536 KB) parses into a tree without throwing (its speed is measured by npm run bench)', { skip: guideline === null && SKIP }, () => {
  const p = parsePolicy(guideline!);
  assert.ok(p.provisions.length > 0);
  assert.ok(p.provisions.every((n) => n.range.start >= 0 && n.range.end <= guideline!.length && n.range.start <= n.range.end));
});
