/**
 * YAML front matter (`---` … `---` at the very start) and what the document says about itself:
 * its kind, the organisation and how it calls itself (本市, 本協議会 …). Without front matter these are inferred.
 */
import { detached } from '../text/detach';
import { parse as parseYaml } from 'yaml';
import { detectSelfReference, detectSelfReferenceInLines } from '../text/normalize';
import type { Finding, TextRange } from '../types';
import type { FrontMatter, OrganisationType, PolicyKind } from './types';

export interface FrontMatterResult {
  readonly frontMatter: FrontMatter;
  /** Offset where the body starts (after the closing fence), 0 without front matter. */
  readonly bodyStart: number;
  readonly findings: readonly Finding[];
}

const OPEN_RE = /^---[ \t]*(?:\r\n|\n|\r)/;
const CLOSE_RE = /(?:^|\r\n|\n|\r)(---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)/g;

export function readFrontMatter(text: string): FrontMatterResult {
  const open = OPEN_RE.exec(text);
  if (!open) return { frontMatter: { data: null, range: null }, bodyStart: 0, findings: [] };
  CLOSE_RE.lastIndex = open[0].length - 1;
  const close = CLOSE_RE.exec(text);
  if (!close) return { frontMatter: { data: null, range: null }, bodyStart: 0, findings: [] };
  const closeFenceStart = close.index + close[0].indexOf(close[1]!);
  const range: TextRange = { start: 0, end: closeFenceStart + close[1]!.length };
  const bodyStart = close.index + close[0].length;
  const yamlText = text.slice(open[0].length, Math.max(open[0].length, close.index));
  try {
    const data: unknown = parsedYaml(yamlText);
    if (data === null || data === undefined) return { frontMatter: { data: {}, range }, bodyStart, findings: [] };
    if (typeof data !== 'object' || Array.isArray(data)) {
      return {
        frontMatter: { data: null, range },
        bodyStart,
        findings: [invalid(range, 'キーと値の組ではありません')],
      };
    }
    return { frontMatter: { data: data as Record<string, unknown>, range }, bodyStart, findings: [] };
  } catch (e) {
    const detail = (e instanceof Error ? e.message.split('\n')[0]! : String(e)).replace(/[:：]\s*$/, '');
    return { frontMatter: { data: null, range }, bodyStart, findings: [invalid(range, `YAML の構文エラー: ${detail}`)] };
  }
}

/** The last YAML read: the front matter is parsed again only when it changed (a parse is per keystroke). */
let lastYaml: { readonly text: string; readonly data: unknown; readonly error: unknown } | null = null;

/** parseYaml, throwing as it does; its value is shared between parses, so nothing may change it (it is typed read-only). */
function parsedYaml(text: string): unknown {
  if (lastYaml?.text !== text) {
    let data: unknown = undefined;
    let error: unknown = undefined;
    try {
      data = parseYaml(text);
    } catch (e) {
      error = e ?? new Error(String(e));
    }
    // Detached: kept until the front matter changes, a slice would keep that version's whole text.
    lastYaml = { text: detached(text), data, error };
  }
  if (lastYaml.error !== undefined) throw lastYaml.error;
  return lastYaml.data;
}

function invalid(range: TextRange, detail: string): Finding {
  return {
    code: 'invalid-front-matter',
    severity: 'warning',
    message: `フロントマターを読み取れません（${detail}）`,
    range,
  };
}

/** The settings block: top level, or nested under `kijun:` / `policy:`. */
export function frontMatterSettings(data: Readonly<Record<string, unknown>> | null): Readonly<Record<string, unknown>> {
  if (!data) return {};
  for (const key of ['kijun', 'policy']) {
    const v = data[key];
    if (v && typeof v === 'object' && !Array.isArray(v)) return { ...data, ...(v as Record<string, unknown>) };
  }
  return data;
}

function firstString(obj: Readonly<Record<string, unknown>>, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const name = (v as Record<string, unknown>)['name'] ?? (v as Record<string, unknown>)['名称'];
      if (typeof name === 'string' && name.trim() !== '') return name.trim();
    }
  }
  return null;
}

export function kindFromString(s: string): PolicyKind | null {
  const t = s.trim().toLowerCase();
  if (/^(basic[-_ ]?policy|基本方針)$/.test(t)) return 'basic-policy';
  if (/^(standards?|対策基準)$/.test(t)) return 'standards';
  if (/^(procedures?|実施手順)$/.test(t)) return 'procedures';
  if (/^(combined|基本方針[+＋・及び]*対策基準|ポリシー|一体)$/.test(t)) return 'combined';
  return null;
}

