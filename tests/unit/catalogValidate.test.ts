// The validator for user-supplied catalogs (server/src/service/catalog/validate.ts): the bundled catalog passes,
// and each kind of problem is reported as the first problem, by its JSON path, in Japanese.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog } from '../../server/src/service/catalog';
import { MAX_CATALOG_ITEMS, validateCatalog } from '../../server/src/service/catalog/validate';

/** A deep copy of the bundled catalog as plain JSON data, to break. */
const copy = (): Record<string, unknown> & { items: Record<string, unknown>[]; roles: Record<string, unknown>[]; relations: Record<string, unknown>[]; terms: Record<string, unknown>[]; guideline: Record<string, unknown> } =>
  JSON.parse(JSON.stringify(loadCatalog()));

function problem(data: unknown): { path: string; message: string } {
  const r = validateCatalog(data);
  assert.equal(r.ok, false, 'expected a problem');
  if (r.ok) throw new Error('unreachable');
  assert.ok(r.message.startsWith(`カタログの ${r.path} `), r.message);
  return r;
}

describe('catalog validation', () => {
  it('accepts the bundled catalog and hands back the same data', () => {
    const data = copy();
    const r = validateCatalog(data);
    assert.equal(r.ok, true);
    if (r.ok) assert.equal(r.catalog, data);
  });

  it('accepts a small catalog of another edition, with optional fields absent or null', () => {
    const item = (id: string, parent: string | null, level: string, section: string) => ({
      id, part: 'standards', parent, level, section, sectionTitle: '組織体制', number: null, title: null, text: `${id} の例文。`, recommended: false, recommendedMark: false, sourceLine: 1, commentary: null,
    });
    const data = {
      guideline: { title: 'ガイドライン', edition: '令和7年3月版' },
      items: [item('1', null, 'section', '1'), { ...item('1(1)', '1', 'item', '1'), commentary: { text: '解説', sourceLine: 3 } }],
      roles: [{ name: 'CISO', aliases: [], definedIn: null, usedIn: ['1(1)'] }],
      relations: [],
      terms: [{ term: '情報資産', definition: '…', itemId: null, sourceLine: 0 }],
    };
    assert.equal(validateCatalog(data).ok, true);
  });

  it('names the first problem of each kind by its JSON path', () => {
    const table: [string, (c: ReturnType<typeof copy>) => unknown, string, RegExp][] = [
      ['not an object', () => [1, 2], '$', /はオブジェクトです（配列 が書かれています）/],
      ['null', () => null, '$', /はオブジェクトです/],
      ['missing guideline', (c) => (delete (c as Record<string, unknown>).guideline, c), '$.guideline', /がありません/],
      ['empty title', (c) => ((c.guideline.title = ' '), c), '$.guideline.title', /が空です/],
      ['items not an array', (c) => ((c.items = {} as never), c), '$.items', /は配列です（オブジェクト が書かれています）/],
      ['no items', (c) => ((c.items = []), c), '$.items', /一つもありません/],
      ['an item that is not an object', (c) => ((c.items[3] = 'x' as never), c), '$.items[3]', /はオブジェクトです（文字列 "x" が書かれています）/],
      ['missing id', (c) => (delete c.items[2]!.id, c), '$.items[2].id', /がありません/],
      ['id of the wrong type', (c) => ((c.items[2]!.id = 7), c), '$.items[2].id', /は文字列です（数値 7 が書かれています）/],
      ['duplicate id', (c) => ((c.items[9]!.id = c.items[4]!.id), c), '$.items[9].id', /が重複しています（\$\.items\[4\] と同じ）/],
      ['unknown part', (c) => ((c.items[1]!.part = 'annex'), c), '$.items[1].part', /は basic-policy \/ standards のいずれかです（文字列 "annex"/],
      ['unknown level', (c) => ((c.items[5]!.level = 'chapter'), c), '$.items[5].level', /は part \/ section \/ subsection/],
      ['parent that does not exist', (c) => ((c.items[5]!.parent = '99.9'), c), '$.items[5].parent', /"99\.9" という項目はありません/],
      ['parent listed after its child (or a cycle)', (c) => ((c.items[5]!.parent = c.items[6]!.id), c), '$.items[5].parent', /この項目より後（\$\.items\[6\]）にあります/],
      ['section that does not exist', (c) => ((c.items[5]!.section = '42'), c), '$.items[5].section', /"42" という項目はありません/],
      ['text of the wrong type', (c) => ((c.items[5]!.text = null), c), '$.items[5].text', /は文字列です（null が書かれています）/],
      ['number of the wrong type', (c) => ((c.items[5]!.number = 3), c), '$.items[5].number', /は文字列か null です/],
      ['flag of the wrong type', (c) => ((c.items[5]!.recommended = 'yes'), c), '$.items[5].recommended', /は true か false です/],
      ['negative line', (c) => ((c.items[5]!.sourceLine = -1), c), '$.items[5].sourceLine', /は 0 以上の整数です（数値 -1/],
      ['fractional line', (c) => ((c.items[5]!.sourceLine = 1.5), c), '$.items[5].sourceLine', /は 0 以上の整数です/],
      ['commentary without text', (c) => ((c.items[5]!.commentary = { sourceLine: 1 }), c), '$.items[5].commentary.text', /がありません/],
      ['commentary purpose of the wrong type', (c) => ((c.items[5]!.commentary = { purpose: 1, text: '', sourceLine: 1 }), c), '$.items[5].commentary.purpose', /は文字列です/],
      ['roles missing', (c) => (delete (c as Record<string, unknown>).roles, c), '$.roles', /がありません/],
      ['alias of the wrong type', (c) => ((c.roles[0]!.aliases = ['CISO', 1]), c), '$.roles[0].aliases[1]', /は文字列です/],
      ['role defined in an unknown item', (c) => ((c.roles[0]!.definedIn = 'x'), c), '$.roles[0].definedIn', /"x" という項目はありません/],
      ['role used in an unknown item', (c) => ((c.roles[1]!.usedIn = ['1(1)', 'y']), c), '$.roles[1].usedIn[1]', /"y" という項目はありません/],
      ['unknown relation kind', (c) => ((c.relations[0]!.kind = 'veto'), c), '$.relations[0].kind', /は approve \/ permit/],
      ['relation of an unknown item', (c) => ((c.relations[0]!.itemId = 'z'), c), '$.relations[0].itemId', /"z" という項目はありません/],
      ['term without a name', (c) => ((c.terms[0]!.term = ''), c), '$.terms[0].term', /が空です/],
      ['term of an unknown item', (c) => ((c.terms[0]!.itemId = 'w'), c), '$.terms[0].itemId', /"w" という項目はありません/],
    ];
    for (const [name, breakIt, path, words] of table) {
      const p = problem(breakIt(copy()));
      assert.equal(p.path, path, name);
      assert.match(p.message, words, `${name}: ${p.message}`);
    }
  });

  it('reports only the first problem, in document order', () => {
    const c = copy();
    c.items[7]!.level = 'nope';
    c.items[3]!.text = 1;
    assert.equal(problem(c).path, '$.items[3].text');
  });

  it('treats __proto__ and other inherited names as data, not as fields', () => {
    const c = copy();
    // JSON.parse makes "__proto__" an own property; a missing field must not be found on the prototype chain.
    const item = JSON.parse(JSON.stringify(c.items[4]).replace('"text":', '"__proto__":{"text":"x"},"_text":')) as Record<string, unknown>;
    c.items[4] = item;
    assert.equal(problem(c).path, '$.items[4].text');
    const toString = copy();
    delete toString.items[4]!.title;
    assert.equal(problem(toString).path, '$.items[4].title');
  });

  it('bounds the number of items', () => {
    const c = copy();
    const first = c.items[0]!;
    c.items = Array.from({ length: MAX_CATALOG_ITEMS + 1 }, (_, i) => ({ ...first, id: `x${i}` }));
    assert.match(problem(c).message, /多すぎます/);
  });
});
