/**
 * The shortcuts of raw scoring (engine.ts `AlignerOptions`) change no result:
 * - `CatalogIndex.scoresAtLeast` gives exactly what `overlaps` + `combine` + a threshold give (same units,
 *   same order, bit-identical scores);
 * - `CatalogIndex.scoresOfUnionAtLeast` gives, for the units asked about, exactly what scoring the built
 *   union gives;
 * - the pair bound never leaves out a unit a pair could keep;
 * - and, end to end, every draft the alignment tests use aligns identically with the shortcuts on and off:
 *   windows and their matches, unit matches with their scores, section mapping, coverage and findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AlignmentEngine } from '../../server/src/service/align';
import { CatalogIndex, combine, isUnitItem } from '../../server/src/service/align/catalogIndex';
import { ALIGN, alignerDefaults, type AlignerOptions } from '../../server/src/service/align/engine';
import { FeatureExtractor, type Features } from '../../server/src/service/align/features';
import type { Catalog, CatalogItem, GuidelinePart } from '../../server/src/service/catalog/types';
import { parsePolicy } from '../../server/src/service/parse';
import { renderArticleDraft, renderGuidelineDraft } from '../../scripts/guidelineDraft';
import { renameRoles, reword, rng } from '../../scripts/evalAlignment';
import { alignmentFixture } from '../helpers/alignment';
import { hasCorpus, readCorpus, repoRoot } from '../helpers/corpus';

const RAW_FLOOR = ALIGN.floor * ALIGN.otherSection * (1 - ALIGN.leadInWeight);

/** The raw scoring the fused pass replaces: overlaps, combine, threshold. */
function reference(index: CatalogIndex, f: Features, parts: ReadonlySet<GuidelinePart> | undefined, threshold: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [i, c] of index.overlaps(f, parts)) {
    const s = combine(index.units[i]!, c.termOverlap, c.bigramOverlap);
    if (s >= threshold) out.set(i, s);
  }
  return out;
}

function assertIdentical(actual: ReadonlyMap<number, number>, expected: ReadonlyMap<number, number>, what: string): void {
  assert.deepEqual([...actual.keys()], [...expected.keys()], `${what}: units and their order`);
  for (const [i, s] of expected) assert.ok(Object.is(actual.get(i), s), `${what}: unit ${i} ${actual.get(i)} vs ${s}`);
}

const unionOf = (list: readonly Features[]): Features => ({
  terms: new Set(list.flatMap((f) => [...f.terms])),
  bigrams: new Set(list.flatMap((f) => [...f.bigrams])),
});

async function texts(): Promise<{ index: CatalogIndex; extractor: FeatureExtractor; lines: string[] }> {
  const { catalog, tokenizer } = await alignmentFixture();
  const extractor = new FeatureExtractor(tokenizer);
  const index = new CatalogIndex(catalog, extractor);
  const draft = readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'guideline-draft', 'standards.md'), 'utf8');
  const corpus = hasCorpus('tsukuba-smartcity-policy.txt') ? readCorpus('tsukuba-smartcity-policy.txt') : '';
  const lines = [...draft.split('\n'), ...corpus.split('\n').slice(0, 600)].map((l) => l.trim()).filter((l) => l.length >= 4);
  return { index, extractor, lines };
}

const PART_SETS: (ReadonlySet<GuidelinePart> | undefined)[] = [undefined, new Set(['standards']), new Set(['basic-policy']), new Set(['basic-policy', 'standards']), new Set()];

test('scoresAtLeast is overlaps + combine + threshold, bit for bit and in the same order', async () => {
  const { index, extractor, lines } = await texts();
  // Lines, and runs of five lines (the size of a provision with several blocks).
  const runs = lines.filter((_, k) => k % 5 === 0).map((_, k) => lines.slice(5 * k, 5 * k + 5).join(''));
  const sets = [...lines.map((l) => extractor.features(l)), ...runs.map((t) => extractor.features(t)), extractor.features('')];
  let kept = 0;
  for (const f of sets) {
    for (const parts of PART_SETS) {
      for (const threshold of [RAW_FLOOR, 0, 0.6]) {
        const expected = reference(index, f, parts, threshold);
        assertIdentical(index.scoresAtLeast(f, parts, threshold), expected, `${[...f.terms].slice(0, 3).join('')} / ${parts ? [...parts].join('+') : 'all'} / ${threshold}`);
        kept += expected.size;
      }
    }
  }
  assert.ok(kept > 10_000, `the comparison covers many scores (${kept})`);
});

