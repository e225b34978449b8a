/**
 * Evaluates the alignment engine on seeded mutations of the guideline's own 例文 written out as a
 * draft, and prints precision and recall. The constants in server/src/service/align/engine.ts were
 * calibrated with it.
 *
 *   npm run eval:align -- [--seeds N] [--k K] [--part standards|basic-policy] [--json]
 *
 * Mutations:
 * - delete: K random mandatory leaf units are removed; each must be reported missing, nothing else.
 * - reword: every clause gets drafter-style rewordings (modality, synonyms, subject moved, body and
 *   role renames, です・ます); everything must stay covered.
 * - insert: unrelated clauses are inserted next to K deleted units; the deleted units must still be
 *   reported missing and the inserted clauses must not cover anything.
 */
import { parseArgs } from 'node:util';
import type { Catalog, CatalogItem, GuidelinePart } from '../server/src/service/catalog/types';
import { loadCatalog } from '../server/src/service/catalog';
import { isUnitItem } from '../server/src/service/align/catalogIndex';
import { AlignmentEngine } from '../server/src/service/align';
import { loadKuromojiTokenizer } from '../server/src/morph/kuromoji';
import { parsePolicy } from '../server/src/service/parse';
import { renderGuidelineDraft } from './guidelineDraft';
import { rng } from './rng';

export { rng } from './rng';

const REWORDINGS: ReadonlyArray<readonly [RegExp, string[]]> = [
  [/しなければならない。/g, ['しなければなりません。', 'するものとする。', 'する必要がある。']],
  [/なければならない。/g, ['なければなりません。']],
  [/を講じる。/g, ['を講じます。', 'を実施する。']],
  [/を有する。/g, ['を有します。', 'を持つ。']],
  [/速やかに/g, ['直ちに', '遅滞なく']],
  [/あらかじめ/g, ['事前に']],
  [/適切に/g, ['適正に']],
  [/必要に応じて/g, ['必要があるときは']],
  [/定期的に/g, ['定期に']],
  [/してはならない。/g, ['してはなりません。', 'しないこと。']],
];

/** Unrelated clauses that share the guideline's register but none of its content. */
const UNRELATED = [
  '公用車の運転者は、出発前に車両の点検を行わなければならない。',
  '庁舎の清掃は、委託業者が毎週月曜日に実施するものとする。',
  '職員は、来庁者に対して丁寧な言葉遣いで応対しなければならない。',
  '会議室の予約は、総務課の予約簿に記入して行うものとする。',
  '文書の保存年限は、文書管理規程の定めるところによる。',
  '職員の健康診断は、毎年度1回以上実施しなければならない。',
  '災害時の備蓄食料は、5年ごとに更新するものとする。',
  '広報誌は、毎月1日に発行し、全戸に配布する。',
  '公園の遊具は、年2回専門業者による安全点検を受けなければならない。',
  '窓口の受付時間は、午前8時30分から午後5時15分までとする。',
];

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function mandatoryLeaves(catalog: Catalog, part: GuidelinePart): CatalogItem[] {
  const parents = new Set(catalog.items.map((i) => i.parent));
  return catalog.items.filter((i) => i.part === part && isUnitItem(i) && !i.recommended && !parents.has(i.id) && i.level !== 'part');
}

function pick<T>(items: readonly T[], k: number, r: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < k && pool.length > 0) out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
  return out;
}

export function reword(text: string, r: () => number, body: string): string {
  let s = text;
  for (const [re, alts] of REWORDINGS) s = s.replace(re, () => (r() < 0.7 ? alts[Math.floor(r() * alts.length)]! : re.source.replace(/\\/g, '')));
  // Move the subject after the first adverbial phrase: 「Aは、B、C」→「B、Aは、C」.
  s = s.replace(/^([^、。]{2,20}は)、([^、。]{2,15})、/u, (m, a: string, b: string) => (r() < 0.5 ? `${b}、${a}、` : m));
  return s.replace(/本市/g, body).replace(/○○市/g, body.replace(/^本/, 'みどり'));
}

/** Role renames a body makes, each introduced in the guideline's defining clause. */
const ROLE_RENAMES: ReadonlyArray<{ from: RegExp; to: string; defineIn: string; defineAfter: string }> = [
  { from: /CISO(?!:)/g, to: 'セキュリティ総括者', defineIn: '1(1)', defineAfter: '最高情報セキュリティ責任者' },
  { from: /(?<!統括)情報セキュリティ管理者/g, to: '所属長', defineIn: '1(4)①', defineAfter: '情報セキュリティ管理者' },
  { from: /情報システム管理者/g, to: 'システム所管課長', defineIn: '1(5)①', defineAfter: '情報システム管理者' },
];

