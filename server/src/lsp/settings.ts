/**
 * workspace/configuration → PolicyConfig, resolved per resource and validated.
 * Malformed settings never crash the server: each bad field falls back to its default with a log line.
 */
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';
import type { RecommendedMarker } from '../service';
import type { Logger, Severity } from '../service/types';

export type RuleSetting = Severity | 'off';

export interface PolicyConfig {
  /** False turns Kijun off for the resource. */
  readonly enable: boolean;
  /** Markdown files matching one of these globs are analysed even without `kijun:` front matter. */
  readonly activationGlobs: readonly string[];
  /** Per finding code: its severity, or 'off' to drop it (kijun.rules). */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** How an adopted 推奨事項 is declared (kijun.recommendedMarker); 'off' drops unmarked-recommendation. */
  readonly recommendedMarker: RecommendedMarker;
  /** The body's name for itself used when adapting 例文 (kijun.organisation.*), or null to read it from the draft. */
  readonly selfReference: string | null;
  /** kijun.catalog.path as written (relative to the workspace folder), or null for the bundled catalog. */
  readonly catalogPath: string | null;
}

/** Mirrors the defaults in package.json `contributes.configuration`. */
export const defaultConfig: PolicyConfig = Object.freeze({
  enable: true,
  activationGlobs: Object.freeze(['**/*ポリシー*.md', '**/*基本方針*.md', '**/*対策基準*.md', '**/policy/**/*.md']),
  rules: Object.freeze({}),
  recommendedMarker: 'inline' as const,
  selfReference: null,
  catalogPath: null,
});

const RULE_VALUES: readonly RuleSetting[] = ['error', 'warning', 'information', 'hint', 'off'];
const MARKERS: readonly RecommendedMarker[] = ['inline', 'frontMatter', 'off'];
const TYPES = ['市', '区', '町', '村', '都', '道', '府', '県'];
const TRACE_VALUES = ['off', 'messages', 'verbose'];

/** 本市 from 市, 本町 from みどり町; an explicit selfReference wins. Fields of the wrong type were reported and dropped. */
function selfReferenceFrom(org: { selfReference?: string; type?: string; name?: string }): string | null {
  const explicit = org.selfReference?.trim() ?? '';
  if (explicit) return explicit;
  const type = org.type?.trim() ?? '';
  if (TYPES.includes(type)) return `本${type}`;
  const name = org.name?.trim() ?? '';
  const last = name.slice(-1);
  if (name && TYPES.includes(last)) return `本${last}`;
  const body = /(協議会|広域連合|組合)$/.exec(name);
  return body ? `本${body[1]}` : null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates the raw `kijun` section; `null`/`undefined` simply means "all defaults". Each malformed field is
 * logged (Japanese / English) and falls back to its default; `problems`, when given, receives the Japanese
 * sentence of each, for a message on screen.
 */
export function validateSettings(raw: unknown, logger: Logger, resource = '', problems?: string[]): PolicyConfig {
  if (raw === null || raw === undefined) return defaultConfig;
  const where = resource ? ` (${resource})` : '';
  const problem = (ja: string, en: string): void => {
    logger.log('warn', `${ja} / ${en}${where}`);
    problems?.push(ja);
  };
  if (!isRecord(raw)) {
    problem('設定 kijun の形が不正なため、すべて既定値を使います', `malformed kijun settings, using defaults: ${JSON.stringify(raw)?.slice(0, 200)}`);
    return defaultConfig;
  }
  let enable = defaultConfig.enable;
  if (raw.enable !== undefined) {
    if (typeof raw.enable === 'boolean') enable = raw.enable;
    else problem('設定 kijun.enable は true / false です。既定値（true）を使います', 'kijun.enable must be a boolean');
  }
  let activationGlobs = defaultConfig.activationGlobs;
  const activation = raw.activation;
  if (activation !== undefined) {
    const globs = isRecord(activation) ? activation.globs : undefined;
    if (Array.isArray(globs)) {
      const valid = globs.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
      if (valid.length !== globs.length) problem('設定 kijun.activation.globs の文字列でない要素（空文字列を含む）を無視しました', 'ignored globs that are not non-empty strings');
      activationGlobs = valid;
    } else if (globs !== undefined || !isRecord(activation)) {
      problem('設定 kijun.activation.globs は文字列の配列です。既定値を使います', 'kijun.activation.globs must be an array of strings');
    }
  }
  let rules = defaultConfig.rules;
  if (raw.rules !== undefined) {
    if (isRecord(raw.rules)) {
      const valid: Record<string, RuleSetting> = {};
      for (const [code, v] of Object.entries(raw.rules)) {
        if (typeof v === 'string' && (RULE_VALUES as readonly string[]).includes(v)) valid[code] = v as RuleSetting;
        else problem(`設定 kijun.rules.${code} は error / warning / information / hint / off のいずれかです。既定の重要度を使います`, `invalid rule setting ${JSON.stringify(v)?.slice(0, 50)}`);
      }
      rules = Object.freeze(valid);
    } else problem('設定 kijun.rules は {"missing-item": "warning", …} の形です。既定値を使います', 'kijun.rules must be an object');
  }
  let recommendedMarker = defaultConfig.recommendedMarker;
  if (raw.recommendedMarker !== undefined) {
    if (typeof raw.recommendedMarker === 'string' && (MARKERS as readonly string[]).includes(raw.recommendedMarker)) recommendedMarker = raw.recommendedMarker as RecommendedMarker;
    else problem('設定 kijun.recommendedMarker は inline / frontMatter / off のいずれかです。既定値（inline）を使います', 'invalid kijun.recommendedMarker');
  }
  let selfReference = defaultConfig.selfReference;
  if (raw.organisation !== undefined) {
    if (isRecord(raw.organisation)) {
      const org: { selfReference?: string; type?: string; name?: string } = {};
      for (const key of ['name', 'type', 'selfReference'] as const) {
        const v = raw.organisation[key];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'string') problem(`設定 kijun.organisation.${key} は文字列です。この値は使いません`, `kijun.organisation.${key} must be a string`);
        else if (key === 'type' && v.trim() !== '' && !TYPES.includes(v.trim())) problem(`設定 kijun.organisation.type は ${TYPES.join('・')} のいずれかです。この値は使いません`, 'invalid kijun.organisation.type');
        else org[key] = v;
      }
      selfReference = selfReferenceFrom(org);
    } else problem('設定 kijun.organisation は {"name": "みどり町", …} の形です。既定値を使います', 'kijun.organisation must be an object');
  }
  let catalogPath = defaultConfig.catalogPath;
  if (raw.catalog !== undefined && raw.catalog !== null) {
    const path = isRecord(raw.catalog) ? raw.catalog.path : undefined;
    if (typeof path === 'string') catalogPath = path.trim() === '' ? null : path.trim();
    else if (path !== undefined && path !== null) problem('設定 kijun.catalog.path はファイルのパス（文字列）です。同梱のカタログを使います', 'kijun.catalog.path must be a string');
    else if (!isRecord(raw.catalog)) problem('設定 kijun.catalog は {"path": "…"} の形です。同梱のカタログを使います', 'kijun.catalog must be an object');
  }
  if (raw.trace !== undefined && raw.trace !== null) {
    const server = isRecord(raw.trace) ? raw.trace.server : undefined;
    if (!(isRecord(raw.trace) && (server === undefined || (typeof server === 'string' && TRACE_VALUES.includes(server))))) {
      problem(`設定 kijun.trace.server は ${TRACE_VALUES.join(' / ')} のいずれかです。既定値（off）を使います`, 'invalid kijun.trace.server');
    }
  }
  return Object.freeze({ enable, activationGlobs, rules, recommendedMarker, selfReference, catalogPath });
}

