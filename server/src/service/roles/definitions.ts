import type { Catalog } from '../catalog/types';
import type { Tokenizer } from '../morph/types';
import { wordsOf } from '../morph/words';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import { isDefinableRole, isRoleShaped, key, nounRuns, topicMarks, type Run } from './phrases';
import { excludedRanges, ownSentences, rangeOf, sentenceRange, sentencesOf, topSentences, type Sentence } from './text';
import type { DefinitionKind, RoleDefinition } from './types';

/** A sentence with its compound nouns and topic particles, computed once per document. */
export interface Analysed {
  readonly s: Sentence;
  readonly runs: readonly Run[];
  /** Where the sentence's topic particles are: see topicMarks. */
  readonly topics: readonly number[];
  readonly inOrganisation: boolean;
}

const ORGANISATION_TITLE = /組織|体制/;
const CONTAINER_KINDS = new Set(['part', 'chapter', 'section', 'subsection', 'heading', 'article', 'item']);

/** The organisation section (組織体制): the first container titled so. */
export function organisationOf(parsed: ParsedPolicy): ProvisionNode | null {
  let found: ProvisionNode | null = null;
  const visit = (nodes: readonly ProvisionNode[]): void => {
    for (const n of nodes) {
      if (found) return;
      const title = (n.title ?? '').replace(/^[（(]|[)）]$/g, '');
      // A long title is a sentence about the organisation (基本方針 6(1)), not its section.
      if (CONTAINER_KINDS.has(n.kind) && ORGANISATION_TITLE.test(title) && title.length <= 12 && n.children.length + n.text.length > 0 && !/CSIRT/.test(title)) {
        if (n.kind !== 'item' || n.children.length > 0) {
          found = n;
          return;
        }
      }
      visit(n.children);
    }
  };
  visit(parsed.provisions);
  return found;
}

/**
 * The noun runs and topic marks of a sentence depend only on its text: kept across analyses, so an edit
 * re-tokenises one sentence. The tokens are read as words and starts (wordsOf: no token object each), and not kept.
 */
const lexCache = new WeakMap<Tokenizer, Map<string, Lexed>>();
const LEX_CACHE_LIMIT = 40_000;

interface Lexed {
  readonly runs: readonly Run[];
  readonly topics: readonly number[];
}

