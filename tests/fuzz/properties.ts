/**
 * The fuzz properties, shared by the fixed-seed tests (tests/fuzz/*.fuzz.test.ts, in `npm test`) and the
 * long runner (`npm run fuzz`, scripts/fuzz.ts).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { markdownLayer } from '../../server/src/service/parse/markdown';
import { inputLimit, createPolicyService, type FeatureOptions, type PolicyCodeAction, type PolicyService, type Tokenizer } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import type { ParsedPolicy, ProvisionNode } from '../../server/src/service/parse/types';
import { LineIndex } from '../../server/src/service/text/lineIndex';
import type { Finding, PolicyDocument, TextEdit, TextRange } from '../../server/src/service/types';
import { applyEdit, draftOf, edit, type Edit } from './arbitraries';

export function assertRange(r: TextRange | null | undefined, length: number, what: string): void {
  if (r === null || r === undefined) return;
  assert.ok(
    Number.isInteger(r.start) && Number.isInteger(r.end) && 0 <= r.start && r.start <= r.end && r.end <= length,
    `${what}: ${r.start}–${r.end} is not inside [0, ${length}]`,
  );
}

function allNodes(nodes: readonly ProvisionNode[], out: ProvisionNode[] = []): ProvisionNode[] {
  for (const n of nodes) {
    out.push(n);
    allNodes(n.children, out);
  }
  return out;
}

export function assertFindings(findings: readonly Finding[], length: number): void {
  for (const f of findings) {
    assertRange(f.range, length, `finding ${f.code}`);
    for (const r of f.related ?? []) if (r.uri === undefined) assertRange(r.range, length, `related of ${f.code}`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) assertRange(e.range, length, `fix edit of ${f.code}`);
  }
}

/** Every range of a parse lies inside the text; heads and children lie inside their provision. */
export function assertParsed(p: ParsedPolicy, text: string): void {
  const len = text.length;
  assert.equal(p.text, text);
  for (const n of allNodes(p.provisions)) {
    const label = `${n.kind} ${JSON.stringify(n.numberText)}`;
    assertRange(n.range, len, `range of ${label}`);
    assertRange(n.headRange, len, `headRange of ${label}`);
    assertRange(n.numberRange, len, `numberRange of ${label}`);
    assert.ok(n.range.start <= n.headRange.start && n.headRange.end <= n.range.end, `headRange outside range of ${label}`);
    if (n.numberRange) assert.ok(n.range.start <= n.numberRange.start && n.numberRange.end <= n.range.end, `numberRange outside range of ${label}`);
    for (const c of n.children) assert.ok(n.range.start <= c.range.start && c.range.end <= n.range.end, `child ${c.kind} outside ${label}`);
  }
  for (const r of p.references) {
    assertRange(r.range, len, `reference ${r.text}`);
    assert.equal(text.slice(r.range.start, r.range.end).length, r.range.end - r.range.start);
  }
  assertRange(p.frontMatter.range, len, 'front matter');
  assertFindings(p.findings, len);
  const crashed = p.findings.find((f) => f.code === 'internal-error');
  assert.equal(crashed, undefined, `the parser caught its own crash: ${crashed?.message}`);
}

/**
 * parsePolicy never throws, keeps every range inside the text, and is deterministic. The parser gets the long
 * runs of one character class too (it does not tokenise).
 */
export const parserProperty = fc.property(draftOf(true), (text) => {
  const p = parsePolicy(text);
  assertParsed(p, text);
  assert.deepStrictEqual(parsePolicy(text), p, 'parsing the same text twice differs');
});

/** The kuromoji dictionary is slow to load; the properties share one tokenizer, memoised per text. */
export function memoised(tokenizer: Tokenizer): Tokenizer {
  const cache = new Map<string, ReturnType<Tokenizer['tokenize']>>();
  return {
    tokenize(text) {
      let hit = cache.get(text);
      if (!hit) {
        hit = tokenizer.tokenize(text);
        if (cache.size > 50_000) cache.clear();
        cache.set(text, hit);
      }
      return hit;
    },
  };
}

export function newService(tokenizer: Tokenizer): PolicyService {
  return createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => tokenizer });
}

const doc = (uri: string, version: number, text: string): PolicyDocument => ({ uri, version, getText: () => text });

