import { completed } from '../steps';
import { detached } from '../text/detach';
import type { Catalog, RelationKind } from '../catalog/types';
import type { Tokenizer } from '../morph/types';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import type { TextRange } from '../types';
import { pathTo, sameShape } from '../parse/shape';
import { actionOfKind, classifyAction, isOther, kindIndex, otherAction } from './actions';
import { analysedOf, captionDefinitions, definitionsInSentence, organisationOf, withCaptions, type Analysed } from './definitions';
import { key, NameTable, recogniseInRun, type Recognised } from './phrases';
import { nearMiss } from './similar';
import { excludedRanges, offsetAt, ownSentences, rangeOf, sentenceRange, subtreeSentences, topSentences } from './text';
import type { ActionKind, AuditFact, Duty, Role, RoleDefinition, RoleMention, RoleModel, RoleRelation } from './types';

interface Local {
  readonly start: number;
  readonly end: number;
  readonly role: string;
}

interface Subject {
  readonly roles: readonly string[];
  readonly text: string;
  /** Offset after the subject's は in the sentence; -1 when inherited. */
  readonly end: number;
  readonly inherited: boolean;
}

const LEAD_IN = /次の|次に掲げる|以下の|下記の|次のとおり/;
const NOT_SUBJECT = /(?:場合|とき|際|ため|上|限り|ほか|こと|もの|時|後|前|において|について|に対して|としては|を除き|ただし|なお|また)$/;

/**
 * The role model of a document: who is defined where (here or, through `workspaceDefinitions`, in a
 * sibling 基本方針 or 組織規程), every mention of a role, the duties of each (subjects, also inherited
 * from a lead-in), and who permits, approves, receives reports of or instructs about what.
 *
 * Incremental: provisions of up to UNIT_CHARS characters (with their descendants) are read as units whose
 * definitions and facts are kept by their content and context (unitKey, readingKey) with the offsets they
 * had, and shifted when the unit moved; only the larger provisions' own sentences (the spine) and the units
 * an edit touched are read again. The result is the same as reading every sentence in document order
 * (tests/unit/rolesIncremental.test.ts).
 */
export function buildRoleModel(
  parsed: ParsedPolicy,
  tokenizer: Tokenizer,
  catalog: Catalog,
  workspaceDefinitions: readonly RoleDefinition[] = [],
  options: { readonly unitChars?: number } = {},
): RoleModel {
  return completed(roleModelSteps(parsed, tokenizer, catalog, workspaceDefinitions, options));
}

/**
 * buildRoleModel in steps: it yields after each unit it reads afresh (after its definitions, then after its
 * facts; a unit its memo answers is no step), so that a caller with time to share (the LSP server's first
 * analysis of a large draft) can answer other requests between them. What each unit read is kept as in one
 * pass, and the model returned at the end is the same.
 */
