/**
 * The tokenizer port. The service never loads a dictionary itself: the server and the CLI inject a
 * kuromoji-backed implementation (server/src/morph/kuromoji.ts), tests may inject the same or a fake.
 */

export interface Token {
  /** Surface form as it appears in the analysed text. */
  readonly surface: string;
  /** Dictionary (base) form; the surface when the dictionary has none. */
  readonly base: string;
  /** Part of speech (品詞), e.g. 名詞, 動詞, 助動詞. */
  readonly pos: string;
  /** First sub-category (品詞細分類1), e.g. サ変接続, 接尾, 固有名詞. */
  readonly pos1: string;
  /** UTF-16 offset of the token in the analysed text. */
  readonly start: number;
}

export interface TokenizeOptions {
  /**
   * False: the caller reads no token's `start`, which may then be anything (the tokenizer may hand on
   * tokens it keeps rather than make new ones with their positions in `text`). Default true.
   */
  readonly positions?: boolean;
}

export interface Tokenizer {
  tokenize(text: string, options?: TokenizeOptions): readonly Token[];
  /**
   * `tokenize(text)` as its words and their starts: `words[i]` is the i-th token with any `start` (the
   * tokenizer may hand on words it keeps), `starts[i]` its offset in `text`. No token object is made per
   * token. Optional: `wordsOf` (./words.ts) falls back to `tokenize`.
   */
  tokenizeWords?(text: string): TokenWords;
}

/** Tokens as words and starts: see Tokenizer.tokenizeWords. */
export interface TokenWords {
  readonly words: readonly Token[];
  readonly starts: readonly number[];
}