/** Plain, comparable findings (no functions, no identity). */
const plain = (fs: readonly Finding[]): unknown => JSON.parse(JSON.stringify(fs));

/** Every façade answer for `text` keeps its ranges inside the text. */
export function assertFacade(service: PolicyService, d: PolicyDocument, probes: readonly number[]): readonly Finding[] {
  const text = d.getText();
  const len = text.length;
  const findings = service.getDiagnostics(d);
  assertFindings(findings, len);
  if (inputLimit(text) === 'full') assert.ok(service.getCoverage(d) !== null, 'coverage is null although the tokenizer is ready');
  else assert.ok(findings.some((f) => f.code === 'analysis-limited'), 'a limited input says so');

  const walk = (symbols: ReturnType<PolicyService['getDocumentSymbols']>, parent?: TextRange): void => {
    for (const s of symbols) {
      assertRange(s.range, len, `symbol ${s.name}`);
      assertRange(s.selectionRange, len, `symbol selection ${s.name}`);
      assert.ok(s.range.start <= s.selectionRange.start && s.selectionRange.end <= s.range.end, `selectionRange outside range of ${s.name}`);
      if (parent) assert.ok(parent.start <= s.range.start && s.range.end <= parent.end, `symbol ${s.name} outside its parent`);
      walk(s.children, s.range);
    }
  };
  walk(service.getDocumentSymbols(d));

  const lines = new LineIndex(text).lineCount;
  for (const f of service.getFoldingRanges(d)) {
    assert.ok(0 <= f.startLine && f.startLine < f.endLine && f.endLine < lines, `folding ${f.startLine}–${f.endLine} of ${lines} lines`);
  }
  for (const l of service.getDocumentLinks(d)) {
    assertRange(l.range, len, 'link');
    assertRange(l.target, len, 'link target');
  }
  const offsets = [...probes.map((p) => p % (len + 1)), 0, len];
  for (const r of service.getParsed(d).references) offsets.push(r.range.start);
  for (const o of offsets) {
    const def = service.getDefinition(d, o);
    if (def) {
      assertRange(def.originRange, len, 'definition origin');
      assertRange(def.targetRange, len, 'definition target');
      assertRange(def.targetSelectionRange, len, 'definition target selection');
    }
    for (const r of service.getReferences(d, o, true)) assertRange(r, len, 'reference');
  }
  for (const sel of service.getSelectionRanges(d, offsets)) {
    for (let s: typeof sel | undefined = sel; s; s = s.parent) {
      assertRange(s.range, len, 'selection range');
      if (s.parent) assert.ok(s.parent.range.start <= s.range.start && s.range.end <= s.parent.range.end, 'selection range not inside its parent');
    }
  }
  for (const o of offsets.slice(0, 6)) {
    const hover = service.getHover(d, o);
    if (hover) assertRange(hover.range, len, 'hover');
    for (const c of service.getCompletions(d, o)) assertRange(c.range, len, `completion ${c.label}`);
  }
  for (const lens of service.getCodeLenses(d)) assertRange(lens.range, len, `code lens ${lens.title}`);
  // Quick fixes for some findings (each kind once) and the whole text: each edit lies inside the text.
  const kinds = new Map(findings.map((f) => [f.code, f.range]));
  for (const range of [...kinds.values(), { start: 0, end: len }]) {
    for (const action of service.getCodeActions(d, range)) {
      for (const e of action.edits) assertRange(e.range, len, `quick fix ${action.title}`);
    }
  }
  return findings;
}

let uriCounter = 0;

/**
 * The façade on one random draft: no throw, every range inside, and the same text analysed again (a new
 * version, a new document) gives the same findings.
 */
export function facadeProperty(service: PolicyService, hostileRuns = false) {
  return fc.property(draftOf(hostileRuns), fc.array(fc.nat(), { maxLength: 4 }), (text, probes) => {
    const uri = `file:///fuzz/facade-${++uriCounter}.md`;
    const first = assertFacade(service, doc(uri, 1, text), probes);
    assert.deepStrictEqual(plain(service.getDiagnostics(doc(uri, 2, text))), plain(first), 'a new version of the same text gives other findings');
    assert.deepStrictEqual(plain(service.getDiagnostics(doc(`${uri}#again`, 1, text))), plain(first), 'another document with the same text gives other findings');
  });
}