export function* roleModelSteps(
  parsed: ParsedPolicy,
  tokenizer: Tokenizer,
  catalog: Catalog,
  workspaceDefinitions: readonly RoleDefinition[] = [],
  options: { readonly unitChars?: number } = {},
): Generator<void, RoleModel> {
  const text = parsed.text;
  const organisation = organisationOf(parsed);
  const excluded = excludedRanges(parsed);
  const memo = memoFor(tokenizer, catalog);
  const { spine, units } = piecesOf(parsed, excluded, organisation, tokenizer, options.unitChars ?? UNIT_CHARS);

  // Definitions: the spine's sentences, each unit's (kept), then the organisation section's article captions.
  const sentenceDefinitions: RoleDefinition[] = [];
  const spineDefinitions = new Map<Analysed, RoleDefinition[]>();
  for (const a of spine) spineDefinitions.set(a, definitionsInSentence(a, catalog));
  for (const piece of inOrder(spine, units)) {
    if ('s' in piece) sentenceDefinitions.push(...spineDefinitions.get(piece)!);
    else {
      for (const d of unitDefinitions(piece, memo, text, excluded, tokenizer, organisation, catalog)) sentenceDefinitions.push(d);
      // A pause only after a unit read afresh: after a keystroke the memos answer nearly every unit.
      if (piece.sentences) yield;
    }
  }
  const orgSentences = organisation ? subtreeSentences(text, excluded, organisation, pathTo(parsed.provisions, organisation)).map((s) => analysedOf(tokenizer, s, organisation)) : [];
  const own = withCaptions(sentenceDefinitions, captionDefinitions(orgSentences, text));

  const roles = groupRoles([...own, ...workspaceDefinitions]);
  const names = new NameTable();
  for (const r of roles) for (const n of [r.name, ...r.aliases]) names.add(n, r.name);
  const definedNames = roles.flatMap((r) => [r.name, ...r.aliases]);
  const ownDefinitionStarts = new Set(own.map((d) => d.range.start));
  const namesKey = `${names.signature}\u0003${definedNames.join('\u0001')}`;
  const namesId = namesIdOf(namesKey);
  const env: ReadEnv = { names, definedNames, ownDefinitionStarts, recognitionCache: recognitionCacheFor(namesKey), outerLeadIn: () => null };

  // The spine is read whole (its subjects are the lead-ins of the units below it), then each unit in its context.
  const spineRead = readSentences(spine, env);
  const spineFacts = new Map(spine.map((a, k) => [a, spineRead.facts[k]!]));
  const outerLeadIn =
    (before: number) =>
    (node: ProvisionNode): Subject | null => {
      const last = spineRead.byNode.get(node)?.at(-1);
      if (!last || !LEAD_IN.test(last.s.text) || offsetAt(last.s, 0) >= before) return null;
      return spineRead.subjects.get(last) ?? null;
    };

  const mentions: RoleMention[] = [];
  const duties: Duty[] = [];
  const relations: RoleRelation[] = [];
  const audits: AuditFact[] = [];
  let separationClause: RoleModel['separationClause'] = null;
  for (const piece of inOrder(spine, units)) {
    if ('s' in piece) {
      const f = spineFacts.get(piece)!;
      append(mentions, f.mentions);
      append(duties, f.duties);
      append(relations, f.relations);
      append(audits, f.audits);
      if (!separationClause && !piece.s.isTitle && /兼務/.test(piece.s.text)) separationClause = { range: sentenceRange(piece.s), clauseLabel: piece.s.label };
      continue;
    }
    const f = unitFacts(piece, namesId, { ...env, outerLeadIn: outerLeadIn(piece.start) }, own, text, excluded, tokenizer, organisation);
    append(mentions, f.mentions);
    append(duties, f.duties);
    append(relations, f.relations);
    append(audits, f.audits);
    if (!separationClause && f.separationClause) separationClause = f.separationClause;
    if (piece.sentences) yield;
  }

  // Roles used but defined nowhere are still roles of the model (with no definition).
  const known = new Set(roles.map((r) => r.name));
  const undefinedRoles: Role[] = [];
  for (const m of mentions) {
    if (known.has(m.role)) continue;
    known.add(m.role);
    undefinedRoles.push({ name: m.role, aliases: [], definitions: [], defined: false });
  }

  return {
    text: parsed.text,
    roles: [...roles, ...undefinedRoles],
    mentions,
    duties,
    relations,
    audits,
    separationClause,
    organisation,
    selfReference: parsed.selfReference,
  };
}

/** What one sentence contributes to the model. */
interface SentenceFacts {
  readonly mentions: RoleMention[];
  readonly duties: Duty[];
  readonly relations: RoleRelation[];
  readonly audits: AuditFact[];
}

interface ReadEnv {
  readonly names: NameTable;
  readonly definedNames: readonly string[];
  readonly ownDefinitionStarts: ReadonlySet<number>;
  readonly recognitionCache: Map<string, SentenceReading>;
  /** The lead-in subject of a provision none of whose sentences is read here (an ancestor of a unit). */
  readonly outerLeadIn: (node: ProvisionNode) => Subject | null;
}

/**
 * Mentions, subjects, duties, relations and audits of a list of sentences in document order: all the
 * sentences of some provisions (the spine, or a unit's subtree), so that a sentence's earlier siblings and
 * its provision's context are in the list; the lead-ins of provisions outside it come from `env`.
 */
