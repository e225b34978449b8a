/**
 * workspace/configuration → PolicyConfig, resolved per resource and validated.
 * Malformed settings never crash the server: each bad field falls back to its default with a log line.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { Logger } from '../service/types';

export interface PolicyConfig {
  /** False turns Kijun off for the resource. */
  readonly enable: boolean;
  /** Markdown files matching one of these globs are analysed even without `kijun:` front matter. */
  readonly activationGlobs: readonly string[];
}

/** Mirrors the defaults in package.json `contributes.configuration`. */
export const defaultConfig: PolicyConfig = Object.freeze({
  enable: true,
  activationGlobs: Object.freeze(['**/*ポリシー*.md', '**/*基本方針*.md', '**/*対策基準*.md', '**/policy/**/*.md']),
});

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
  return Object.freeze({ enable, activationGlobs });
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