/**
 * Incremental equals full: a draft built by a sequence of edits through one long-lived service (same uri,
 * increasing versions, diagnostics pulled after some of the edits) ends with the same findings as a fresh
 * service given the final text at once.
 */
export function incrementalProperty(service: PolicyService, fresh: () => PolicyService, hostileRuns = false) {
  return fc.property(draftOf(hostileRuns), fc.array(fc.tuple(edit, fc.boolean()), { minLength: 1, maxLength: 8 }), (start, edits) => {
    const uri = `file:///fuzz/incremental-${++uriCounter}.md`;
    let text = start;
    let version = 1;
    service.getDiagnostics(doc(uri, version, text));
    for (const [e, pull] of edits as [Edit, boolean][]) {
      text = applyEdit(text, e);
      version++;
      if (pull) assertFindings(service.getDiagnostics(doc(uri, version, text)), text.length);
    }
    const incremental = service.getDiagnostics(doc(uri, version, text));
    const full = fresh().getDiagnostics(doc(uri, 1, text));
    assert.deepStrictEqual(plain(incremental), plain(full), 'findings after the edits differ from a fresh analysis of the final text');
  });
}

// ---------------------------------------------------------------------------------------------------------
// Quick-fix safety (ARCHITECTURE.md: "A fix touches only its own range; applying it a second time changes
// nothing"), shared by the 例文-draft property (tests/unit/codeActions.test.ts), the corpus test
// (tests/unit/fixSafetyCorpus.test.ts) and the fixed-seed fuzz (tests/fuzz/fixes.fuzz.test.ts).

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Applies edits as an editor does: all against the original text; overlapping edits are an error. */
export function applyFix(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.range.start) + e.newText;
    at = e.range.end;
  }
  return out + text.slice(at);
}

/** Where an offset of the text before the edits lies after them (an offset inside a replaced range goes to its start). */
export function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const e of edits) {
    if (e.range.end <= offset && !(e.range.start === e.range.end && e.range.start === offset)) delta += e.newText.length - (e.range.end - e.range.start);
    else if (e.range.start < offset) return e.range.start + delta;
  }
  return offset + delta;
}

/** How a fix is recognised on the fixed text: its title and what its finding is about. */
function sameFix(a: PolicyCodeAction, b: PolicyCodeAction, mappedStart: number): boolean {
  if (a.title !== b.title || a.finding.code !== b.finding.code) return false;
  if (a.finding.guidelineId || b.finding.guidelineId) return a.finding.guidelineId === b.finding.guidelineId;
  // Findings without a guideline item (numbering, roles) are the same finding when they start at the same place.
  return b.finding.range.start <= mappedStart && mappedStart <= b.finding.range.end;
}

export interface FixSafety {
  /** The text with the fix applied. */
  readonly fixed: string;
  /** True when the same fix was offered again on the fixed text (and applying it changed nothing). */
  readonly offeredAgain: boolean;
}

/**
 * One offered fix, applied: its edits lie inside the text, do not overlap, do not split a surrogate pair or a
 * CRLF, survive the LSP conversion to line/character and back, change something, and stay in their lane (an
 * insertion deletes nothing; a front-matter declaration edits only the front matter; renumbering replaces
 * number tokens only). The result parses without throwing and without an internal error, the service analyses
 * it, and the same fix on the result is gone or a no-op.
 */