function readSentences(sentences: readonly Analysed[], env: ReadEnv): { facts: SentenceFacts[]; subjects: Map<Analysed, Subject | null>; byNode: Map<ProvisionNode | null, Analysed[]> } {
  const facts: SentenceFacts[] = sentences.map(() => ({ mentions: [], duties: [], relations: [], audits: [] }));
  const locals = new Map<Analysed, Local[]>();
  const readings = new Map<Analysed, SentenceReading>();
  sentences.forEach((a, k) => {
    const list: Local[] = [];
    const sentenceReading = reading(a, env.names, env.definedNames, env.recognitionCache);
    readings.set(a, sentenceReading);
    const found = sentenceReading.found;
    if (found.length > 0) {
      const clauseRange = sentenceRange(a.s);
      for (const r of found) {
        const role = r.canonical ?? r.surface;
        const range = rangeOf(a.s, r.start, r.end);
        facts[k]!.mentions.push({ role, surface: r.surface, range, isDefinition: env.ownDefinitionStarts.has(range.start), descriptive: r.descriptive, clauseRange, clauseLabel: a.s.label });
        list.push({ start: r.start, end: r.end, role });
      }
    }
    locals.set(a, list);
  });

  const subjects = new Map<Analysed, Subject | null>();
  const byNode = new Map<ProvisionNode | null, Analysed[]>();
  for (const a of sentences) {
    if (a.s.isTitle) continue;
    const list = byNode.get(a.s.node) ?? [];
    list.push(a);
    byNode.set(a.s.node, list);
  }
  const position = new Map<Analysed, number>();
  for (const list of byNode.values()) list.forEach((a, i) => position.set(a, i));
  const context = new ProvisionContext(byNode, position, locals);
  const leadIn = (node: ProvisionNode): Subject | null => {
    const body = byNode.get(node);
    if (!body) return env.outerLeadIn(node);
    const last = body[body.length - 1];
    if (!last || !LEAD_IN.test(last.s.text)) return null;
    return subjects.get(last) ?? null;
  };
  for (const a of sentences) {
    if (a.s.isTitle) continue;
    let subject = ownSubject(a, locals.get(a) ?? [], readings.get(a)!);
    if (!subject) {
      const siblings = byNode.get(a.s.node) ?? [];
      const prev = siblings[(position.get(a) ?? 0) - 1];
      const fromPrev = prev ? subjects.get(prev) : null;
      if (fromPrev && fromPrev.roles.length + fromPrev.text.length > 0) subject = { ...fromPrev, end: -1, inherited: true };
      else {
        for (let i = a.s.path.length - 1; i >= 0 && !subject; i--) {
          const s = leadIn(a.s.path[i]!);
          if (s) subject = { ...s, end: -1, inherited: true };
        }
      }
    }
    subjects.set(a, subject);
  }

  sentences.forEach((a, k) => {
    if (a.s.isTitle) return;
    const t = a.s.text;
    const subject = subjects.get(a) ?? null;
    const list = locals.get(a) ?? [];
    const f = facts[k]!;
    for (const role of new Set(subject?.roles ?? [])) {
      f.duties.push({ role, range: sentenceRange(a.s), clauseLabel: a.s.label, text: t, inherited: subject?.inherited ?? false });
    }
    append(f.relations, relationsOf(a, list, subject, () => context.actionBefore(a)));
    append(f.audits, auditsOf(a, list, subject));
  });
  return { facts, subjects, byNode };
}

/**
 * Provisions up to this many characters, with their descendants, are read as one unit and kept by content
 * (0: every sentence is read in one pass, as the reference the tests compare with). Every analysis looks
 * up each unit, and an edit reads its own unit again from the sentence caches: 5,000 made an edit of the
 * 500 KB draft ~10 % cheaper than 3,000 (CPU over 100 edits, 4 seeds), 8,000 about the same, 1,500 dearer.
 */
export const UNIT_CHARS = 5_000;

/** A provision read as a unit: its subtree, the ancestors above it, and the key of its content. */
interface Unit {
  readonly node: ProvisionNode;
  readonly path: readonly ProvisionNode[];
  readonly start: number;
  readonly end: number;
  /** Its key: what its sentences read around it (`context`) and its text (`source`), see unitKey. */
  readonly context: string;
  readonly source: string;
  /** What is kept for it (found, or read when its definitions are first asked for). */
  entry?: UnitMemo;
  /** Its sentences, when this analysis read them already (a unit read for its definitions is read for its facts too). */
  sentences?: Analysed[];
}

/** The spine's sentences (the top text and the own text of provisions larger than a unit) and the units, each in document order. */
function piecesOf(parsed: ParsedPolicy, excluded: readonly TextRange[], organisation: ProvisionNode | null, tokenizer: Tokenizer, unitChars: number): { spine: Analysed[]; units: Unit[] } {
  const text = parsed.text;
  const spine = topSentences(parsed, excluded).map((s) => analysedOf(tokenizer, s, organisation));
  const units: Unit[] = [];
  const visit = (n: ProvisionNode, path: readonly ProvisionNode[]): void => {
    if (unitChars > 0 && n.range.end - n.range.start <= unitChars) {
      units.push({ node: n, path, start: n.range.start, end: n.range.end, context: unitContext(text, excluded, n, path, organisation), source: text.slice(n.range.start, n.range.end) });
      return;
    }
    for (const s of ownSentences(text, excluded, n, path)) spine.push(analysedOf(tokenizer, s, organisation));
    for (const c of n.children) visit(c, [...path, n]);
  };
  for (const p of parsed.provisions) visit(p, []);
  spine.sort((x, y) => offsetAt(x.s, 0) - offsetAt(y.s, 0));
  return { spine, units };
}

