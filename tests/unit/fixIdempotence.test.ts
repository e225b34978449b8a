// Fixes that could apply twice: a declaration of an item the front matter already declares (it would duplicate
// the entry or overwrite the drafter's reason), and the insertion of 例文 the draft already says word for word
// (found by the quick-fix safety property on the corpus: a table row of 2(1) inserted again and again).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog, findItem } from '../../server/src/service/catalog';
import { adaptationFor } from '../../server/src/service/features/adapt';
import { declareInFrontMatter } from '../../server/src/service/features/frontMatterEdit';
import { alreadyWritten } from '../../server/src/service/features/insert';
import { parsePolicy } from '../../server/src/service/parse';

describe('fixes that must not apply twice', () => {
  it('does not declare an item the front matter already declares, in any of its forms', () => {
    const declared: [string, Parameters<typeof declareInFrontMatter>[1]][] = [
      ['kijun:\n  not-applicable:\n    "1(8)": 別規程で定める', { kind: 'not-applicable', id: '1(8)' }],
      ['kijun:\n  not-applicable:\n    3: 三層の構えの対象となるシステムを持たない', { kind: 'not-applicable', id: '3' }],
      ['kijun:\n  対象外:\n    - id: 1(8)\n      reason: 別規程', { kind: 'not-applicable', id: '1(8)' }],
      ['kijun:\n  not-applicable:\n    - 1(8)', { kind: 'not-applicable', id: '1(8)' }],
      ['kijun:\n  adopted-recommendations: [4.1(2)①]', { kind: 'adopted', id: '4.1(2)①' }],
      ['kijun:\n  adopted-recommendations:\n    - 6.1(3)\n    - 4.1(2)①', { kind: 'adopted', id: '4.1(2)①' }],
      ['kijun:\n  adopted-recommendations: 6.1(3)、4.1(2)①', { kind: 'adopted', id: '4.1(2)①' }],
    ];
    for (const [yaml, decl] of declared) {
      const text = `---\n${yaml}\n---\n\n本文\n`;
      assert.equal(declareInFrontMatter(parsePolicy(text), decl), null, yaml);
    }
    // Another item is still added beside them, and the drafter's reason is kept.
    const text = '---\nkijun:\n  not-applicable:\n    "1(8)": 別規程で定める\n---\n\n本文\n';
    const edit = declareInFrontMatter(parsePolicy(text), { kind: 'not-applicable', id: '3' });
    assert.equal(edit?.newText, 'kijun:\n  not-applicable:\n    "1(8)": 別規程で定める\n    "3": 理由を記入\n');
  });

  it('knows when the draft already says an item’s 例文 (and its sub-items’) word for word', () => {
    const catalog = loadCatalog();
    const row = findItem(catalog, '2(1)#完全性1')!;
    const withBullets = findItem(catalog, '2(1)#完全性2')!;
    const adaptation = adaptationFor(parsePolicy(''), []);
    assert.equal(alreadyWritten('本文\n', row, catalog, adaptation), false);
    assert.equal(alreadyWritten('完全性１\n\n完全性２情報資産以外の\n情報資産\n', row, catalog, adaptation), true, 'line breaks and spaces aside');
    const own = withBullets.text;
    assert.equal(alreadyWritten(own, withBullets, catalog, adaptation), false, 'the bullets below it are not there yet');
    const bullets = ['バックアップ、電子署名付与', '外部で情報処理を行う際の安全管理措置の規定', '電磁的記録媒体の施錠可能な場所への保管'];
    assert.equal(alreadyWritten(`${own}\n${bullets.map((b) => `- ${b}`).join('\n')}`, withBullets, catalog, adaptation), true);
    // An empty draft says nothing of a section.
    const section = findItem(catalog, '6.1')!;
    assert.equal(alreadyWritten('', section, catalog, adaptation), false);
  });
});