/** Applies kijun.rules and kijun.recommendedMarker to a finding: its configured severity, or null when turned off. */
export function applyRules<F extends { readonly code: string; readonly severity: Severity }>(finding: F, config: PolicyConfig): F | null {
  if (finding.code === 'unmarked-recommendation' && config.recommendedMarker === 'off') return null;
  const rule = config.rules[finding.code];
  if (rule === undefined) return finding;
  if (rule === 'off') return null;
  return rule === finding.severity ? finding : { ...finding, severity: rule };
}

export interface SettingsStore {
  get(uri: string): Promise<PolicyConfig>;
  /** The settings of the window, no resource (kijun.catalog.path, which holds for the whole server). */
  global(): Promise<PolicyConfig>;
  /** Drops every cached value (after workspace/didChangeConfiguration). */
  invalidate(pushed?: unknown): void;
  forget(uri: string): void;
}

/**
 * Pulls settings per resource when the client supports workspace/configuration; otherwise uses the
 * `kijun` section pushed with didChangeConfiguration. A malformed setting is logged for every resource and
 * shown on screen once (until the settings change again), not once per document.
 */
export function createSettingsStore(connection: Connection, logger: Logger, canPull: () => boolean): SettingsStore {
  const cache = new Map<string, Promise<PolicyConfig>>();
  let pushed: PolicyConfig = defaultConfig;
  let globalConfig: Promise<PolicyConfig> | undefined;
  const shown = new Set<string>();

  function validate(raw: unknown, resource?: string): PolicyConfig {
    const problems: string[] = [];
    const config = validateSettings(raw, logger, resource, problems);
    for (const p of problems) {
      if (shown.has(p)) continue;
      shown.add(p);
      // A notification (window/showMessage), not a request: nothing to wait for, no answer that could fail.
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Kijun: ${p}` }).catch(() => undefined);
    }
    return config;
  }

  return {
    get(uri) {
      if (!canPull()) return Promise.resolve(pushed);
      let hit = cache.get(uri);
      if (!hit) {
        hit = connection.workspace.getConfiguration({ scopeUri: uri, section: 'kijun' }).then(
          (raw: unknown) => validate(raw, uri),
          (err: unknown) => {
            logger.log('warn', `設定を取得できないため既定値を使います / cannot read settings, using defaults: ${String(err)}`);
            return defaultConfig;
          },
        );
        cache.set(uri, hit);
      }
      return hit;
    },
    global() {
      if (!canPull()) return Promise.resolve(pushed);
      globalConfig ??= connection.workspace.getConfiguration({ section: 'kijun' }).then(
        (raw: unknown) => validate(raw),
        (err: unknown) => {
          logger.log('warn', `設定を取得できないため既定値を使います / cannot read settings, using defaults: ${String(err)}`);
          return defaultConfig;
        },
      );
      return globalConfig;
    },
    invalidate(settings) {
      cache.clear();
      globalConfig = undefined;
      shown.clear();
      if (isRecord(settings) && 'kijun' in settings) pushed = validate(settings.kijun);
    },
    forget: (uri) => void cache.delete(uri),
  };
}