/** Spine sentences and units merged in document order (no spine sentence lies inside a unit). */
function* inOrder(spine: readonly Analysed[], units: readonly Unit[]): Generator<Analysed | Unit> {
  let i = 0;
  for (const u of units) {
    while (i < spine.length && offsetAt(spine[i]!.s, 0) < u.start) yield spine[i++]!;
    yield u;
  }
  while (i < spine.length) yield spine[i++]!;
}

/**
 * Everything a unit's sentences depend on besides the name table and its ancestors' lead-ins: its text and
 * what compaction reads around it, the excluded ranges inside it, its provisions' shape (kinds, numbers,
 * titles and ranges relative to its start, which the parser decides from the whole document), the numbers
 * of its ancestors (for labels), and where it stands to the organisation section.
 */
function unitContext(text: string, excluded: readonly TextRange[], node: ProvisionNode, path: readonly ProvisionNode[], organisation: ProvisionNode | null): string {
  const base = node.range.start;
  const ancestors = path.map((n) => `${n.kind}|${n.numberText ?? ''}|${n.number?.[0] ?? ''}|${n.numberText === null ? (n.title ?? '') : ''}`).join('\u0001');
  let org = '';
  if (organisation) {
    if (node === organisation || path.includes(organisation)) org = 'in';
    else if (organisation.range.start >= node.range.start && organisation.range.end <= node.range.end) org = `has${indexPath(node, organisation)}`;
  }
  const inside = excluded
    .filter((e) => e.start < node.range.end && e.end > node.range.start)
    .map((e) => `${e.start - base}-${e.end - base}`)
    .join(',');
  const before = base === 0 ? '^' : text[base - 1];
  return `${org}\u0002${ancestors}\u0002${inside}\u0002${before}${text[node.range.end] ?? ''}`;
}

/** The memo key of a unit: its context and its text. */
function unitKey(unit: Unit): string {
  return `${unit.context}\u0002${unit.source}`;
}

/** The child indices from `root` down to `target`, or '?' when it is not below. */
function indexPath(root: ProvisionNode, target: ProvisionNode): string {
  let out = '';
  let n = root;
  while (n !== target) {
    const i = n.children.findIndex((c) => c === target || (target.range.start >= c.range.start && target.range.end <= c.range.end && c.children.length > 0));
    if (i < 0) return '?';
    out += `.${i}`;
    n = n.children[i]!;
  }
  return out;
}

/** What a unit yields for one name table and context, with the offsets it had when read (`base`). */
interface UnitReading {
  readonly base: number;
  readonly mentions: readonly RoleMention[];
  readonly duties: readonly Duty[];
  readonly relations: readonly RoleRelation[];
  readonly audits: readonly AuditFact[];
  readonly separationClause: RoleModel['separationClause'];
}

interface UnitMemo {
  /** Where the unit is now, its subtree (for sameShape) and its definitions there: moved along with it. */
  base: number;
  node: ProvisionNode;
  definitions: readonly RoleDefinition[];
  /** The unit's key parts, for finding the memo by node (see unitDefinitions). */
  readonly context: string;
  readonly source: string;
  /** By name table, lead-ins of the ancestors and definition positions (at most a few). */
  readonly readings: Map<string, UnitReading>;
}

/** Units kept per tokenizer and catalog: several large drafts (a 500 KB draft has some 230) and the edits since (one new unit each), about 10 KB each. */
const UNIT_MEMO_LIMIT = 1_500;
const memos = new WeakMap<Tokenizer, WeakMap<Catalog, Map<string, UnitMemo>>>();

function memoFor(tokenizer: Tokenizer, catalog: Catalog): Map<string, UnitMemo> {
  let byCatalog = memos.get(tokenizer);
  if (!byCatalog) memos.set(tokenizer, (byCatalog = new WeakMap()));
  let memo = byCatalog.get(catalog);
  if (!memo) byCatalog.set(catalog, (memo = new Map()));
  return memo;
}

/** Name tables as small numbers, for the unit readings' keys. */
const namesIds = new Map<string, number>();

function namesIdOf(namesKey: string): number {
  let id = namesIds.get(namesKey);
  if (id === undefined) {
    if (namesIds.size >= 1_000) namesIds.clear();
    namesIds.set(namesKey, (id = nextNamesId++));
  }
  return id;
}
let nextNamesId = 0;

function unitSentences(unit: Unit, text: string, excluded: readonly TextRange[], tokenizer: Tokenizer, organisation: ProvisionNode | null): Analysed[] {
  return subtreeSentences(text, excluded, unit.node, unit.path).map((s) => analysedOf(tokenizer, s, organisation));
}

