/**
 * Loads kuromoji once, from an explicit dictionary folder (the bundle ships it as dist/dict).
 * kuromoji's default dicPath is relative to the working directory and breaks inside a bundle.
 */
import * as path from 'node:path';
import * as kuromoji from 'kuromoji';
import type { Token, Tokenizer } from '../service/morph/types';

export function defaultDictionaryPath(): string {
  // In the bundle __dirname is dist/; in tests (tsx) fall back to the installed package.
  const bundled = path.join(__dirname, 'dict');
  return __filename.endsWith('.ts') ? path.join(__dirname, '..', '..', '..', 'node_modules', 'kuromoji', 'dict') : bundled;
}

export function loadKuromojiTokenizer(dicPath: string = defaultDictionaryPath()): Promise<Tokenizer> {
  return new Promise((resolve, reject) => {
    kuromoji.builder({ dicPath }).build((err, raw) => {
      if (err || !raw) {
        reject(new Error(`形態素解析の辞書を読み込めません / cannot load the kuromoji dictionary at ${dicPath}: ${err?.message ?? 'unknown error'}`));
        return;
      }
      resolve({
        tokenize(text: string): readonly Token[] {
          return raw.tokenize(text).map(
            (t): Token => ({
              surface: t.surface_form,
              base: t.basic_form && t.basic_form !== '*' ? t.basic_form : t.surface_form,
              pos: t.pos,
              pos1: t.pos_detail_1,
              start: t.word_position - 1,
            }),
          );
        },
      });
    });
  });
}

let shared: Promise<Tokenizer> | undefined;

/** The process-wide tokenizer, loaded lazily on first use. */
export function sharedTokenizer(dicPath?: string): Promise<Tokenizer> {
  shared ??= loadKuromojiTokenizer(dicPath);
  return shared;
}