export function organisationTypeOf(name: string): OrganisationType {
  const t = name.trim();
  if (/(都|道|府|県)$/.test(t)) return '都道府県';
  if (/市$/.test(t)) return '市';
  if (/区$/.test(t)) return '区';
  if (/町$/.test(t)) return '町';
  if (/村$/.test(t)) return '村';
  return 'その他';
}

function organisationTypeFrom(s: string): OrganisationType | null {
  const t = s.trim();
  if (['市', '区', '町', '村', '都道府県', 'その他'].includes(t)) return t as OrganisationType;
  if (/^(都|道|府|県|prefecture)$/i.test(t)) return '都道府県';
  const en: Record<string, OrganisationType> = { city: '市', ward: '区', town: '町', village: '村', other: 'その他' };
  return en[t.toLowerCase()] ?? null;
}

export interface DocumentIdentity {
  readonly kind: PolicyKind;
  readonly organisationName: string | null;
  readonly organisationType: OrganisationType | null;
  readonly selfReference: string | null;
}

/** Combines front matter settings with what the text shows; front matter wins. */
export function identify(
  frontMatter: FrontMatter,
  body: string,
  counts: { readonly articles: number },
  /** The body's lines as the parser split them (offsets from the text's start, the body's at `bodyStart`), to count self-names by. */
  lines?: { readonly lines: readonly { readonly text: string }[]; readonly starts: ArrayLike<number>; readonly bodyStart: number },
): DocumentIdentity {
  const s = frontMatterSettings(frontMatter.data);
  const kindText = firstString(s, ['kind', 'type', 'document', '種別', '文書', 'documentKind']);
  const fmKind = kindText ? kindFromString(kindText) : null;
  const fmName = firstString(s, ['organisation', 'organization', 'org', '団体', '団体名', '組織', 'name']);
  const typeText = firstString(s, ['organisationType', 'organizationType', 'orgType', '団体種別']);
  const fmType = typeText ? organisationTypeFrom(typeText) : null;
  const fmSelf = firstString(s, ['selfReference', '自称']);

  const title = inferTitle(body);
  const name = fmName ?? (title ? organisationFromTitle(title) : null);
  const self = fmSelf ?? (lines ? detectSelfReferenceInLines(lines.lines, lines.starts, lines.bodyStart + SELF_REFERENCE_SPAN) : inferSelfReference(body));
  let type = fmType ?? (name ? organisationTypeOf(name) : null);
  if (!type && self) type = organisationTypeOf(self.slice(1));
  return {
    kind: fmKind ?? inferKind(title, body, counts.articles),
    organisationName: name,
    organisationType: type,
    selfReference: self,
  };
}

function inferTitle(body: string): string | null {
  const head = body.slice(0, 4000).split(/\r\n|\n|\r/);
  for (const raw of head) {
    const line = raw.replace(/^#+\s*/, '').trim();
    if (line.length > 0 && /情報セキュリティ|ポリシー|基本方針|対策基準|実施手順/.test(line)) return line;
  }
  return null;
}

function organisationFromTitle(title: string): string | null {
  const m = /^(.+?)(?:情報セキュリティ|セキュリティポリシー)/.exec(title);
  const name = m?.[1]?.trim();
  return name && name.length <= 40 ? name : null;
}

/** How much of the body the self-reference is counted in. */
const SELF_REFERENCE_SPAN = 200_000;

function inferSelfReference(body: string): string | null {
  return detectSelfReference(body.length > SELF_REFERENCE_SPAN ? body.slice(0, SELF_REFERENCE_SPAN) : body);
}

function inferKind(title: string | null, body: string, articles: number): PolicyKind {
  const t = title ?? '';
  if (/基本方針/.test(t) && /対策基準/.test(t)) return 'combined';
  if (/基本方針/.test(t)) return 'basic-policy';
  if (/対策基準/.test(t)) return 'standards';
  if (/実施手順/.test(t)) return 'procedures';
  const hasBasic = /基本方針/.test(body.slice(0, 20000));
  if (/ポリシー/.test(t) && (articles >= 30 || hasBasic)) return 'combined';
  return 'unknown';
}