function unitDefinitions(unit: Unit, memo: Map<string, UnitMemo>, text: string, excluded: readonly TextRange[], tokenizer: Tokenizer, organisation: ProvisionNode | null, catalog: Catalog): readonly RoleDefinition[] {
  // The node the memo last stood for, with the same context and text (compared, not hashed: the key of a
  // 5,000-character unit is a rope that a look-up would flatten and hash on every analysis).
  let byNode = nodeMemos.get(memo);
  if (!byNode) nodeMemos.set(memo, (byNode = new WeakMap()));
  let m = byNode.get(unit.node);
  if (!m || m.node !== unit.node || m.context !== unit.context || m.source !== unit.source) {
    const key = unitKey(unit);
    m = memo.get(key);
    if (!m || !sameShape(m.node, unit.node, m.base, unit.start)) {
      const sentences = (unit.sentences = unitSentences(unit, text, excluded, tokenizer, organisation));
      // The source detached: a slice would keep this version's whole text as long as the memo lives.
      m = { base: unit.start, node: unit.node, definitions: sentences.flatMap((a) => definitionsInSentence(a, catalog)), context: unit.context, source: detached(unit.source), readings: new Map() };
      if (memo.size >= UNIT_MEMO_LIMIT) memo.clear();
      memo.set(detached(key), m);
    }
  }
  const d = unit.start - m.base;
  if (d !== 0 || m.node !== unit.node) {
    // Kept where it now is: the next analysis finds it unmoved (and the same node) unless an edit before it moves it again.
    if (d !== 0) m.definitions = m.definitions.map((x) => ({ ...x, range: shift(x.range, d), clauseRange: shift(x.clauseRange, d) }));
    m.base = unit.start;
    m.node = unit.node;
  }
  byNode.set(unit.node, m);
  unit.entry = m;
  return m.definitions;
}

/** Each unit's memo by the root node it last stood for, per memo (tokenizer and catalog). */
const nodeMemos = new WeakMap<Map<string, UnitMemo>, WeakMap<ProvisionNode, UnitMemo>>();

function unitFacts(
  unit: Unit,
  namesId: number,
  env: ReadEnv,
  own: readonly RoleDefinition[],
  text: string,
  excluded: readonly TextRange[],
  tokenizer: Tokenizer,
  organisation: ProvisionNode | null,
): Omit<UnitReading, 'base'> {
  const m = unit.entry;
  const leadIns = unit.path.map((n) => {
    const s = env.outerLeadIn(n);
    return s ? `${s.roles.join('\u0001')}\u0002${s.text}` : '-';
  });
  const starts = own.filter((x) => x.range.start >= unit.start && x.range.start < unit.end).map((x) => x.range.start - unit.start);
  const k = `${namesId}\u0004${leadIns.join('\u0003')}\u0004${starts.join(',')}`;
  let r = m?.readings.get(k);
  if (!r) {
    const sentences = (unit.sentences ??= unitSentences(unit, text, excluded, tokenizer, organisation));
    const read = readSentences(sentences, env);
    const separation = sentences.find((a) => !a.s.isTitle && /兼務/.test(a.s.text));
    const separationClause = separation ? { range: sentenceRange(separation.s), clauseLabel: separation.s.label } : null;
    r = {
      base: unit.start,
      mentions: read.facts.flatMap((f) => f.mentions),
      duties: read.facts.flatMap((f) => f.duties),
      relations: read.facts.flatMap((f) => f.relations),
      audits: read.facts.flatMap((f) => f.audits),
      separationClause,
    };
    if (m) {
      if (m.readings.size >= 4) m.readings.delete(m.readings.keys().next().value!);
      m.readings.set(k, r);
    }
  }
  const d = unit.start - r.base;
  if (d === 0) return r;
  const moved: UnitReading = {
    base: unit.start,
    // Literals with every field (the types are closed): a spread per mention was a measurable part of an edit.
    mentions: r.mentions.map((x) => ({ role: x.role, surface: x.surface, range: shift(x.range, d), isDefinition: x.isDefinition, descriptive: x.descriptive, clauseRange: shift(x.clauseRange, d), clauseLabel: x.clauseLabel })),
    duties: r.duties.map((x) => ({ role: x.role, range: shift(x.range, d), clauseLabel: x.clauseLabel, text: x.text, inherited: x.inherited })),
    relations: r.relations.map((x) => ({ ...x, range: shift(x.range, d), clauseRange: shift(x.clauseRange, d) })),
    audits: r.audits.map((x) => ({ kind: x.kind, role: x.role, range: shift(x.range, d), clauseRange: shift(x.clauseRange, d), clauseLabel: x.clauseLabel })),
    separationClause: r.separationClause && { ...r.separationClause, range: shift(r.separationClause.range, d) },
  };
  // Kept where the unit now is (as its definitions): shifted again only when an edit before it moves it again.
  m?.readings.set(k, moved);
  return moved;
}

