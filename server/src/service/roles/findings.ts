import type { Catalog } from '../catalog/types';
import { runRule } from '../rules/isolate';
import type { ProvisionNode } from '../parse/types';
import type { Finding, Fix, RelatedLocation } from '../types';
import { isOther } from './actions';
import { key } from './phrases';
import { nearMiss } from './similar';
import type { Role, RoleFindingOptions, RoleMention, RoleModel, RoleRelation } from './types';

/**
 * Findings of the role model:
 * - `undefined-role` (warning): a role used but appointed or defined nowhere, here or in the workspace;
 * - `conflicting-approvers` (warning): one kind of action permitted or approved by different roles;
 * - `self-approval` (warning): a role approves its own request or audits its own work (兼務の禁止);
 * - `unused-role` (information, only with `unusedRole`): a role appointed but given no duty.
 */
export function roleFindings(model: RoleModel, options: RoleFindingOptions = {}): Finding[] {
  const out = [
    ...runRule('undefined-role', () => undefinedRoles(model, options)),
    ...runRule('conflicting-approvers', () => conflictingApprovers(model)),
    ...runRule('self-approval', () => selfApprovals(model)),
  ];
  if (options.unusedRole) out.push(...runRule('unused-role', () => unusedRoles(model)));
  return out.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
}

/** The guideline's appointment sentence of each role it appoints, for the insert fix (本市 → the body's name). */
export function guidelineAppointments(catalog: Catalog): Map<string, { itemId: string; text: string }> {
  const out = new Map<string, { itemId: string; text: string }>();
  for (const r of catalog.roles) {
    if (!r.definedIn) continue;
    // The appointment is in the titled item (1(6)) or its first child (1(5)①).
    const items = catalog.items.filter((i) => i.id === r.definedIn || i.parent === r.definedIn);
    const sentence = items.flatMap((i) => i.text.split(/(?<=。)/)).find((x) => x.includes(r.name) && /とする。$/.test(x));
    if (items.length > 0) out.set(key(r.name), { itemId: r.definedIn, text: sentence?.replace(/\s+/g, '') ?? '' });
  }
  return out;
}