/** The catalog with one or more roles renamed throughout, as a drafter of another body would write it. */
export function renameRoles(catalog: Catalog, seed: number): Catalog {
  const chosen = ROLE_RENAMES.filter((_, i) => (seed >> i) % 2 === 1 || seed % ROLE_RENAMES.length === i);
  return {
    ...catalog,
    items: catalog.items.map((item) => {
      let text = item.text;
      let title = item.title;
      for (const r of chosen) {
        if (item.id === r.defineIn) {
          const at = (title ?? '').includes(r.defineAfter) ? 'title' : 'text';
          const definition = `${r.defineAfter}（以下「${r.to}」という。）`;
          if (at === 'title') title = (title ?? '').replace(/（[^）]*）$/, '').replace(r.defineAfter, definition);
          else text = text.replace(r.defineAfter, definition);
          if (at === 'title') {
            text = text.replace(r.from, r.to);
            continue;
          }
          const [head, tail] = [text.slice(0, text.indexOf(definition) + definition.length), text.slice(text.indexOf(definition) + definition.length)];
          text = head + tail.replace(r.from, r.to);
          continue;
        }
        text = text.replace(r.from, r.to);
        title = title?.replace(r.from, r.to) ?? null;
      }
      return { ...item, text, title };
    }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '20' },
      k: { type: 'string', default: '5' },
      part: { type: 'string', default: 'standards' },
      json: { type: 'boolean', default: false },
    },
  });
  const seeds = Number(values.seeds);
  const k = Number(values.k);
  const part = values.part as GuidelinePart;
  const catalog = loadCatalog();
  const engine = new AlignmentEngine(catalog, await loadKuromojiTokenizer());
  const leaves = mandatoryLeaves(catalog, part);
  const missingUnits = (text: string): Set<string> => {
    const cov = engine.analyze(parsePolicy(text)).coverage;
    return new Set(cov.items.filter((c) => c.status === 'missing' && !c.recommended && isUnitItem(catalog.items.find((i) => i.id === c.id)!)).map((c) => c.id));
  };

  const baseline = missingUnits(renderGuidelineDraft(catalog, part));
  const del: Counts = { tp: 0, fp: 0, fn: 0 };
  const ins: Counts = { tp: 0, fp: 0, fn: 0 };
  let renameLost = 0;
  const merge: Counts = { tp: 0, fp: 0, fn: 0 };
  const split: Counts = { tp: 0, fp: 0, fn: 0 };
  let rewordMissing = 0;
  let rewordUnits = 0;
  const failures: string[] = [];

  for (let seed = 1; seed <= seeds; seed++) {
    const r = rng(seed);
    // delete
    const deleted = new Set(pick(leaves, k, r).map((i) => i.id));
    const found = missingUnits(renderGuidelineDraft(catalog, part, deleted));
    for (const id of deleted) if (found.has(id)) del.tp++; else { del.fn++; failures.push(`seed ${seed} delete: ${id} not reported`); }
    for (const id of found) if (!deleted.has(id) && !baseline.has(id)) { del.fp++; failures.push(`seed ${seed} delete: ${id} falsely reported (deleted ${[...deleted].join(" ")})`); }

    // reword: every item's text is reworded, with the body renamed.
    const body = ['本区', '本町', '本協議会', '本村'][seed % 4]!;
    const reworded: Catalog = { ...catalog, items: catalog.items.map((i) => ({ ...i, text: reword(i.text, r, body) })) };
    const rm = missingUnits(renderGuidelineDraft(reworded, part));
    for (const id of rm) if (!baseline.has(id)) { rewordMissing++; failures.push(`seed ${seed} reword: ${id} lost`); }
    rewordUnits += leaves.length;

    // rename: the body's own role names, introduced the way drafters do (以下「所属長」という。).
    const renamedMissing = missingUnits(renderGuidelineDraft(renameRoles(catalog, seed), part));
    for (const id of renamedMissing) if (!baseline.has(id)) { renameLost++; failures.push(`seed ${seed} rename: ${id} lost`); }

    // merge: K pairs of adjacent sibling leaves written as one clause; both must stay covered.
    const siblings = leaves.filter((l, i) => leaves[i + 1]?.parent === l.parent && leaves[i + 1] !== undefined);
    const firsts = pick(siblings, k, r);
    const merged = new Map<string, string>();
    const dropped = new Set<string>();
    for (const a of firsts) {
      const b = leaves[leaves.indexOf(a) + 1]!;
      if (dropped.has(a.id) || merged.has(b.id)) continue;
      // A drafter who merges two titled items keeps the second title in the wording (…。また、〇〇について、…).
      merged.set(a.id, a.text + (b.title ? `${b.title}について、` : '') + b.text);
      dropped.add(b.id);
    }
    const mergedDraft = missingUnits(
      renderGuidelineDraft({ ...catalog, items: catalog.items.map((i) => (merged.has(i.id) ? { ...i, text: merged.get(i.id)! } : i)) }, part, dropped),
    );
    for (const id of [...merged.keys(), ...dropped]) if (mergedDraft.has(id) && !baseline.has(id)) { merge.fn++; failures.push(`seed ${seed} merge: ${id} lost`); } else merge.tp++;
    for (const id of mergedDraft) if (!merged.has(id) && !dropped.has(id) && !baseline.has(id)) { merge.fp++; failures.push(`seed ${seed} merge: ${id} falsely reported`); }

    // split: K units of two or more sentences written as two adjacent clauses; each must stay covered.
    const splittable = leaves.filter((l) => /。.+。/u.test(l.text));
    const splits = new Set(pick(splittable, k, r).map((i) => i.id));
    const splitItems: CatalogItem[] = [];
    for (const i of catalog.items) {
      if (!splits.has(i.id)) {
        splitItems.push(i);
        continue;
      }
      const cut = i.text.indexOf('。') + 1;
      splitItems.push({ ...i, text: i.text.slice(0, cut) }, { ...i, id: `${i.id}#split`, title: null, text: i.text.slice(cut) });
    }
    const splitMissing = missingUnits(renderGuidelineDraft({ ...catalog, items: splitItems }, part));
    for (const id of splits) if (splitMissing.has(id) && !baseline.has(id)) { split.fn++; failures.push(`seed ${seed} split: ${id} lost`); } else split.tp++;
    for (const id of splitMissing) if (!splits.has(id) && !baseline.has(id)) { split.fp++; failures.push(`seed ${seed} split: ${id} falsely reported`); }

    // insert: unrelated clauses where K units were deleted.
    const gone = pick(leaves, k, r);
    const goneIds = new Set(gone.map((g) => g.id));
    const withNoise: Catalog = {
      ...catalog,
      items: catalog.items.map((i) => (goneIds.has(i.id) ? { ...i, text: UNRELATED[Math.floor(r() * UNRELATED.length)]! } : i)),
    };
    const fm = missingUnits(renderGuidelineDraft(withNoise, part));
    for (const id of goneIds) if (fm.has(id)) ins.tp++; else { ins.fn++; failures.push(`seed ${seed} insert: ${id} covered by an unrelated clause`); }
    for (const id of fm) if (!goneIds.has(id) && !baseline.has(id)) { ins.fp++; failures.push(`seed ${seed} insert: ${id} falsely reported`); }
  }

  const pr = (c: Counts): { precision: number; recall: number } => ({
    precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
    recall: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn),
  });
  const report = {
    part,
    seeds,
    k,
    baselineMissing: [...baseline],
    delete: { ...del, ...pr(del) },
    insert: { ...ins, ...pr(ins) },
    merge: { ...merge, retained: merge.tp / Math.max(1, merge.tp + merge.fn) },
    split: { ...split, retained: split.tp / Math.max(1, split.tp + split.fn) },
    rename: { units: rewordUnits, lost: renameLost, retained: 1 - renameLost / Math.max(1, rewordUnits) },
    reword: { units: rewordUnits, lost: rewordMissing, retained: 1 - rewordMissing / Math.max(1, rewordUnits) },
  };
  if (values.json) console.log(JSON.stringify({ ...report, failures }, null, 1));
  else {
    console.log(`part ${part}, ${seeds} seeds, k=${k}; baseline missing: ${baseline.size} ${[...baseline].join(' ')}`);
    console.log(`delete  precision ${report.delete.precision.toFixed(3)} recall ${report.delete.recall.toFixed(3)} (tp ${del.tp} fp ${del.fp} fn ${del.fn})`);
    console.log(`insert  precision ${report.insert.precision.toFixed(3)} recall ${report.insert.recall.toFixed(3)} (tp ${ins.tp} fp ${ins.fp} fn ${ins.fn})`);
    console.log(`merge   retained ${report.merge.retained.toFixed(3)} (${merge.fn} lost of ${merge.tp + merge.fn}; ${merge.fp} others falsely reported)`);
    console.log(`split   retained ${report.split.retained.toFixed(3)} (${split.fn} lost of ${split.tp + split.fn}; ${split.fp} others falsely reported)`);
    console.log(`rename  retained ${report.rename.retained.toFixed(4)} (${renameLost} lost of ${rewordUnits} unit checks)`);
    console.log(`reword  retained ${report.reword.retained.toFixed(4)} (${rewordMissing} lost of ${rewordUnits} unit checks)`);
    for (const f of failures.slice(0, 30)) console.log('  ' + f);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