/** Appends without spreading (a sentence of a pasted megabyte may hold more mentions than a call takes arguments). */
function append<T>(to: T[], from: readonly T[]): void {
  for (let i = 0; i < from.length; i++) to.push(from[i]!);
}

function shift(r: TextRange, d: number): TextRange {
  return { start: r.start + d, end: r.end + d };
}

/**
 * What a sentence's text yields for one name table, cached per both: its role phrases (offsets in its
 * text, without undefined descriptive phrases that are no near miss of a defined name) and, once asked,
 * its own subject.
 */
interface SentenceReading {
  readonly found: readonly Recognised[];
  subject?: Subject | null;
}

function reading(a: Analysed, names: NameTable, definedNames: readonly string[], bySentence: Map<string, SentenceReading>): SentenceReading {
  let hit = bySentence.get(a.s.text);
  if (!hit) {
    hit = { found: a.runs.flatMap((run) => recogniseInRun(run, names)).filter((r) => !(r.canonical === null && r.descriptive && nearMiss(r.surface, definedNames) === null)) };
    if (bySentence.size >= 40_000) bySentence.clear();
    bySentence.set(a.s.text, hit);
  }
  return hit;
}

/** The sentence's own subject (not inherited): a function of its text and role phrases, cached with them. */
function ownSubject(a: Analysed, list: readonly Local[], cached: SentenceReading): Subject | null {
  if (cached.subject === undefined) cached.subject = subjectOf(a, list);
  return cached.subject;
}

const sentenceCache = new Map<string, Map<string, SentenceReading>>();

/** The readings of sentences for one name table and defined-name list (`namesKey`). */
function recognitionCacheFor(tableKey: string): Map<string, SentenceReading> {
  let bySentence = sentenceCache.get(tableKey);
  if (!bySentence) {
    if (sentenceCache.size >= 4) sentenceCache.delete(sentenceCache.keys().next().value!);
    sentenceCache.set(tableKey, (bySentence = new Map()));
  }
  return bySentence;
}

function groupRoles(defs: readonly RoleDefinition[]): Role[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const d of defs) for (const n of [d.name, ...d.aliases]) if (!parent.has(key(n))) parent.set(key(n), key(n));
  for (const d of defs) for (const a of d.aliases) union(key(d.name), key(a));
  const groups = new Map<string, { name: string; names: string[]; defs: RoleDefinition[] }>();
  for (const d of defs) {
    const root = find(key(d.name));
    const g = groups.get(root) ?? { name: d.name, names: [], defs: [] };
    g.defs.push(d);
    for (const n of [d.name, ...d.aliases]) if (!g.names.some((x) => key(x) === key(n))) g.names.push(n);
    groups.set(root, g);
  }
  return [...groups.values()].map((g) => ({ name: g.name, aliases: g.names.filter((n) => key(n) !== key(g.name)), definitions: g.defs, defined: true }));
}

// The expressions chains and subjectOf test per mention, built once: a regular expression
// literal is a new object each time it is evaluated.
const LEADING_TOU = /^等/;
const JOINER = /^(?:、|及び|並びに|又は|若しくは|と|や)$/;
const QUALIFIED_JOINER = /^(?:、|及び|並びに|又は)(?:(?:当該|その|各)[^。、はが]{0,18}|[^。、はがをに]{1,10}の)$/;
const CASE_PARTICLE_END = /[にでとてへ]$/;
const TOU_ONLY = /^等?$/;

/** Mentions joined by 及び, 並びに, 又は, 、 (with a short qualifier: 及び当該情報システムを管理する情報システム管理者). */
function chains(t: string, list: readonly Local[]): Local[][] {
  const out: Local[][] = [];
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    const cur = out[out.length - 1];
    const last = cur?.[cur.length - 1];
    const gap = last ? t.slice(last.end, m.start).replace(LEADING_TOU, '') : '';
    const joined = JOINER.test(gap) || QUALIFIED_JOINER.test(gap);
    if (cur && last && joined) cur.push(m);
    else out.push([m]);
  }
  return out;
}

function subjectOf(a: Analysed, list: readonly Local[]): Subject | null {
  const t = a.s.text;
  // Indexed: this runs for every sentence, mostly before the JIT has optimised it.
  const topics = a.topics;
  for (let i = 0; i < topics.length; i++) {
    const p = topics[i]!;
    const head = t.slice(0, p);
    if (NOT_SUBJECT.test(head) || CASE_PARTICLE_END.test(head)) continue;
    const chain = chains(t, list).find((ch) => {
      const end = ch[ch.length - 1]!.end;
      return end <= p && TOU_ONLY.test(t.slice(end, p));
    });
    if (chain) return { roles: [...new Set(chain.map((m) => m.role))], text: t.slice(chain[0]!.start, p), end: p + 1, inherited: false };
    const text = head.slice(head.lastIndexOf('、') + 1);
    if (text.length === 0 || text.length > 40) return null;
    return { roles: [], text, end: p + 1, inherited: false };
  }
  return null;
}