function undefinedRoles(model: RoleModel, options: RoleFindingOptions): Finding[] {
  const defined = model.roles.filter((r) => r.defined);
  const definedNames = defined.flatMap((r) => [r.name, ...r.aliases]);
  const definedRoles = new Set(defined.map((r) => r.name));
  const groups = new Map<string, RoleMention[]>();
  for (const m of model.mentions) {
    if (definedRoles.has(m.role)) continue;
    const list = groups.get(m.role) ?? [];
    list.push(m);
    groups.set(m.role, list);
  }
  const out: Finding[] = [];
  for (const [name, mentions] of groups) {
    const suggestion = nearMiss(name, definedNames);
    const first = mentions[0]!;
    const related: RelatedLocation[] = mentions.slice(1).map((m) => ({ range: m.range, message: `『${name}』の記載（${m.clauseLabel}）` }));
    const target = suggestion ? defined.find((r) => [r.name, ...r.aliases].includes(suggestion)) : undefined;
    const definition = target?.definitions[0];
    if (definition) related.push({ ...(definition.uri ? { uri: definition.uri } : {}), range: definition.range, message: `『${suggestion}』の任命・定義（${definition.clauseLabel}）` });
    const fixes: Fix[] = [];
    if (suggestion) fixes.push({ title: `『${suggestion}』に置き換える`, edits: mentions.map((m) => ({ range: m.range, newText: suggestion })), isPreferred: true });
    const guideline = options.guidelineAppointments?.get(key(name));
    const insert = appointmentInsertion(model, name, guideline?.text ?? '');
    if (insert) fixes.push(insert);
    out.push({
      code: 'undefined-role',
      severity: 'warning',
      message: `『${name}』は任命・定義されていません${suggestion ? `（『${suggestion}』の誤りではありませんか）` : ''}`,
      range: first.range,
      ...(guideline ? { guidelineId: guideline.itemId } : {}),
      ...(related.length > 0 ? { related } : {}),
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return out;
}

/** An appointment clause for `name` after the last provision of the organisation section, numbered and captioned like its siblings. */
function appointmentInsertion(model: RoleModel, name: string, guidelineSentence: string): Fix | null {
  const org = model.organisation;
  if (!org) return null;
  const text = model.text;
  const sentence = guidelineSentence ? guidelineSentence.replace(/本市/g, model.selfReference ?? '本市') : `○○を${name}とする。`;
  const last = org.children[org.children.length - 1];
  const anchor = last ?? org;
  let at = anchor.range.end;
  while (at > anchor.range.start && /\s/.test(text[at - 1]!)) at--;
  let block = sentence;
  if (last) {
    const lineStart = text.lastIndexOf('\n', last.headRange.start - 1) + 1;
    const marker = /^(?:#{1,6}[ \t]+|[-*+][ \t]+)?/.exec(text.slice(lineStart, last.headRange.start))?.[0] ?? '';
    if (last.kind === 'article') {
      const number = nextArticle(last.numberText ?? '');
      const gap = text[last.numberRange?.end ?? -1] === ' ' || text[last.numberRange?.end ?? -1] === '　' ? text[last.numberRange!.end]! : ' ';
      const caption = captionStyle(text, last);
      block = `${caption ? `${caption.open}${name}${caption.close}\n\n` : ''}${marker}${number}${gap}${sentence}`;
    } else {
      const number = last.numberText ? nextNumber(last.numberText.replace(/\s+/g, '')) : null;
      const sep = last.numberRange && /[ \t\u3000]/.test(text[last.numberRange.end] ?? '') ? text[last.numberRange.end]! : '';
      if (number === null) block = sentence;
      else if (last.title !== null) block = `${marker}${number}${sep}${name}\n\n${sentence}`;
      else block = `${marker}${number}${sep}${sentence}`;
    }
  }
  const orgTitle = (org.title ?? '組織体制').replace(/^[（(]|[)）]$/g, '');
  return { title: `${orgTitle}に『${name}』の任命条項を追加する`, edits: [{ range: { start: at, end: at }, newText: `\n\n${block}` }] };
}

function captionStyle(text: string, article: ProvisionNode): { open: string; close: string } | null {
  if (article.title === null) return null;
  const before = text.slice(Math.max(0, article.range.start - 80), article.range.start);
  const m = /([（(])[^（()）\n]*([)）])\s*$/.exec(before);
  return m ? { open: m[1]!, close: m[2]! } : { open: '（', close: '）' };
}

const KANJI = '〇一二三四五六七八九十';
const KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
const IROHA = 'イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス';

/** The number after `n` in the same notation: (９) → (１０), ③ → ④, ア → イ, 十 → 十一; null when unknown. */
export function nextNumber(n: string): string | null {
  const digits = /([0-9]+|[０-９]+)(?!.*[0-9０-９])/.exec(n);
  if (digits) {
    const wide = /[０-９]/.test(digits[1]!);
    const value = Number(digits[1]!.replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10))) + 1;
    const s = wide ? String(value).replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x30 + 0xff10)) : String(value);
    return n.slice(0, digits.index) + s + n.slice(digits.index + digits[1]!.length);
  }
  const circled = /[①-⑲]/.exec(n);
  if (circled) return n.replace(circled[0], String.fromCharCode(circled[0].charCodeAt(0) + 1));
  const kana = /[ア-ン]/.exec(n);
  if (kana) {
    const order = n.includes('イ') && !n.includes('ア') ? IROHA : KATAKANA;
    const i = order.indexOf(kana[0]);
    return i >= 0 && i + 1 < order.length ? n.replace(kana[0], order[i + 1]!) : null;
  }
  const kanji = /[一二三四五六七八九十]+/.exec(n);
  if (kanji) {
    const v = kanjiValue(kanji[0]);
    return v === null || v >= 99 ? null : n.replace(kanji[0], kanjiOf(v + 1));
  }
  return null;
}

function kanjiValue(s: string): number | null {
  if (s === '十') return 10;
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m) return null;
  if (!m[2]) return KANJI.indexOf(m[1] ?? m[3] ?? '〇');
  return (m[1] ? KANJI.indexOf(m[1]) : 1) * 10 + (m[3] ? KANJI.indexOf(m[3]) : 0);
}

function kanjiOf(v: number): string {
  const tens = Math.floor(v / 10);
  const ones = v % 10;
  return `${tens > 1 ? KANJI[tens] : ''}${tens > 0 ? '十' : ''}${ones > 0 ? KANJI[ones] : ''}`;
}

