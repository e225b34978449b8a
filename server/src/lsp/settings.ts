/**
 * workspace/configuration → PolicyConfig, resolved per resource and validated.
 * Malformed settings never crash the server: each bad field falls back to its default with a log line.
 */
import type { Connection } from 'vscode-languageserver/node';
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
}

/** Mirrors the defaults in package.json `contributes.configuration`. */
export const defaultConfig: PolicyConfig = Object.freeze({
  enable: true,
  activationGlobs: Object.freeze(['**/*ポリシー*.md', '**/*基本方針*.md', '**/*対策基準*.md', '**/policy/**/*.md']),
  rules: Object.freeze({}),
  recommendedMarker: 'inline' as const,
  selfReference: null,
});

const RULE_VALUES: readonly RuleSetting[] = ['error', 'warning', 'information', 'hint', 'off'];
const MARKERS: readonly RecommendedMarker[] = ['inline', 'frontMatter', 'off'];
const TYPES = ['市', '区', '町', '村', '都', '道', '府', '県'];

/** 本市 from 市, 本町 from みどり町; an explicit selfReference wins. */
function selfReferenceFrom(org: Record<string, unknown>): string | null {
  const explicit = typeof org.selfReference === 'string' ? org.selfReference.trim() : '';
  if (explicit) return explicit;
  const type = typeof org.type === 'string' ? org.type.trim() : '';
  if (TYPES.includes(type)) return `本${type}`;
  const name = typeof org.name === 'string' ? org.name.trim() : '';
  const last = name.slice(-1);
  if (name && TYPES.includes(last)) return `本${last}`;
  const body = /(協議会|広域連合|組合)$/.exec(name);
  return body ? `本${body[1]}` : null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the raw `kijun` section; `null`/`undefined` simply means "all defaults". */
export function validateSettings(raw: unknown, logger: Logger, resource = ''): PolicyConfig {
  if (raw === null || raw === undefined) return defaultConfig;
  const where = resource ? ` (${resource})` : '';
  if (!isRecord(raw)) {
    logger.log('warn', `設定 kijun が不正なため既定値を使います / malformed kijun settings, using defaults${where}: ${JSON.stringify(raw)}`);
    return defaultConfig;
  }
  let enable = defaultConfig.enable;
  if (raw.enable !== undefined) {
    if (typeof raw.enable === 'boolean') enable = raw.enable;
    else logger.log('warn', `設定 kijun.enable は true/false です / kijun.enable must be a boolean${where}`);
  }
  let activationGlobs = defaultConfig.activationGlobs;
  const activation = raw.activation;
  if (activation !== undefined) {
    const globs = isRecord(activation) ? activation.globs : undefined;
    if (Array.isArray(globs)) {
      const valid = globs.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
      if (valid.length !== globs.length) logger.log('warn', `kijun.activation.globs の文字列以外の要素を無視しました / ignored non-string globs${where}`);
      activationGlobs = valid;
    } else if (globs !== undefined || !isRecord(activation)) {
      logger.log('warn', `設定 kijun.activation.globs は文字列の配列です / kijun.activation.globs must be an array of strings${where}`);
    }
  }
  let rules = defaultConfig.rules;
  if (raw.rules !== undefined) {
    if (isRecord(raw.rules)) {
      const valid: Record<string, RuleSetting> = {};
      for (const [code, v] of Object.entries(raw.rules)) {
        if (typeof v === 'string' && (RULE_VALUES as readonly string[]).includes(v)) valid[code] = v as RuleSetting;
        else logger.log('warn', `kijun.rules.${code} は error / warning / information / hint / off のいずれかです / invalid rule setting${where}`);
      }
      rules = Object.freeze(valid);
    } else logger.log('warn', `設定 kijun.rules は {"missing-item": "warning", …} の形です / kijun.rules must be an object${where}`);
  }
  let recommendedMarker = defaultConfig.recommendedMarker;
  if (raw.recommendedMarker !== undefined) {
    if (typeof raw.recommendedMarker === 'string' && (MARKERS as readonly string[]).includes(raw.recommendedMarker)) recommendedMarker = raw.recommendedMarker as RecommendedMarker;
    else logger.log('warn', `設定 kijun.recommendedMarker は inline / frontMatter / off のいずれかです / invalid kijun.recommendedMarker${where}`);
  }
  let selfReference = defaultConfig.selfReference;
  if (raw.organisation !== undefined) {
    if (isRecord(raw.organisation)) selfReference = selfReferenceFrom(raw.organisation);
    else logger.log('warn', `設定 kijun.organisation が不正です / kijun.organisation must be an object${where}`);
  }
  return Object.freeze({ enable, activationGlobs, rules, recommendedMarker, selfReference });
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
  /** Drops every cached value (after workspace/didChangeConfiguration). */
  invalidate(pushed?: unknown): void;
  forget(uri: string): void;
}

/**
 * Pulls settings per resource when the client supports workspace/configuration; otherwise uses the
 * `kijun` section pushed with didChangeConfiguration.
 */
export function createSettingsStore(connection: Connection, logger: Logger, canPull: () => boolean): SettingsStore {
  const cache = new Map<string, Promise<PolicyConfig>>();
  let pushed: PolicyConfig = defaultConfig;

  return {
    get(uri) {
      if (!canPull()) return Promise.resolve(pushed);
      let hit = cache.get(uri);
      if (!hit) {
        hit = connection.workspace.getConfiguration({ scopeUri: uri, section: 'kijun' }).then(
          (raw: unknown) => validateSettings(raw, logger, uri),
          (err: unknown) => {
            logger.log('warn', `設定を取得できないため既定値を使います / cannot read settings, using defaults: ${String(err)}`);
            return defaultConfig;
          },
        );
        cache.set(uri, hit);
      }
      return hit;
    },
    invalidate(settings) {
      cache.clear();
      if (isRecord(settings) && 'kijun' in settings) pushed = validateSettings(settings.kijun, logger);
    },
    forget: (uri) => void cache.delete(uri),
  };
}