function lex(tokenizer: Tokenizer, text: string): Lexed {
  let cache = lexCache.get(tokenizer);
  if (!cache) lexCache.set(tokenizer, (cache = new Map()));
  const hit = cache.get(text);
  if (hit) return hit;
  // kuromoji throws on NUL, other controls and lone surrogates; a same-length blank keeps the offsets.
  const tokens = wordsOf(tokenizer, text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\u3000'));
  const entry: Lexed = { runs: nounRuns(text, tokens), topics: topicMarks(tokens) };
  if (cache.size >= LEX_CACHE_LIMIT) cache.clear();
  cache.set(text, entry);
  return entry;
}

export function analyse(parsed: ParsedPolicy, tokenizer: Tokenizer): { sentences: Analysed[]; organisation: ProvisionNode | null } {
  const organisation = organisationOf(parsed);
  return { sentences: sentencesOf(parsed).map((s) => analysedOf(tokenizer, s, organisation)), organisation };
}

/** A sentence with its noun runs and topic marks (cached per text) and whether it is in the organisation section. */
export function analysedOf(tokenizer: Tokenizer, s: Sentence, organisation: ProvisionNode | null): Analysed {
  const { runs, topics } = lex(tokenizer, s.text);
  const inOrganisation = organisation !== null && (s.node === organisation || s.path.includes(organisation));
  return { s, runs, topics, inOrganisation };
}

/**
 * Tokenises the document's sentences one at a time (a step each), filling the per-sentence cache that
 * `analyse` reads: the adapter runs the steps between other messages, so that a large document's first
 * analysis never holds the server for seconds.
 */
export function* warmSentences(parsed: ParsedPolicy, tokenizer: Tokenizer): Generator<void> {
  // A provision at a time (the sentences sentencesOf gives, not all cut first: for a large draft that alone
  // held the caller ~200 ms); the order does not matter, the noun runs and topic marks are kept by text.
  const excluded = excludedRanges(parsed);
  for (const s of topSentences(parsed, excluded)) {
    lex(tokenizer, s.text);
    yield;
  }
  function* visit(node: ProvisionNode, path: readonly ProvisionNode[]): Generator<void> {
    for (const s of ownSentences(parsed.text, excluded, node, path)) {
      lex(tokenizer, s.text);
      yield;
    }
    const below = [...path, node];
    for (const c of node.children) yield* visit(c, below);
  }
  for (const p of parsed.provisions) yield* visit(p, []);
}

/**
 * The roles a document defines: appointment clauses (副市長をCISOとする), establishments (CSIRT責任者を置く),
 * 以下「X」という and abbreviations in brackets, and the role-named items of its organisation section.
 * Pass the result for sibling documents to `buildRoleModel` as workspace definitions (with their `uri`).
 */
export function extractRoleDefinitions(parsed: ParsedPolicy, tokenizer: Tokenizer, catalog: Catalog): RoleDefinition[] {
  return definitionsOf(analyse(parsed, tokenizer).sentences, catalog, parsed.text);
}

export function definitionsOf(sentences: readonly Analysed[], catalog: Catalog, text: string): RoleDefinition[] {
  const out: RoleDefinition[] = [];
  for (const a of sentences) out.push(...definitionsInSentence(a, catalog));
  return withCaptions(out, captionDefinitions(sentences, text));
}

/** The definitions a sentence makes (appointments, establishments, aliases, organisation item titles). */
export function definitionsInSentence(a: Analysed, catalog: Catalog): RoleDefinition[] {
  return localDefinitions(a, catalog).map((d) => ({
    name: d.name,
    aliases: d.aliases,
    kind: d.kind,
    range: rangeOf(a.s, d.start, d.end),
    clauseRange: sentenceRange(a.s),
    clauseLabel: a.s.label,
    clauseText: a.s.text,
    assignees: d.assignees,
  }));
}

/** The sentences' definitions (in document order) with the article captions that define no role already, by position. */
export function withCaptions(sentenceDefinitions: RoleDefinition[], captions: readonly RoleDefinition[]): RoleDefinition[] {
  const out = sentenceDefinitions;
  for (const d of captions) if (!out.some((o) => o.range.start === d.range.start)) out.push(d);
  return out.sort((x, y) => x.range.start - y.range.start);
}

/** A definition found in one sentence, with offsets in the sentence text. */
interface LocalDefinition {
  readonly name: string;
  readonly aliases: string[];
  readonly kind: DefinitionKind;
  readonly start: number;
  readonly end: number;
  readonly assignees: string[];
}

/** Per catalog, the definitions of each sentence by (organisation section?, title?, text): an edit re-reads one sentence. */
const localCache = new WeakMap<Catalog, Map<string, readonly LocalDefinition[]>>();

function localDefinitions(a: Analysed, catalog: Catalog): readonly LocalDefinition[] {
  let cache = localCache.get(catalog);
  if (!cache) localCache.set(catalog, (cache = new Map()));
  const k = `${a.inOrganisation ? 1 : 0}${a.s.isTitle ? 1 : 0}${a.s.text}`;
  let hit = cache.get(k);
  if (!hit) {
    hit = readDefinitions(a.s.text, a.runs, a.inOrganisation, a.s.isTitle, strongNames(catalog));
    if (cache.size >= 40_000) cache.clear();
    cache.set(k, hit);
  }
  return hit;
}

const strongCache = new WeakMap<Catalog, (name: string) => boolean>();

/** Names that are roles by their shape, by the guideline's roles, or as an abbreviation (CISO). */
function strongNames(catalog: Catalog): (name: string) => boolean {
  let f = strongCache.get(catalog);
  if (!f) {
    const catalogNames = new Set(catalog.roles.flatMap((r) => [r.name, ...r.aliases]).map(key));
    f = (name: string): boolean => isRoleShaped(name) || catalogNames.has(key(name)) || /^[A-Z]{2,8}$/.test(key(name));
    strongCache.set(catalog, f);
  }
  return f;
}

/** A parenthesis right after a name, what readDefinitions asks after every noun run (a module constant: a literal is an object per evaluation). */
const NAME_PAREN = /^[（(]([^（()）、。]{2,30}?)(?:[:：][^（()）]*)?[)）]/;

function readDefinitions(t: string, runs: readonly Run[], inOrganisation: boolean, isTitle: boolean, strong: (name: string) => boolean): LocalDefinition[] {
  const out: LocalDefinition[] = [];
  const add = (name: string, start: number, end: number, kind: DefinitionKind, aliases: string[] = [], assignees: string[] = []): void => {
    const n = name.replace(/\s+/g, '');
    const i = out.findIndex((d) => d.kind === kind && key(d.name) === key(n) && d.start === start);
    if (i >= 0) {
      const d = out[i]!;
      const more = assignees.map(cleanAssignee).filter((x) => x.length > 0 && !d.assignees.includes(x));
      const moreAliases = aliases.filter((x) => key(x) !== key(n) && !d.aliases.includes(x));
      out[i] = { ...d, assignees: [...d.assignees, ...more], aliases: [...d.aliases, ...moreAliases] };
      return;
    }
    out.push({ name: n, aliases: aliases.filter((x) => key(x) !== key(n)), kind, start, end, assignees: assignees.map(cleanAssignee).filter((x) => x.length > 0) });
  };
  const runEndingAt = (pos: number): Run | undefined => runs.find((r) => r.end === pos);
  const runAt = (pos: number): Run | undefined => runs.find((r) => r.start === pos);

  // 〜（…以下「Y」という。）
  for (const m of t.matchAll(/以下[「『]([^」』]{1,30})[」』]という/g)) {
    const y = m[1]!.replace(/\s+/g, '');
    const yStart = m.index + m[0].indexOf(m[1]!);
    const open = openParenBefore(t, m.index);
    const ante = open >= 0 ? runEndingAt(open) : undefined;
    if (ante && !ante.descriptive && strong(ante.text)) add(ante.text, ante.start, ante.end, 'alias', [y]);
    else if (isDefinableRole(y)) add(y, yStart, yStart + m[1]!.length, 'alias', [], ante ? [phraseBefore(t, open)].filter((x) => x.length <= 24 && !/[をが（(]/.test(x)) : []);
  }
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    const rest = t.slice(r.end);
    // The parenthesis after a name (（以下「CISO」という。）) does not stand between it and its verb.
    const after = skipParenthesis(rest);
    // 最高情報セキュリティ責任者（CISO） / セキュリティ統括責任者（最高情報セキュリティ責任者）
    const paren = NAME_PAREN.exec(rest);
    if (paren && !/以下/.test(paren[0]) && strong(r.text) && !r.descriptive) {
      const inner = paren[1]!.replace(/\s+/g, '');
      if (/^[A-Z]{2,8}$/.test(key(inner)) || strong(inner)) add(r.text, r.start, r.end, 'alias', [inner]);
    }
    if (!isDefinableRole(r.text)) continue;
    // ○○をYとする（Yとし、Yと定める）
    if (/^と(?:する|し[、。]|定める)/.test(after)) {
      const wo = lastParticle(t, r.start, 'を');
      if (wo >= 0) add(r.text, r.start, r.end, 'appointment', [], splitAssignees(t.slice(clauseStart(t, wo), wo)));
      continue;
    }
    // ○○をYとして置く
    if (/^として、?(?:置|設置|任命|選任)/.test(after)) {
      const wo = lastParticle(t, r.start, 'を');
      if (wo >= 0) add(r.text, r.start, r.end, 'appointment', [], [t.slice(clauseStart(t, wo), wo)]);
      continue;
    }
    // Yとして、Xを置く: X is Y under the document's own name.
    const as = /^として、?/.exec(after);
    if (as) {
      const x = runAt(r.end + as[0].length);
      const rest = x ? t.slice(x.end).replace(/^[（(][^（()）]*(?:[（(][^()（）]*[)）][^（()）]*)*[)）]/, '') : '';
      if (x && isDefinableRole(x.text) && /^を(?:置|設置)/.test(rest)) add(x.text, x.start, x.end, 'establishment', r.descriptive ? [] : [r.text]);
      continue;
    }
    // Yを置き（、○○をもってこれに充てる） / Y及び…を定める (in the organisation section)
    const verbs = inOrganisation ? /^を(?:置|設置|設け|定め|選任|任命|指名)/ : /^を(?:置|設置|設け)/;
    const listed = /^(?:及び|並びに|、)/.test(after) ? establishmentAfter(t, t.length - after.length, verbs) : -1;
    if (verbs.test(after) || listed >= 0) {
      const rest = listed >= 0 ? t.slice(listed) : after;
      const fill = /、([^、。]{1,30}?)をもって(?:これに)?充て/.exec(rest);
      add(r.text, r.start, r.end, 'establishment', [], fill ? [fill[1]!] : []);
      continue;
    }
    // Yは、○○をもって（これに）充てる / (in the organisation section) Yは、○○とする
    if (r.start <= 1 || /^[、]?$/.test(t.slice(0, r.start))) {
      const fill = /^(?:等)?(?:に)?は、?([^。]{1,40}?)をもって(?:これに)?充て/.exec(after) ?? (inOrganisation ? /^は、?([^、。を]{1,20})とする。$/.exec(after) : null);
      if (fill) add(r.text, r.start, r.end, 'appointment', [], splitAssignees(fill[1]!));
    }
  }
  // The role-named items of the organisation section: (２) 統括情報セキュリティ責任者, (情報管理者).
  if (inOrganisation && isTitle) {
    const title = t.replace(/^[（(]|[)）]$/g, '');
    const r = runs.find((x) => x.text === title);
    if (r && isDefinableRole(r.text)) add(r.text, r.start, r.end, 'title');
  }
  return out;
}

/** Article captions of the organisation section, (最高情報セキュリティ責任者) above 第7条. */
export function captionDefinitions(sentences: readonly Analysed[], text: string): RoleDefinition[] {
  const out: RoleDefinition[] = [];
  const seen = new Set<ProvisionNode>();
  for (const a of sentences) {
    const n = a.s.node;
    if (!n || n.kind !== 'article' || !a.inOrganisation || seen.has(n) || n.title === null) continue;
    seen.add(n);
    const inner = n.title.replace(/^[（(]|[)）]$/g, '').trim();
    if (!isDefinableRole(inner) || !/^[^\s、。の]+$/.test(inner)) continue;
    // The caption sits in the article's range (the parser starts an article at its caption) or just above it.
    const inRange = text.indexOf(inner, n.range.start);
    const at = inRange >= 0 && inRange < n.headRange.start ? inRange : text.lastIndexOf(inner, n.range.start);
    if (at < Math.max(0, n.range.start - inner.length - 40)) continue;
    const body = sentences.find((x) => x.s.node === n && !x.s.isTitle);
    out.push({
      name: inner,
      aliases: [],
      kind: 'title',
      range: { start: at, end: at + inner.length },
      clauseRange: body ? sentenceRange(body.s) : { start: at, end: at + inner.length },
      clauseLabel: a.s.label,
      clauseText: body?.s.text ?? inner,
      assignees: [],
    });
  }
  return out;
}

function skipParenthesis(s: string): string {
  const first = s.charCodeAt(0);
  if (first !== 0xff08 && first !== 0x28) return s; // not （ or (
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '（' || s[i] === '(') depth++;
    else if (s[i] === '）' || s[i] === ')') {
      depth--;
      if (depth === 0) return s.slice(i + 1);
    }
  }
  return s;
}

