/**
 * Alignment by units (provisions kept by content, their windows and matches kept per context and placed by
 * each result where the unit stands) equals aligning every window in one pass (unitChars 0): windows, unit
 * matches, sections and coverage, on the corpus and the 例文 drafts, with small units that split every draft,
 * after random edit sequences that move, reshape, retitle and renumber provisions, and for earlier results
 * read after later analyses (of the same document, of others sharing its units, of drafts holding a unit twice).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlignmentResult } from '../../server/src/service/align';
import { byScore, type UnitMatch } from '../../server/src/service/align/engine';
import { parsePolicy } from '../../server/src/service/parse/index';
import type { ParsedPolicy } from '../../server/src/service/parse/types';
import { alignmentFixture, type AlignmentFixture } from '../helpers/alignment';
import { editSequence, referenceDrafts } from '../helpers/drafts';

let fx: AlignmentFixture;
before(async () => {
  fx = await alignmentFixture();
});

const drafts = (): [string, string][] => {
  const out = referenceDrafts();
  // Headings that name no guideline section, twice over: sections come from votes, and two provisions
  // vote for each (which of them a section maps to depends on the order the votes came in).
  const untitled = out[0]![1].replace(/^(#+[ \t]*)(.*)$/gm, (_m, h: string) => `${h}その他`);
  out.push(['例文 standards, untitled headings, twice', `${untitled}\n\n${untitled}`]);
  return out;
};

/** Everything an alignment says, with Map orders kept (sectionNodes' order decides which node a section gets). */
function view(r: AlignmentResult): unknown {
  const windowIndex = new Map(r.raw.windows.map((w, i) => [w, i]));
  return {
    parts: r.raw.parts,
    // Each window with where it stands, as this alignment places it.
    windows: r.raw.windows.map((w) => ({ kind: w.kind, node: r.raw.nodeOf(w), range: r.raw.rangeOf(w), text: w.text, sectionId: w.sectionId, matches: w.matches })),
    sectionNodes: [...r.raw.sectionNodes],
    unitMatches: [...r.raw.unitMatches].map(([id, list]) => [id, list.map((m) => [windowIndex.get(m.window), m.score, m.covers])]),
    coverage: r.coverage.items,
    findings: r.coverage.findings,
    renames: r.renames,
  };
}

function assertSame(text: string, unitChars: number, label: string): void {
  const parsed = parsePolicy(text);
  const reference = fx.engine.analyze(parsed, undefined, undefined, { unitChars: 0 });
  const byUnits = fx.engine.analyze(parsed, undefined, undefined, { unitChars });
  assert.deepEqual(view(byUnits), view(reference), label);
}

test('by units (small, default, large) = one pass, on the corpus and the 例文 drafts, twice (memo warm)', () => {
  for (const [name, text] of drafts()) {
    for (const unitChars of [150, 900, 3_000, 30_000]) {
      assertSame(text, unitChars, `${name} @${unitChars}`);
      assertSame(text, unitChars, `${name} @${unitChars} (again, from the memo)`);
    }
  }
});

test('by units = one pass after random edits (moved, reshaped, retitled, renumbered provisions)', () => {
  const pieces = ['\n', '\n\n', '## 物理的セキュリティ\n', '第3条', '（１）', '①', 'ア ', '。', '、', 'パスワード', 'しなければならない', '【推奨事項】', '### 組織体制\n', '1 ', 'あ'];
  for (const [name, original] of drafts().slice(0, 3)) {
    let i = 0;
    for (const text of editSequence(original, pieces, 11, 20, 60)) assertSame(text, 500, `${name} after edit ${++i}`);
  }
});