test('scoresOfUnionAtLeast is the built union scored, restricted to the units asked about', async () => {
  const { index, extractor, lines } = await texts();
  const r = rng(17);
  let compared = 0;
  for (let k = 0; k + 2 < lines.length; k += 7) {
    const [a, b, c] = [lines[k]!, lines[k + 1]!, lines[k + 2]!].map((l) => extractor.features(l)) as [Features, Features, Features];
    for (const lists of [[a, b], [b, a], [a, b, c], [a, a]]) {
      const parts = PART_SETS[k % 4];
      const full = reference(index, unionOf(lists), parts, 0);
      const all = [...full.keys()];
      // Every unit touched, a random subset of them (in a shuffled order), and none.
      const subset = all.filter(() => r() < 0.3).sort(() => r() - 0.5);
      for (const units of [all, subset, []]) {
        const asked = new Set(units);
        for (const threshold of [0, RAW_FLOOR]) {
          const expected = new Map([...full].filter(([i, s]) => asked.has(i) && s >= threshold));
          assertIdentical(index.scoresOfUnionAtLeast(lists, units, threshold), expected, `lines ${k}… (${lists.length} lists, ${units.length} units)`);
          compared += expected.size;
        }
      }
    }
  }
  assert.ok(compared > 1000, `the comparison covers many scores (${compared})`);
});

test('a unit a pair could keep is always among the candidates of the pair bound', async () => {
  const { index, extractor, lines } = await texts();
  const bound = ALIGN.pairThreshold - 1e-9;
  let high = 0;
  for (const parts of [new Set<GuidelinePart>(['standards']), new Set<GuidelinePart>(['basic-policy', 'standards'])]) {
    for (let k = 0; k + 1 < lines.length; k++) {
      const a = extractor.features(lines[k]!);
      const b = extractor.features(lines[k + 1]!);
      const ra = index.scoresAtLeast(a, parts, RAW_FLOOR);
      const rb = index.scoresAtLeast(b, parts, RAW_FLOOR);
      for (const [i, s] of reference(index, unionOf([a, b]), parts, ALIGN.pairThreshold)) {
        high++;
        assert.ok((ra.get(i) ?? RAW_FLOOR) + (rb.get(i) ?? RAW_FLOOR) >= bound, `lines ${k}, ${k + 1}: unit ${i} scores ${s} together`);
      }
    }
  }
  assert.ok(high > 100, `pairs scoring high together are checked (${high})`);
});

/** Everything an alignment reports, scores exact. */
function snapshot(engine: AlignmentEngine, text: string): unknown {
  const { raw, coverage, renames } = engine.analyze(parsePolicy(text));
  const index = new Map(raw.windows.map((w, k) => [w, k]));
  return {
    parts: raw.parts,
    renames,
    windows: raw.windows.map((w) => [w.kind, raw.rangeOf(w).start, raw.rangeOf(w).end, w.text, w.sectionId, w.matches.map((m) => [m.itemId, m.score])]),
    unitMatches: [...raw.unitMatches].map(([id, list]) => [id, list.map((m) => [index.get(m.window), m.score, m.covers])]),
    sectionNodes: [...raw.sectionNodes].map(([id, n]) => [id, n.range.start]),
    coverage: coverage.items.map((c) => [c.id, c.status, c.adopted, c.recommended]),
    summary: coverage.summary,
    findings: coverage.findings,
  };
}