/** 第12条 → 第12条の2 (a branch number keeps the following articles' numbers), 第12条の2 → 第12条の3. */
export function nextArticle(n: string): string {
  const branch = /の([0-9０-９]+|[一二三四五六七八九十]+)$/.exec(n);
  if (branch) return n.slice(0, branch.index) + 'の' + (nextNumber(branch[1]!) ?? '2');
  const wide = /[０-９]/.test(n);
  const kanji = /[一二三四五六七八九十]条$/.test(n);
  return `${n}の${kanji ? '二' : wide ? '２' : '2'}`;
}

const APPROVALS = new Set(['permit', 'approve']);

function defined(model: RoleModel, name: string): Role | undefined {
  return model.roles.find((r) => r.name === name && r.defined);
}

function conflictingApprovers(model: RoleModel): Finding[] {
  const groups = new Map<string, { r: RoleRelation; auth: string[] }[]>();
  for (const r of model.relations) {
    if (!APPROVALS.has(r.kind) || isOther(r.action)) continue;
    // An undefined approver is reported as such; comparing it would report the same slip twice.
    const auth = r.authorities.filter((a) => defined(model, a));
    if (auth.length === 0) continue;
    const list = groups.get(r.action.id) ?? [];
    list.push({ r, auth });
    groups.set(r.action.id, list);
  }
  const out: Finding[] = [];
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    // The approvers most clauses name are the rule; the clauses that share none of them are the exceptions.
    const counts = new Map<string, { auth: string[]; n: number }>();
    for (const x of list) {
      const k = [...x.auth].sort().join('+');
      counts.set(k, { auth: x.auth, n: (counts.get(k)?.n ?? 0) + 1 });
    }
    const reference = [...counts.values()].sort((a, b) => b.n - a.n)[0]!.auth;
    const refClause = list.find((x) => sameSet(x.auth, reference))!;
    for (const x of list) {
      if (x.auth.some((a) => reference.includes(a))) continue;
      const label = x.r.action.label;
      out.push({
        code: 'conflicting-approvers',
        severity: 'warning',
        message: `『${label}』の許可・承認者が条項によって異なります（${x.r.clauseLabel}は${names(x.auth)}、${refClause.r.clauseLabel}は${names(reference)}）`,
        range: x.r.range,
        related: list.filter((o) => o !== x).map((o) => ({ range: o.r.range, message: `${o.r.clauseLabel}: 『${label}』の許可・承認者は${names(o.auth)}` })),
      });
    }
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function names(list: readonly string[]): string {
  return list.map((n) => `『${n}』`).join('及び');
}

/** Who holds a role, when one person or one other role does. */
function holders(model: RoleModel, name: string): string[] {
  const role = model.roles.find((r) => r.name === name);
  return [...new Set((role?.definitions ?? []).flatMap((d) => d.assignees))];
}

/** samePerson's answers per model (asked for each requester and authority of every approval: a few pairs, many times). */
const samePersonAnswers = new WeakMap<RoleModel, Map<string, Map<string, string | null>>>();

function samePerson(model: RoleModel, a: string, b: string): string | null {
  let byA = samePersonAnswers.get(model);
  if (!byA) samePersonAnswers.set(model, (byA = new Map()));
  let answers = byA.get(a);
  if (!answers) byA.set(a, (answers = new Map()));
  let answer = answers.get(b);
  if (answer === undefined) answers.set(b, (answer = samePersonOf(model, a, b)));
  return answer;
}

function samePersonOf(model: RoleModel, a: string, b: string): string | null {
  const namesOf = (n: string): string[] => {
    const r = model.roles.find((x) => x.name === n);
    return r ? [r.name, ...r.aliases].map(key) : [key(n)];
  };
  const ha = holders(model, a);
  const hb = holders(model, b);
  if (ha.some((h) => namesOf(b).includes(key(h)))) return b;
  if (hb.some((h) => namesOf(a).includes(key(h)))) return a;
  if (ha.length === 1 && hb.length === 1 && key(ha[0]!) === key(hb[0]!)) return ha[0]!;
  return null;
}

function selfApprovals(model: RoleModel): Finding[] {
  const out: Finding[] = [];
  const separation: RelatedLocation[] = model.separationClause ? [{ range: model.separationClause.range, message: `兼務の禁止（${model.separationClause.clauseLabel}）` }] : [];
  for (const r of model.relations) {
    if (!APPROVALS.has(r.kind) || !r.direct) continue;
    const verb = r.kind === 'approve' ? '承認' : '許可';
    const same = r.requesters.find((q) => r.authorities.includes(q));
    if (same) {
      out.push({ code: 'self-approval', severity: 'warning', message: `『${same}』が自らの申請を${verb}することになります（申請者と${verb}者の兼務）`, range: r.range, related: separation });
      continue;
    }
    for (const q of r.requesters) {
      const a = r.authorities.find((x) => samePerson(model, q, x) !== null);
      if (!a) continue;
      const person = samePerson(model, q, a)!;
      const defs = [q, a].flatMap((n) => model.roles.find((x) => x.name === n)?.definitions.slice(0, 1) ?? []);
      out.push({
        code: 'self-approval',
        severity: 'warning',
        message: `『${q}』と『${a}』は同じ者（${person}）が務めるため、自らの申請を${verb}することになります`,
        range: r.range,
        related: [...defs.map((d) => ({ ...(d.uri ? { uri: d.uri } : {}), range: d.range, message: `『${d.name}』の任命（${d.clauseLabel}）` })), ...separation],
      });
      break;
    }
  }
  const auditors = new Set(model.audits.filter((x) => x.kind === 'audit').map((x) => x.role));
  for (const role of auditors) {
    const checks = model.audits.filter((x) => x.kind === 'self-check' && x.role === role);
    if (checks.length === 0) continue;
    const audit = model.audits.find((x) => x.kind === 'audit' && x.role === role)!;
    out.push({
      code: 'self-approval',
      severity: 'warning',
      message: `『${role}』が自ら自己点検を行う業務を監査することになります（監査を受ける者と監査を実施する者の兼務）`,
      range: audit.range,
      related: [...checks.map((c) => ({ range: c.range, message: `『${role}』の自己点検（${c.clauseLabel}）` })), ...separation],
    });
  }
  return out;
}

function unusedRoles(model: RoleModel): Finding[] {
  const out: Finding[] = [];
  const assigned = new Set(model.roles.flatMap((r) => r.definitions.flatMap((d) => d.assignees)).map(key));
  for (const role of model.roles) {
    const own = role.definitions.filter((d) => !d.uri);
    if (!role.defined || own.length === 0) continue;
    const definitionClauses = new Set(role.definitions.map((d) => d.clauseRange.start));
    const hasDuty = model.duties.some((d) => d.role === role.name && !definitionClauses.has(d.range.start));
    const inRelation = model.relations.some((r) => r.authorities.includes(role.name) || r.requesters.includes(role.name));
    const audited = model.audits.some((a) => a.role === role.name);
    // 「CSIRT の設置に関する詳細は、別に定める」: the duties are in another document.
    const elsewhere = model.mentions.some((m) => m.role === role.name && /別に定め|別途定め/.test(model.text.slice(m.clauseRange.start, m.clauseRange.end)));
    const holdsAnother = [role.name, ...role.aliases].some((n) => assigned.has(key(n)));
    // 「…作業を行う者を情報システム担当者とする」: the appointment itself says what the role does.
    const definedByWork = own.some((d) => d.assignees.some((a) => /(?:行う|する|従事する)者$/.test(a)));
    // 委員会は、委員長、副委員長及び委員をもって構成する: a member's part is its organ's.
    const member = model.mentions.some((m) => m.role === role.name && !m.isDefinition && /構成する/.test(model.text.slice(m.clauseRange.start, m.clauseRange.end)));
    if (hasDuty || inRelation || audited || elsewhere || holdsAnother || definedByWork || member) continue;
    // CSIRT責任者 belongs to CSIRT: when CSIRT's duties are set out elsewhere, so are its head's.
    const parent = model.roles.find((r) => r !== role && r.defined && key(role.name).startsWith(key(r.name)));
    if (parent && model.mentions.some((m) => m.role === parent.name && /別に定め|別途定め/.test(model.text.slice(m.clauseRange.start, m.clauseRange.end)))) continue;
    out.push({ code: 'unused-role', severity: 'information', message: `『${role.name}』は任命されていますが、職務が定められていません`, range: own[0]!.range });
  }
  return out;
}