const AFTER: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => RelationKind, boolean]> = [
  [/^(?:の|に|から)(?:事前の|あらかじめ|事前に)?(許可|承認|許諾)(?:を(?:得|受|求)|な(?:く|し))/, (m) => (m[1] === '承認' ? 'approve' : 'permit'), true],
  [/^(?:が|の)(?:あらかじめ|事前に)?(許可|承認)(?:した|する|を与え)/, (m) => (m[1] === '承認' ? 'approve' : 'permit'), false],
  [/^(?:が|の)(?:[^、。]{0,12}と)?認め(?:た|る)/, () => 'permit', false],
  [/^(?:に|へ)(?:あらかじめ|事前に)?届け?出/, () => 'notify', false],
  [/^(?:の|から)(?:の)?指示等?(?:に従|を受|に基づ|を仰|により)/, () => 'instruct', false],
  [/^(?:に|へ)(?:対して|対し)?、?(?:[^。]{0,40}?)(報告|通報)(?:し|する|を行|しなければ|を求)/, () => 'report', false],
  [/^(?:に|へ)(?:対して|対し)?、?(?:[^。]{0,30}?)通知(?:し|する|を行|しなければ)/, () => 'notify', false],
];

function relationsOf(a: Analysed, list: readonly Local[], subject: Subject | null, contextAction: () => ActionKind): RoleRelation[] {
  const t = a.s.text;
  const out: RoleRelation[] = [];
  const clause = { clauseRange: sentenceRange(a.s), clauseLabel: a.s.label, clauseText: t };
  // A clause that does not name its action (ただし、…の許可を得て利用することができる) takes it from its provision.
  let action = classifyAction(mask(t, list));
  if (isOther(action)) {
    const wider = contextAction();
    if (!isOther(wider)) action = wider;
  }
  const chained = chains(t, list);
  for (let c = 0; c < chained.length; c++) {
    const ch = chained[c]!;
    const end = ch[ch.length - 1]!.end;
    const skip = t.startsWith('等', end) ? 1 : 0;
    const after = t.slice(end + skip);
    for (let k = 0; k < AFTER.length; k++) {
      const entry = AFTER[k]!;
      const re = entry[0];
      const kindOf = entry[1];
      const directForm = entry[2];
      const m = re.exec(after);
      if (!m) continue;
      // Another role between the chain and a report verb receives it, not this chain.
      if (list.some((x) => x.start > end && x.start < end + skip + m[0].length)) break;
      const kind = kindOf(m);
      const authorities = [...new Set(ch.map((x) => x.role))];
      const phraseEnd = end + skip + m[0].length;
      // 〜の許可を得て職員等が導入したもの: the clause after the approval has its own subject.
      const embeddedMatch = /^(?:て|た上で|で)?、?([^、。をにはがて]{1,20}?)が/.exec(t.slice(phraseEnd));
      const embedded = embeddedMatch && !/(?:こと|もの|の|必要|場合)$/.test(embeddedMatch[1]!) ? embeddedMatch : null;
      const own = subject && !subject.inherited ? subject : null;
      const requesterText = embedded ? embedded[1]! : subject?.text ?? null;
      const requesters = embedded ? list.filter((x) => x.start >= phraseEnd && x.end <= phraseEnd + embedded[0].length).map((x) => x.role) : [...(subject?.roles ?? [])];
      const direct = directForm && !embedded && own !== null && own.end <= ch[0]!.start;
      out.push({
        kind,
        action,
        authorities,
        requesters: [...new Set(requesters)],
        requesterText: requesters.length > 0 ? null : requesterText,
        range: rangeOf(a.s, ch[0]!.start, phraseEnd),
        direct: direct || (directForm && subject !== null && subject.inherited && !embedded),
        ...clause,
      });
      break;
    }
  }
  // 〜は、…を認めることができる / …の利用を認める場合: the subject permits.
  if (subject && subject.roles.length > 0) {
    const m = /を(許可|承認)する(?:ことができる|場合|ものとする)|を認める(?:ことができる|場合|ものとする)/.exec(t);
    if (m && !out.some((r) => r.range.start <= rangeOf(a.s, m.index, m.index + 1).start && r.range.end >= rangeOf(a.s, m.index, m.index + 1).start)) {
      out.push({
        kind: m[1] === '承認' ? 'approve' : 'permit',
        action,
        authorities: [...subject.roles],
        requesters: [],
        requesterText: null,
        range: rangeOf(a.s, m.index, m.index + m[0].length),
        direct: false,
        ...clause,
      });
    }
  }
  return out;
}

