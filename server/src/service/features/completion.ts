/**
 * Completion inside a draft: the 例文 clauses that match the keyword just typed (パスワード, 持ち出し, USB),
 * inserted in the draft's terms; and role names and defined terms (the guideline's, renamed as the draft
 * renames them, plus those the draft defines with 以下「X」という). Reads only the text, the parse and the
 * catalog's search index: never the alignment, so that it costs next to nothing per keystroke.
 */
import type { Catalog } from '../catalog/types';
import { searchCatalog } from '../catalog';
import type { ParsedPolicy } from '../parse/types';
import type { TextRange } from '../types';
import { adaptWording, type Adaptation } from './adapt';

export type PolicyCompletionKind = 'clause' | 'role' | 'term';

export interface PolicyCompletion {
  readonly label: string;
  readonly kind: PolicyCompletionKind;
  readonly detail: string;
  /** Markdown. */
  readonly documentation?: string;
  /** The text the completion replaces (the keyword or name prefix). */
  readonly range: TextRange;
  readonly newText: string;
  /** What the editor matches the typed prefix against. */
  readonly filterText: string;
  readonly sortText: string;
}

const BREAK = /[\s、。，．,.「」『』（）()【】［］[\]・：:；;！!？?]/u;
const MAX_KEYWORD = 16;
const CLAUSES = 8;

/**
 * `text` is the current text; `parsed` may be an older parse of the same document (only the names it
 * defines are read from it).
 */
export function completionsAt(text: string, offset: number, parsed: ParsedPolicy, catalog: Catalog, adaptation: Adaptation): PolicyCompletion[] {
  if (insideFrontMatter(text, offset)) return [];
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  let k = before.length;
  while (k > 0 && !BREAK.test(before.charAt(k - 1)) && before.length - k < MAX_KEYWORD) k--;
  // Skip a provision number or list marker glued to the keyword (①パスワード, (3)USB).
  const rawWord = before.slice(k);
  const word = rawWord.replace(/^(?:[①-⑳]|[(（][0-9０-９ア-ン一-十]{1,3}[)）]|第[0-9０-９一-十百]+条)/u, '');
  const wordStart = offset - word.length;
  if (word.length === 0) return [];
  const range = { start: wordStart, end: offset };
  return [...nameCompletions(parsed, catalog, adaptation, word, range), ...clauseCompletions(catalog, adaptation, word, range)];
}

function clauseCompletions(catalog: Catalog, adaptation: Adaptation, word: string, range: TextRange): PolicyCompletion[] {
  if (word.length < 2) return [];
  const hits = searchCatalog(catalog, word.normalize('NFKC'), CLAUSES * 2).filter((h) => h.item.text.trim() !== '');
  return hits.slice(0, CLAUSES).map(({ item }, i) => {
    const wording = adaptWording(item.text, catalog, adaptation) + (item.recommended ? '【推奨事項】' : '');
    return {
      label: `${item.id} ${clip(item.title ?? item.text, 28)}`,
      kind: 'clause',
      detail: `ガイドライン ${item.id}（${item.recommended ? '推奨事項' : '必須'}）の例文`,
      documentation: `${wording}\n\n*${item.sectionTitle}*`,
      range,
      newText: wording,
      filterText: `${word} ${item.id} ${item.text}`,
      sortText: `2${String(i).padStart(3, '0')}`,
    };
  });
}

function nameCompletions(parsed: ParsedPolicy, catalog: Catalog, adaptation: Adaptation, word: string, range: TextRange): PolicyCompletion[] {
  const names = namesOf(parsed, catalog, adaptation);
  // The longest tail of the typed text that starts a name: 「…は、統括」 completes 統括情報セキュリティ責任者.
  for (let start = 0; start <= word.length - 2; start++) {
    const prefix = word.slice(start);
    const hits = names.filter((n) => n.name.startsWith(prefix) && n.name !== prefix);
    if (hits.length === 0) continue;
    const r = { start: range.start + start, end: range.end };
    return hits.slice(0, 20).map((n, i) => ({
      label: n.name,
      kind: n.kind,
      detail: n.detail,
      ...(n.documentation ? { documentation: n.documentation } : {}),
      range: r,
      newText: n.name,
      filterText: n.name,
      sortText: `1${String(i).padStart(3, '0')}`,
    }));
  }
  return [];
}

interface Name {
  readonly name: string;
  readonly kind: 'role' | 'term';
  readonly detail: string;
  readonly documentation?: string;
}

const DEFINED = /以下[「『]([^」』]{1,30})[」』]という/gu;
const nameCache = new WeakMap<ParsedPolicy, Name[]>();

function namesOf(parsed: ParsedPolicy, catalog: Catalog, adaptation: Adaptation): Name[] {
  const hit = nameCache.get(parsed);
  if (hit) return hit;
  const out = new Map<string, Name>();
  const renamed = new Map(adaptation.renames.map(([draft, guideline]) => [guideline, draft]));
  for (const m of parsed.text.matchAll(DEFINED)) {
    const name = m[1]!.trim();
    if (name && !out.has(name)) out.set(name, { name, kind: 'role', detail: 'この草案で定義した名称' });
  }
  for (const r of catalog.roles) {
    const name = renamed.get(r.name) ?? r.name;
    if (!out.has(name)) out.set(name, { name, kind: 'role', detail: renamed.has(r.name) ? `役割（ガイドラインの${r.name}）` : 'ガイドラインの役割', ...(r.definedIn ? { documentation: `ガイドライン ${r.definedIn} で定義` } : {}) });
    for (const a of r.aliases) if (!out.has(a)) out.set(a, { name: a, kind: 'role', detail: `${r.name}の略称` });
  }
  for (const t of catalog.terms) {
    if (!out.has(t.term)) out.set(t.term, { name: t.term, kind: 'term', detail: '用語（ガイドラインの定義）', documentation: t.definition });
  }
  const names = [...out.values()];
  nameCache.set(parsed, names);
  return names;
}

function insideFrontMatter(text: string, offset: number): boolean {
  if (!/^---[ \t]*\r?\n/.test(text)) return false;
  const close = /\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text.slice(3));
  return close !== null && offset <= 3 + close.index + close[0].length;
}

function clip(s: string, n: number): string {
  const t = s.replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n)}…` : t;
}
