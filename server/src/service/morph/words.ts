import type { Token, TokenWords, Tokenizer } from './types';

/** The tokens of `text` as words and starts: the tokenizer's own `tokenizeWords`, else its tokens and their starts. */
export function wordsOf(tokenizer: Tokenizer, text: string): TokenWords {
  if (tokenizer.tokenizeWords) return tokenizer.tokenizeWords(text);
  const words: readonly Token[] = tokenizer.tokenize(text);
  const starts: number[] = [];
  for (let i = 0; i < words.length; i++) starts.push(words[i]!.start);
  return { words, starts };
}