function openParenBefore(t: string, pos: number): number {
  let depth = 0;
  for (let i = pos - 1; i >= 0; i--) {
    const c = t[i]!;
    if (c === '）' || c === ')') depth++;
    else if (c === '（' || c === '(') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function phraseBefore(t: string, pos: number): string {
  const head = t.slice(0, pos);
  const cut = Math.max(head.lastIndexOf('、'), head.lastIndexOf('は'), head.lastIndexOf('を'));
  return head.slice(cut + 1);
}

/** The last particle `p` before `pos` outside brackets. */
function lastParticle(t: string, pos: number, p: string): number {
  let depth = 0;
  for (let i = pos - 1; i >= 0; i--) {
    const c = t[i]!;
    if (c === '）' || c === ')' || c === '」') depth++;
    else if (c === '（' || c === '(' || c === '「') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c === p) return i;
  }
  return -1;
}

/** Where the clause holding `pos` starts: after the subject's は、 or the sentence start. */
function clauseStart(t: string, pos: number): number {
  const head = t.slice(0, pos);
  const wa = head.lastIndexOf('は、');
  return wa >= 0 ? wa + 2 : 0;
}

function establishmentAfter(t: string, from: number, verbs: RegExp): number {
  const rest = t.slice(from);
  const stop = rest.search(/は、|。/);
  const scope = stop >= 0 ? rest.slice(0, stop) : rest;
  for (const m of scope.matchAll(/を/g)) if (verbs.test(scope.slice(m.index))) return from + m.index;
  return -1;
}

function splitAssignees(s: string): string[] {
  const parts = s.split(/、|及び|並びに/).map((x) => x.trim());
  return parts.every((p) => p.length > 0 && p.length <= 24 && !/を|が/.test(p)) ? parts : [s];
}

function cleanAssignee(s: string): string {
  return s.replace(/\s+/g, '').replace(/[（(][^（）()]*[)）]/g, '').replace(/^(?:各|当該)/, '').replace(/等$/, '');
}
