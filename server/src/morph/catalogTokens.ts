/**
 * Precomputed tokens of the guideline catalog: what the alignment engine asks the tokenizer when it builds
 * its catalog index (about 500 normalised 例文 texts, 32,000 characters; 0.5–0.7 s of kuromoji on every
 * start otherwise).
 *
 * scripts/build.mjs records them with the bundled code into `dist/dict/catalog-tokens.json`, beside the
 * dictionary they come from; the server and the CLI load them with the dictionary and hand the service a
 * tokenizer that answers those texts from the table and any other text from kuromoji. The table is keyed
 * by the exact text, so a catalog or a normalisation that differs from the one it was built with only
 * misses (and tokenises as before), and tests/unit/catalogTokens.test.ts proves that an index built from
 * the table equals the one built live. Without the file (tests from source, a partial install) everything
 * is tokenised live.
 */
import type { Catalog } from '../service/catalog/types';
import { AlignmentEngine } from '../service/align';
import type { Token, Tokenizer } from '../service/morph/types';

export const CATALOG_TOKENS_FILE = 'catalog-tokens.json';
const FORMAT = 1;

/**
 * One token: `[start, length, pos]` plus the base form when it is not the surface; the surface is
 * `text.slice(start, start + length)`, or given as a string in place of the length when it is not.
 * `pos` indexes the table's (品詞, 品詞細分類1) pairs.
 */
type EncodedToken = [number, number | string, number] | [number, number | string, number, string];

export interface CatalogTokensFile {
  readonly format: typeof FORMAT;
  /** `品詞\t品詞細分類1` pairs, indexed by the tokens. */
  readonly pos: readonly string[];
  /** Each text with its tokens. */
  readonly texts: readonly (readonly [text: string, tokens: readonly EncodedToken[]])[];
}

/** The texts the alignment engine tokenises to build its catalog index, with their tokens (in the order asked). */
export function recordCatalogTokens(catalog: Catalog, tokenizer: Tokenizer): Map<string, readonly Token[]> {
  const recorded = new Map<string, readonly Token[]>();
  const recorder: Tokenizer = {
    tokenize(text) {
      let tokens = recorded.get(text);
      if (!tokens) recorded.set(text, (tokens = tokenizer.tokenize(text)));
      return tokens;
    },
  };
  new AlignmentEngine(catalog, recorder);
  return recorded;
}

export function encodeCatalogTokens(recorded: ReadonlyMap<string, readonly Token[]>): CatalogTokensFile {
  const pos: string[] = [];
  const posIndex = new Map<string, number>();
  const texts: [string, EncodedToken[]][] = [];
  for (const [text, tokens] of recorded) {
    const encoded = tokens.map((t): EncodedToken => {
      const key = `${t.pos}\t${t.pos1}`;
      let p = posIndex.get(key);
      if (p === undefined) posIndex.set(key, (p = pos.push(key) - 1));
      const surface = text.slice(t.start, t.start + t.surface.length) === t.surface ? t.surface.length : t.surface;
      return t.base === t.surface ? [t.start, surface, p] : [t.start, surface, p, t.base];
    });
    texts.push([text, encoded]);
  }
  const file: CatalogTokensFile = { format: FORMAT, pos, texts };
  // The encoding must be lossless: check every text before anything relies on it.
  const table = decodeCatalogTokens(file);
  for (const [text, tokens] of recorded) {
    const back = table.get(text);
    if (!back || !sameTokens(back(), tokens)) throw new Error(`catalog tokens: the encoding of "${text.slice(0, 40)}" does not round-trip`);
  }
  return file;
}

/** text → a function materialising its tokens (kept encoded until asked). Throws on a file of another format. */
export function decodeCatalogTokens(file: unknown): Map<string, () => readonly Token[]> {
  const f = file as CatalogTokensFile | null;
  if (!f || f.format !== FORMAT || !Array.isArray(f.pos) || !Array.isArray(f.texts)) throw new Error(`catalog tokens: not format ${FORMAT}`);
  const texts: CatalogTokensFile['texts'] = f.texts;
  const pos = (f.pos as readonly string[]).map((p) => {
    const tab = p.indexOf('\t');
    return [p.slice(0, tab), p.slice(tab + 1)] as const;
  });
  const table = new Map<string, () => readonly Token[]>();
  for (const [text, encoded] of texts) {
    table.set(text, () =>
      encoded.map(([start, surface, p, base]) => {
        const s = typeof surface === 'number' ? text.slice(start, start + surface) : surface;
        const [partOfSpeech, pos1] = pos[p]!;
        return { surface: s, base: base ?? s, pos: partOfSpeech, pos1, start };
      }),
    );
  }
  return table;
}

/** A tokenizer that answers the table's texts from the table and any other text from `tokenizer`. */
export function withPrecomputedTokens(tokenizer: Tokenizer, table: ReadonlyMap<string, () => readonly Token[]>): Tokenizer {
  return {
    tokenize(text) {
      const hit = table.get(text);
      return hit ? hit() : tokenizer.tokenize(text);
    },
  };
}

function sameTokens(a: readonly Token[], b: readonly Token[]): boolean {
  return a.length === b.length && a.every((t, i) => {
    const u = b[i]!;
    return t.surface === u.surface && t.base === u.base && t.pos === u.pos && t.pos1 === u.pos1 && t.start === u.start;
  });
}
