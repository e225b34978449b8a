/**
 * One shared alignment setup per test file: kuromoji is loaded once and the catalog index built once.
 */
import { loadKuromojiTokenizer } from '../../server/src/morph/kuromoji';
import { AlignmentEngine, type AlignmentResult } from '../../server/src/service/align';
import { loadCatalog } from '../../server/src/service/catalog';
import type { Catalog } from '../../server/src/service/catalog/types';
import { parsePolicy } from '../../server/src/service/parse';
import type { ParsedPolicy } from '../../server/src/service/parse/types';
import type { Tokenizer } from '../../server/src/service/morph/types';

export interface AlignmentFixture {
  readonly catalog: Catalog;
  readonly tokenizer: Tokenizer;
  readonly engine: AlignmentEngine;
  analyze(text: string): { parsed: ParsedPolicy; result: AlignmentResult };
}

let shared: Promise<AlignmentFixture> | undefined;

export function alignmentFixture(): Promise<AlignmentFixture> {
  shared ??= loadKuromojiTokenizer().then((tokenizer) => {
    const catalog = loadCatalog();
    const engine = new AlignmentEngine(catalog, tokenizer);
    return {
      catalog,
      tokenizer,
      engine,
      analyze(text: string) {
        const parsed = parsePolicy(text);
        return { parsed, result: engine.analyze(parsed) };
      },
    };
  });
  return shared;
}