function auditsOf(a: Analysed, list: readonly Local[], subject: Subject | null): AuditFact[] {
  const t = a.s.text;
  if (/兼務|監査を受ける|被監査部門から独立/.test(t)) return [];
  const out: AuditFact[] = [];
  const clause = { clauseRange: sentenceRange(a.s), clauseLabel: a.s.label };
  const push = (kind: AuditFact['kind'], role: string, start: number, end: number): void => {
    if (!out.some((x) => x.kind === kind && x.role === role)) out.push({ kind, role, range: rangeOf(a.s, start, end), ...clause });
  };
  for (const ch of chains(t, list)) {
    const end = ch[ch.length - 1]!.end;
    const before = t.slice(0, ch[0]!.start);
    const after = t.slice(end).replace(/^等/, '');
    // 監査を行うよう情報管理者へ指示 / 情報管理者が…監査を行う
    if (/監査を(?:行|実施)(?:う|する)よう、?$/.test(before) && /^(?:へ|に)/.test(after)) for (const m of ch) push('audit', m.role, m.start, m.end);
    if (/^が[^。]{0,30}?監査を(?:行|実施)(?!わせ|させ)/.test(after)) for (const m of ch) push('audit', m.role, m.start, m.end);
  }
  if (subject && !subject.inherited && /監査を(?:行|実施)(?!わせ|させ)/.test(t) && !/指示|依頼/.test(t)) {
    for (const m of list.filter((x) => subject.roles.includes(x.role) && x.end <= subject.end)) push('audit', m.role, m.start, m.end);
  }
  if (subject && /自己点検を(?:実施|行)/.test(t)) {
    const own = list.filter((x) => subject.roles.includes(x.role) && x.end <= subject.end);
    if (own.length > 0) for (const m of own) push('self-check', m.role, m.start, m.end);
    else for (const r of subject.roles) out.push({ kind: 'self-check', role: r, range: sentenceRange(a.s), ...clause });
  }
  return out;
}

/**
 * The action of a provision's title and earlier sentences (role names masked), for a clause that does not
 * name its own. Linear per provision: the kind is the least kind index over the pieces (a running minimum),
 * and only an unnamed action reads the joined text, bounded, for its gist. (Joining every earlier sentence
 * for every sentence made a provision of thousands of sentences quadratic: a pasted 1 MB line ran out of
 * memory.)
 */
class ProvisionContext {
  readonly #kinds = new Map<ProvisionNode | null, Int32Array>();

  constructor(
    private readonly byNode: ReadonlyMap<ProvisionNode | null, Analysed[]>,
    private readonly position: ReadonlyMap<Analysed, number>,
    private readonly locals: ReadonlyMap<Analysed, Local[]>,
  ) {}

  actionBefore(a: Analysed): ActionKind {
    const node = a.s.node;
    const siblings = this.byNode.get(node) ?? [];
    const i = this.position.get(a) ?? 0;
    let kinds = this.#kinds.get(node);
    if (!kinds) {
      // kinds[j]: the least kind index over the title and the first j sentences (-1: none).
      kinds = new Int32Array(siblings.length + 1);
      let least = kindIndex(node?.title ?? '');
      kinds[0] = least;
      siblings.forEach((x, j) => {
        const k = kindIndex(mask(x.s.text, this.locals.get(x) ?? []));
        if (k >= 0 && (least < 0 || k < least)) least = k;
        kinds![j + 1] = least;
      });
      this.#kinds.set(node, kinds);
    }
    const k = kinds[i]!;
    if (k >= 0) return actionOfKind(k);
    const pieces = [node?.title ?? ''];
    let length = pieces[0]!.length;
    for (let j = 0; j < i && length < CONTEXT_GIST_CHARS; j++) {
      const m = mask(siblings[j]!.s.text, this.locals.get(siblings[j]!) ?? []);
      pieces.push(m);
      length += m.length + 1;
    }
    return otherAction(pieces.join('。'));
  }
}

/** How much of a provision's earlier text an unnamed action's gist is taken from. */
const CONTEXT_GIST_CHARS = 4_000;

function mask(t: string, list: readonly Local[]): string {
  if (list.length === 0) return t;
  let s = t;
  const byEnd = [...list].sort((x, y) => y.start - x.start);
  for (let i = 0; i < byEnd.length; i++) s = s.slice(0, byEnd[i]!.start) + '◇' + s.slice(byEnd[i]!.end);
  return s;
}