export function assertFixSafe(service: PolicyService, d: PolicyDocument, action: PolicyCodeAction, options?: FeatureOptions, reanalyse = true): FixSafety {
  const text = d.getText();
  const what = `${action.title} (${action.finding.code}${action.finding.guidelineId ? ` ${action.finding.guidelineId}` : ''})`;
  const edits = [...action.edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  assert.ok(edits.length > 0, `${what}: no edits`);
  const lines = new LineIndex(text);
  for (const [i, e] of edits.entries()) {
    assertRange(e.range, text.length, `${what}: edit`);
    if (i > 0) assert.ok(edits[i - 1]!.range.end <= e.range.start && !(edits[i - 1]!.range.end === e.range.start && edits[i - 1]!.range.start === e.range.start), `${what}: overlapping edits at ${e.range.start}`);
    for (const b of [e.range.start, e.range.end]) {
      assert.ok(!(isHigh(text.charCodeAt(b - 1)) && isLow(text.charCodeAt(b))), `${what}: edit boundary ${b} splits a surrogate pair`);
      assert.ok(!(text.charAt(b - 1) === '\r' && text.charAt(b) === '\n'), `${what}: edit boundary ${b} splits a CRLF`);
      assert.equal(lines.offsetAt(lines.positionAt(b)), b, `${what}: edit boundary ${b} does not survive line/character`);
    }
  }
  assert.ok(edits.some((e) => text.slice(e.range.start, e.range.end) !== e.newText), `${what}: the fix changes nothing`);

  // Each kind of fix stays in its lane.
  if (/挿入|を付けて|を追加する$/.test(action.title)) {
    for (const e of edits) assert.equal(e.range.start, e.range.end, `${what}: an insertion deletes ${JSON.stringify(text.slice(e.range.start, e.range.end))}`);
  }
  if (action.title.includes('フロントマター')) {
    const fm = service.getParsed(d).frontMatter.range;
    for (const e of edits) {
      if (fm) assert.ok(fm.start <= e.range.start && e.range.end <= fm.end, `${what}: edits ${e.range.start}–${e.range.end} outside the front matter ${fm.start}–${fm.end}`);
      else assert.deepEqual(e.range, { start: 0, end: 0 }, `${what}: creates the front matter at the top`);
    }
  }
  if (action.title === '以降の番号を振り直す') {
    for (const e of edits) {
      const old = text.slice(e.range.start, e.range.end);
      assert.ok(old.length > 0 && old.length <= 16 && !/[\r\n]/.test(old) && !/[\r\n]/.test(e.newText), `${what}: replaces ${JSON.stringify(old)}, not a number`);
    }
  }

  const fixed = applyFix(text, edits);
  for (let i = 0, at = 0; i < edits.length; i++) {
    const e = edits[i]!;
    // Outside the edits, the text is the old text, character for character.
    const keptBefore = text.slice(i === 0 ? 0 : edits[i - 1]!.range.end, e.range.start);
    assert.equal(fixed.slice(at, at + keptBefore.length), keptBefore, `${what}: text outside the edits changed`);
    at += keptBefore.length + e.newText.length;
  }
  const parsed = parsePolicy(fixed);
  assertParsed(parsed, fixed);
  // The rest costs a whole analysis of the fixed text.
  if (!reanalyse) return { fixed, offeredAgain: false };

  const fixedDoc: PolicyDocument = { uri: `${d.uri}#fixed-${++uriCounter}`, version: 1, getText: () => fixed };
  try {
    const after = service.getDiagnostics(fixedDoc);
    assertFindings(after, fixed.length);
    const crashed = after.find((f) => f.code === 'internal-error');
    assert.equal(crashed, undefined, `${what}: the fixed text makes the service fail: ${crashed?.message}`);
    const mapped = mapOffset(action.finding.range.start, edits);
    // Fixes are computed per finding: ask only where the same finding could still be (cheap on long drafts).
    const still = after.filter((f) => f.code === action.finding.code && (action.finding.guidelineId ? f.guidelineId === action.finding.guidelineId : f.range.start <= mapped && mapped <= f.range.end));
    const again = still.flatMap((f) => service.getCodeActions(fixedDoc, f.range, options)).filter((a) => sameFix(action, a, mapped));
    for (const a of again) {
      // Not assert.equal: a diff of two whole drafts says less than the edits do.
      assert.ok(applyFix(fixed, a.edits) === fixed, `${what}: offered again on the fixed text, and applying it changes the text again (${JSON.stringify(a.edits.map((e) => e.newText.slice(0, 80)))})`);
    }
    return { fixed, offeredAgain: again.length > 0 };
  } finally {
    service.forget(fixedDoc.uri);
  }
}

/**
 * Every fix offered for a document (all findings), each checked with `assertFixSafe`; at most `limit` fixes,
 * spread over the kinds of fix first (so a draft with forty missing items still has its renumbering checked).
 * `reanalyseEvery` (per kind) bounds the cost on long drafts: the n-th fix of a kind is re-analysed (the same
 * fix offered again?) only when n is a multiple of it; every fix gets the edit and parse checks.
 */
export function assertFixesSafe(
  service: PolicyService,
  d: PolicyDocument,
  limit = Infinity,
  options?: FeatureOptions,
  reanalyseEvery: (kind: string) => number = () => 1,
): { checked: number; offered: number; reanalysed: number; titles: Set<string> } {
  const actions = service.getCodeActions(d, { start: 0, end: d.getText().length }, options);
  const kind = (a: PolicyCodeAction): string =>
    a.title.endsWith('の例文を挿入') || /の例文を.+として挿入$/.test(a.title)
      ? '挿入'
      : a.title.includes('を対象外として記録')
        ? '対象外'
        : a.title.includes('adopted-recommendations')
          ? 'adopted'
          : a.title.replace(/『[^』]*』/g, '『』');
  const byKind = new Map<string, PolicyCodeAction[]>();
  for (const a of actions) byKind.set(kind(a), [...(byKind.get(kind(a)) ?? []), a]);
  // Round-robin over the kinds.
  const order: PolicyCodeAction[] = [];
  for (let i = 0; order.length < actions.length; i++) for (const list of byKind.values()) if (list[i]) order.push(list[i]!);
  const titles = new Set<string>();
  const perKind = new Map<string, number>();
  let checked = 0;
  let reanalysed = 0;
  for (const a of order.slice(0, limit)) {
    const k = kind(a);
    const n = perKind.get(k) ?? 0;
    perKind.set(k, n + 1);
    const full = n % reanalyseEvery(k) === 0;
    assertFixSafe(service, d, a, options, full);
    titles.add(k);
    checked++;
    if (full) reanalysed++;
  }
  return { checked, offered: actions.length, reanalysed, titles };
}

/** The property on random drafts: every fix the service offers (up to `limit` per draft) is safe. */
export function fixesProperty(service: PolicyService, limit: number, seen?: { checked: number; titles: Set<string> }) {
  return fc.property(draftOf(false), (text) => {
    const d = doc(`file:///fuzz/fixes-${++uriCounter}.md`, 1, text);
    try {
      const r = assertFixesSafe(service, d, limit);
      if (seen) {
        seen.checked += r.checked;
        for (const t of r.titles) seen.titles.add(t);
      }
    } finally {
      service.forget(d.uri);
    }
  });
}

// ---- The Markdown skeleton (see markdownSkeleton.fuzz.test.ts): shrunk and chunked equals whole. ----
const construct = fc.constantFrom(
  '# 見出し',
  '## 1 組織体制',
  '```',
  '~~~',
  '<div>',
  '</div>',
  '<!-- 注記',
  '注記の終わり -->',
  '<pre>',
  '</pre>',
  '| 区分 | 内容 |',
  '|---|---|',
  '| 機密性3 | 秘密文書 |',
  '===',
  '---',
  '***',
  '> 引用',
  '- 箇条書き',
  '  - 字下げした箇条',
  '    字下げした続き',
  '1. 番号付き',
  '[^1]: 脚注',
);
const prose = fc.constantFrom('本市の職員は、情報資産を適切に管理しなければならない。', '(1) 統括情報セキュリティ責任者', '①CISO は…', 'x', '　全角字下げの行');
const blank = fc.constantFrom('', '   ', '\t');
/** A gap: a long alternation of prose and blank lines, so that the skeleton's shrinking is exercised. */
const gap = fc.array(fc.oneof({ weight: 3, arbitrary: prose }, { weight: 2, arbitrary: blank }), { minLength: 0, maxLength: 14 });
export const skeletonDoc = fc
  .array(fc.tuple(fc.array(construct, { minLength: 1, maxLength: 3 }), gap), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.flatMap(([c, g]) => [...c, ...g]));

export function layerOf(lines: readonly string[], compress: boolean, chunkLines?: number) {
  const l = markdownLayer(lines, { compress, ...(chunkLines ? { chunkLines } : {}) });
  return {
    headingDepth: [...l.headingDepth].sort((a, b) => a[0] - b[0]),
    opaque: [...l.opaque].sort((a, b) => a - b),
    tableRows: [...l.tableRows].sort((a, b) => a - b),
  };
}


/** The shrunk skeleton, cut into chunks as small as 2 lines or not at all, gives the full skeleton's layer. */
export const skeletonProperty = fc.property(skeletonDoc, fc.integer({ min: 0, max: 8 }), (lines, chunkLines) => {
  const whole = layerOf(lines, false);
  assert.deepEqual(layerOf(lines, true), whole);
  if (chunkLines >= 2) assert.deepEqual(layerOf(lines, true, chunkLines), whole);
});