/** The drafts of the alignment tests and of `npm run eval:align`: 例文 drafts, their seeded mutations, the corpus. */
function drafts(catalog: Catalog): [string, string][] {
  const out: [string, string][] = [];
  for (const part of ['basic-policy', 'standards'] as const) out.push([part, readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'guideline-draft', `${part}.md`), 'utf8')]);
  out.push(['article', renderArticleDraft(catalog, { organisation: 'みどり町', selfReference: '本町', replace: [['副市長', '副町長'], ['情報政策担当部長', '総務課長']] })]);
  for (const file of ['tsukuba-smartcity-policy.txt', 'omuta-basic-policy.txt']) if (hasCorpus(file)) out.push([file, readCorpus(file)]);
  // Adjacent clauses one of which says nothing the other does not (a pair whose union is one of them):
  // a clause repeated, a clause followed by its first sentence, and one preceded by its first sentence.
  const standards = out[1]![1].split('\n');
  const subsets = standards.flatMap((line, k) => {
    if (!/^[①-⑳].+。.+。/u.test(line)) return [line];
    const head = line.slice(0, line.indexOf('。') + 1);
    return k % 3 === 0 ? [line, '', line] : k % 3 === 1 ? [line, '', head] : [head, '', line];
  });
  out.push(['subsets', subsets.join('\n')]);
  const parents = new Set(catalog.items.map((i) => i.parent));
  const leaves = catalog.items.filter((i) => i.part === 'standards' && isUnitItem(i) && !i.recommended && !parents.has(i.id));
  for (const seed of [1, 2]) {
    const r = rng(seed);
    const pick = (): CatalogItem => leaves[Math.floor(r() * leaves.length)]!;
    const deleted = new Set(Array.from({ length: 6 }, () => pick().id));
    out.push([`delete ${seed}`, renderGuidelineDraft(catalog, 'standards', deleted)]);
    out.push([`delete ${seed}, no front matter`, renderGuidelineDraft(catalog, seed === 1 ? 'standards' : 'basic-policy', deleted).replace(/^---[\s\S]*?---\n/, '')]);
    const body = seed % 2 === 0 ? '本区' : '本協議会';
    out.push([`reword ${seed}`, renderGuidelineDraft({ ...catalog, items: catalog.items.map((i) => ({ ...i, text: reword(i.text, r, body) })) }, 'standards')]);
    out.push([`rename ${seed}`, renderGuidelineDraft(renameRoles(catalog, seed), 'standards')]);
    // Split clauses (what pair windows are for) and merged ones.
    const items: CatalogItem[] = [];
    for (const i of catalog.items) {
      if (!/。.+。/u.test(i.text) || r() < 0.4) {
        items.push(i);
        continue;
      }
      const cut = i.text.indexOf('。') + 1;
      items.push({ ...i, text: i.text.slice(0, cut) }, { ...i, id: `${i.id}#split`, title: null, text: i.text.slice(cut) });
    }
    out.push([`split ${seed}`, renderGuidelineDraft({ ...catalog, items }, 'standards')]);
    const merged = new Map<string, string>();
    const dropped = new Set<string>();
    for (const [k, a] of leaves.entries()) {
      const b = leaves[k + 1];
      if (!b || b.parent !== a.parent || r() > 0.15 || dropped.has(a.id)) continue;
      merged.set(a.id, a.text + (b.title ? `${b.title}について、` : '') + b.text);
      dropped.add(b.id);
    }
    out.push([`merge ${seed}`, renderGuidelineDraft({ ...catalog, items: catalog.items.map((i) => (merged.has(i.id) ? { ...i, text: merged.get(i.id)! } : i)) }, 'standards', dropped)]);
    const gone = new Set(Array.from({ length: 5 }, () => pick().id));
    out.push([`insert ${seed}`, renderGuidelineDraft({ ...catalog, items: catalog.items.map((i) => (gone.has(i.id) ? { ...i, text: '公用車の運転者は、出発前に車両の点検を行わなければならない。' } : i)) }, 'standards')]);
  }
  return out;
}

function engineWith(options: AlignerOptions, f: Awaited<ReturnType<typeof alignmentFixture>>): AlignmentEngine {
  const saved = { ...alignerDefaults };
  Object.assign(alignerDefaults, options);
  try {
    return new AlignmentEngine(f.catalog, f.tokenizer);
  } finally {
    Object.assign(alignerDefaults, saved);
  }
}

test('every draft of the alignment tests aligns identically with the raw-scoring shortcuts on and off', async () => {
  const f = await alignmentFixture();
  const on = engineWith({ fusedScores: true, pairBound: true }, f);
  const off = engineWith({ fusedScores: false, pairBound: false }, f);
  let pairMatches = 0;
  for (const [name, text] of drafts(f.catalog)) {
    const expected = snapshot(off, text);
    assert.deepEqual(snapshot(on, text), expected, name);
    // Again on the same engines: cached scores and views give the same.
    assert.deepEqual(snapshot(on, text), expected, `${name}, analysed again`);
    pairMatches += (expected as { windows: [string, number, number, string, string, unknown[]][] }).windows.filter((w) => w[0] === 'pair' && w[5].length > 0).length;
  }
  assert.ok(pairMatches > 0, 'some pair windows keep matches (split clauses)');
});
