/**
 * Shared setup of the editor-feature tests: one service with kuromoji loaded, documents by text, and
 * applying edits the way an editor does (all edits against the same original text).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import { createPolicyService, type PolicyDocument, type PolicyService, type Tokenizer } from '../../server/src/service';
import { loadCatalog } from '../../server/src/service/catalog';
import { parsePolicy } from '../../server/src/service/parse';
import type { TextEdit } from '../../server/src/service/types';
import { repoRoot } from '../helpers/corpus';

let shared: Promise<PolicyService> | undefined;

/** Calls into the morphological analyser so far: alignment work shows up here, cached answers do not. */
export const tokenizerCalls = { count: 0 };

export function featureService(): Promise<PolicyService> {
  shared ??= loadKuromojiTokenizer().then((tokenizer) => {
    const counting: Tokenizer = { tokenize: (text) => (tokenizerCalls.count++, tokenizer.tokenize(text)) };
    return createPolicyService({ catalog: loadCatalog(), parse: parsePolicy, tokenizer: () => counting });
  });
  return shared;
}

/** The service without a tokenizer: structure features only, as before the dictionary is loaded. */
export const structureOnlyService = (): PolicyService => createPolicyService({ catalog: loadCatalog(), parse: parsePolicy });

let counter = 0;

/** A fresh document (own uri) so that no test sees another's cache. */
export function docOf(text: string): PolicyDocument {
  const uri = `untitled:feature-${++counter}.md`;
  return { uri, version: 1, getText: () => text };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.range.end > sorted[i - 1]!.range.start) throw new Error('overlapping edits');
  return sorted.reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
}

/** A short article-style town draft (みどり町) with numbering and reference defects, kept stable for exact-edit tests. */
export const sampleText = readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'features', 'town-article-draft.md'), 'utf8');
export const guidelineStandards = readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'guideline-draft', 'standards.md'), 'utf8');

export function offsetOf(text: string, needle: string, delta = 0): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`not found: ${needle}`);
  return i + delta;
}
