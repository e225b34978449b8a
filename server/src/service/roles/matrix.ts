import type { RelationKind } from '../catalog/types';
import type { TextRange } from '../types';
import type { ActionKind, RoleModel } from './types';

export interface MatrixEntry {
  readonly kind: RelationKind;
  /** `authority`: the role permits, approves, receives or instructs; `requester`: it asks or reports. */
  readonly side: 'authority' | 'requester';
  readonly clauseLabel: string;
  readonly range: TextRange;
}

export interface RoleMatrix {
  readonly roles: readonly { readonly name: string; readonly aliases: readonly string[]; readonly defined: boolean; readonly appointedIn: string | null }[];
  readonly actions: readonly ActionKind[];
  /** Non-empty cells only. */
  readonly cells: readonly { readonly role: string; readonly action: string; readonly entries: readonly MatrixEntry[] }[];
}

/** Roles × actions, each cell listing the clauses that give the role a part in the action. */
export function roleMatrix(model: RoleModel): RoleMatrix {
  const used = new Set(model.relations.flatMap((r) => [...r.authorities, ...r.requesters]));
  const roles = model.roles
    .filter((r) => r.defined || used.has(r.name))
    .map((r) => ({ name: r.name, aliases: r.aliases, defined: r.defined, appointedIn: r.definitions[0]?.clauseLabel ?? null }));
  const actions: ActionKind[] = [];
  const cells = new Map<string, { role: string; action: string; entries: MatrixEntry[] }>();
  for (const r of model.relations) {
    if (!actions.some((a) => a.id === r.action.id)) actions.push(r.action);
    const add = (role: string, side: MatrixEntry['side']): void => {
      const k = `${role}\u0000${r.action.id}`;
      const cell = cells.get(k) ?? { role, action: r.action.id, entries: [] };
      cell.entries.push({ kind: r.kind, side, clauseLabel: r.clauseLabel, range: r.range });
      cells.set(k, cell);
    };
    for (const a of r.authorities) add(a, 'authority');
    for (const q of r.requesters) add(q, 'requester');
  }
  return { roles, actions, cells: [...cells.values()] };
}

const AUTHORITY: Record<RelationKind, string> = { permit: '許可', approve: '承認', report: '報告受', notify: '通知受', appoint: '任命', instruct: '指示' };
const REQUESTER: Record<RelationKind, string> = { permit: '許可申請', approve: '承認申請', report: '報告', notify: '通知', appoint: '被任命', instruct: '指示受' };

function cellText(entries: readonly MatrixEntry[]): string {
  return entries.map((e) => `${e.side === 'authority' ? AUTHORITY[e.kind] : REQUESTER[e.kind]}（${e.clauseLabel}）`).join('<br>');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The matrix as Markdown (actions as rows, roles as columns: roles are few, actions many) or JSON. */
export function renderRoleMatrix(matrix: RoleMatrix, format: 'json' | 'md'): string {
  if (format === 'json') return JSON.stringify(matrix, null, 2);
  const lines: string[] = ['# 役割と承認の一覧', '', '## 役割', '', '| 役割 | 別名 | 任命・定義 |', '|---|---|---|'];
  for (const r of matrix.roles) lines.push(`| ${escapeCell(r.name)} | ${escapeCell(r.aliases.join('、'))} | ${r.defined ? escapeCell(r.appointedIn ?? '') : '（未定義）'} |`);
  const columns = matrix.roles.filter((r) => matrix.cells.some((c) => c.role === r.name));
  lines.push('', '## 事項ごとの許可・承認・報告', '');
  if (matrix.actions.length === 0 || columns.length === 0) {
    lines.push('許可・承認・報告の定めは見つかりませんでした。');
    return lines.join('\n');
  }
  lines.push(`| 事項 | ${columns.map((c) => escapeCell(c.name)).join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`);
  for (const a of matrix.actions) {
    const row = columns.map((c) => cellText(matrix.cells.find((x) => x.role === c.name && x.action === a.id)?.entries ?? []));
    lines.push(`| ${escapeCell(a.label)} | ${row.map(escapeCell).join(' | ')} |`);
  }
  return lines.join('\n');
}
