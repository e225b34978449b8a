import type { Catalog, RelationKind } from '../catalog/types';
import type { Tokenizer } from '../morph/types';
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import { actionOfKind, classifyAction, isOther, kindIndex, otherAction } from './actions';
import { analyse, definitionsOf, type Analysed } from './definitions';
import { key, NameTable, recogniseInRun, type Recognised } from './phrases';
import { nearMiss } from './similar';
import { rangeOf, sentenceRange } from './text';
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
 */
export function buildRoleModel(parsed: ParsedPolicy, tokenizer: Tokenizer, catalog: Catalog, workspaceDefinitions: readonly RoleDefinition[] = []): RoleModel {
  const { sentences, organisation } = analyse(parsed, tokenizer);
  const own = definitionsOf(sentences, catalog, parsed.text);
  const roles = groupRoles([...own, ...workspaceDefinitions]);
  const names = new NameTable();
  for (const r of roles) for (const n of [r.name, ...r.aliases]) names.add(n, r.name);
  const definedNames = roles.flatMap((r) => [r.name, ...r.aliases]);
  const ownDefinitionStarts = new Set(own.map((d) => d.range.start));

  const mentions: RoleMention[] = [];
  const locals = new Map<Analysed, Local[]>();
  const recognitionCache = recognitionCacheFor(names, definedNames);
  const readings = new Map<Analysed, SentenceReading>();
  for (const a of sentences) {
    const list: Local[] = [];
    const sentenceReading = reading(a, names, definedNames, recognitionCache);
    readings.set(a, sentenceReading);
    const found = sentenceReading.found;
    if (found.length > 0) {
      const clauseRange = sentenceRange(a.s);
      for (const r of found) {
        const role = r.canonical ?? r.surface;
        const range = rangeOf(a.s, r.start, r.end);
        mentions.push({ role, surface: r.surface, range, isDefinition: ownDefinitionStarts.has(range.start), descriptive: r.descriptive, clauseRange, clauseLabel: a.s.label });
        list.push({ start: r.start, end: r.end, role });
      }
    }
    locals.set(a, list);
  }
  // Roles used but defined nowhere are still roles of the model (with no definition).
  const known = new Set(roles.map((r) => r.name));
  const undefinedRoles: Role[] = [];
  for (const m of mentions) {
    if (known.has(m.role)) continue;
    known.add(m.role);
    undefinedRoles.push({ name: m.role, aliases: [], definitions: [], defined: false });
  }

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
    const last = body?.[body.length - 1];
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

  const duties: Duty[] = [];
  const relations: RoleRelation[] = [];
  const audits: AuditFact[] = [];
  let separationClause: RoleModel['separationClause'] = null;
  for (const a of sentences) {
    if (a.s.isTitle) continue;
    const t = a.s.text;
    const subject = subjects.get(a) ?? null;
    const list = locals.get(a) ?? [];
    if (/兼務/.test(t) && (!separationClause || /承認|許可/.test(t))) {
      if (!separationClause) separationClause = { range: sentenceRange(a.s), clauseLabel: a.s.label };
    }
    for (const role of new Set(subject?.roles ?? [])) {
      duties.push({ role, range: sentenceRange(a.s), clauseLabel: a.s.label, text: t, inherited: subject?.inherited ?? false });
    }
    relations.push(...relationsOf(a, list, subject, () => context.actionBefore(a)));
    audits.push(...auditsOf(a, list, subject));
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

function recognitionCacheFor(names: NameTable, definedNames: readonly string[]): Map<string, SentenceReading> {
  const tableKey = `${names.signature}\u0003${definedNames.join('\u0001')}`;
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

/** Mentions joined by 及び, 並びに, 又は, 、 (with a short qualifier: 及び当該情報システムを管理する情報システム管理者). */
function chains(t: string, list: readonly Local[]): Local[][] {
  const out: Local[][] = [];
  for (const m of list) {
    const cur = out[out.length - 1];
    const last = cur?.[cur.length - 1];
    const gap = last ? t.slice(last.end, m.start).replace(/^等/, '') : '';
    const joined = /^(?:、|及び|並びに|又は|若しくは|と|や)$/.test(gap) || /^(?:、|及び|並びに|又は)(?:(?:当該|その|各)[^。、はが]{0,18}|[^。、はがをに]{1,10}の)$/.test(gap);
    if (cur && last && joined) cur.push(m);
    else out.push([m]);
  }
  return out;
}

function subjectOf(a: Analysed, list: readonly Local[]): Subject | null {
  const t = a.s.text;
  let depth = 0;
  for (const tok of a.tokens) {
    const c = tok.surface;
    if (/^[（(「『]$/.test(c)) depth++;
    else if (/^[）)」』]$/.test(c)) depth = Math.max(0, depth - 1);
    if (depth > 0 || c !== 'は' || tok.pos !== '助詞') continue;
    const p = tok.start;
    const head = t.slice(0, p);
    if (NOT_SUBJECT.test(head) || /[にでとてへ]$/.test(head)) continue;
    const chain = chains(t, list).find((ch) => {
      const end = ch[ch.length - 1]!.end;
      return end <= p && /^等?$/.test(t.slice(end, p));
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
  for (const ch of chains(t, list)) {
    const end = ch[ch.length - 1]!.end;
    const skip = t.startsWith('等', end) ? 1 : 0;
    const after = t.slice(end + skip);
    for (const [re, kindOf, directForm] of AFTER) {
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
  let s = t;
  for (const m of [...list].sort((x, y) => y.start - x.start)) s = s.slice(0, m.start) + '◇' + s.slice(m.end);
  return s;
}