test('a unit an edit moved keeps its windows and matches (the same objects); each alignment places them where the unit stands in its own text', () => {
  const text = drafts()[0]![1];
  // A line break before the middle top-level section: what follows moves by one, unchanged.
  const heads = [...text.matchAll(/^## /gm)].map((m) => m.index);
  const at = heads[Math.floor(heads.length / 2)]!;
  const moved = `${text.slice(0, at)}\n${text.slice(at)}`;
  const before = fx.engine.analyze(parsePolicy(text));
  const after = fx.engine.analyze(parsePolicy(moved));
  let kept = 0;
  let after0 = 0;
  for (const [id, list] of after.raw.unitMatches) {
    const old = before.raw.unitMatches.get(id) ?? [];
    for (const m of list) {
      const range = after.raw.rangeOf(m.window);
      if (range.start < at) continue;
      after0++;
      if (!old.includes(m)) continue;
      kept++;
      // The earlier alignment still places the same window where it stood in the earlier text.
      const was = before.raw.rangeOf(m.window);
      assert.deepEqual(range, { start: was.start + 1, end: was.end + 1 }, id);
      assert.equal(moved.slice(range.start, range.end), text.slice(was.start, was.end), id);
      assert.equal(after.raw.nodeOf(m.window).range.start, before.raw.nodeOf(m.window).range.start + 1, id);
    }
  }
  // Only the spine's windows (the top-level sections' headings) are made again.
  assert.ok(after0 > 100 && kept >= 0.9 * after0, `${kept} of the ${after0} matches after the edit kept`);
});

/** Each kept result, read now (after later analyses), against the one-pass alignment of its text. */
function assertKept(kept: readonly (readonly [ParsedPolicy, AlignmentResult, number])[], label: string): void {
  kept.forEach(([parsed, result, unitChars], i) => {
    const reference = fx.engine.analyze(parsed, undefined, undefined, { unitChars: 0 });
    assert.deepEqual(view(result), view(reference), `${label} #${i} @${unitChars}`);
  });
}

test('earlier results read after later analyses place their windows where they stood: edits, a unit twice in one draft', () => {
  const pieces = ['\n', '\n\n', '## 物理的セキュリティ\n', '（１）', '①', '。', 'パスワード', 'しなければならない', '【推奨事項】', '### 組織体制\n'];
  const standards = drafts()[0]![1];
  for (const [name, original] of [...drafts().slice(0, 3), ['例文 standards, twice', `${standards}\n\n${standards}`] as const]) {
    const kept: [ParsedPolicy, AlignmentResult, number][] = [];
    for (const text of editSequence(original, pieces, 7, 12, 40)) {
      const parsed = parsePolicy(text);
      kept.push([parsed, fx.engine.analyze(parsed, undefined, undefined, { unitChars: 500 }), 500]);
    }
    assertKept(kept, name);
  }
});

test('earlier results read after later analyses place their windows where they stood: documents sharing units, analysed in turn', () => {
  const standards = drafts()[0]![1];
  const sections = standards.split(/(?=^## )/m);
  const head = sections.shift()!;
  let seed = 9;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  // Four drafts of the same sections, some twice, in random orders; each edited in turn with the others.
  const texts = Array.from({ length: 4 }, () => head + Array.from({ length: sections.length + 3 }, () => sections[Math.floor(rnd() * sections.length)]!).join(''));
  const versions = texts.map((t, i) => [...editSequence(t, ['\n', '①', '。', '## その他\n', 'パスワード'], 100 + i, 6, 30)]);
  const kept: [ParsedPolicy, AlignmentResult, number][] = [];
  for (const unitChars of [300, 5_000]) {
    for (let step = 0; step < 6; step++) {
      for (const list of versions) {
        const parsed = parsePolicy(list[step]!);
        kept.push([parsed, fx.engine.analyze(parsed, undefined, undefined, { unitChars }), unitChars]);
      }
    }
  }
  assertKept(kept, 'in turn');
});

test('unit matches are ordered best first as a stable sort does, ties in window order', () => {
  let seed = 5;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let n = 0; n < 40; n++) {
    // Few distinct scores, so ties are common; lists short (insertion) and long (Array.prototype.sort).
    const list = Array.from({ length: n }, (_, i) => ({ window: { order: i } as unknown as UnitMatch['window'], score: Math.floor(rnd() * 4) / 4, covers: false }));
    const expected = [...list].sort((a, b) => b.score - a.score);
    byScore(list);
    assert.deepEqual(list, expected);
  }
});
