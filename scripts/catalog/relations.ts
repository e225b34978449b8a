/**
 * Who approves, permits, appoints, receives reports and is notified (guideline-map.md §8). Subjects are often
 * implicit or inherited from a lead-in, so the table is curated data; each row is checked at build time against
 * its item's text: every named authority and the verb of its kind must occur there.
 */

import type { CatalogRelation, RelationKind } from '../../server/src/service/catalog/types';
import type { ExampleItem } from './examples';
import { matchText } from './roles';

const supervisor = '統括情報セキュリティ責任者';
const unitManager = '情報セキュリティ管理者';
const systemManager = '情報システム管理者';
const deptHead = '情報セキュリティ責任者';
const committee = '情報セキュリティ委員会';
const auditChief = '情報セキュリティ監査統括責任者';

const both = (...names: string[]): string => names.join('及び');

type Row = readonly [kind: RelationKind, authority: string, subject: string | null, action: string, itemId: string];

const rows: readonly Row[] = [
  ['permit', unitManager, '運搬する者', '機密性２以上の情報資産の運搬', '2(2)⑧(イ)'],
  ['permit', unitManager, '提供する者', '機密性２以上の情報資産の外部への提供', '2(2)⑨(イ)'],
  ['permit', unitManager, '廃棄を行う者', '情報資産の廃棄', '2(2)⑩(ウ)'],
  ['approve', 'CISO', both(supervisor, systemManager), '庁外へのサーバ等の機器の設置', '4.1(6)'],
  ['permit', unitManager, '職員等', 'モバイル端末、電磁的記録媒体、情報資産及びソフトウェアの外部への持ち出し', '5.1(1)③(イ)'],
  ['permit', unitManager, '職員等', '外部での情報処理業務', '5.1(1)③(ウ)'],
  ['permit', unitManager, '職員等', '支給以外の端末等の業務利用', '5.1(1)④(ア)'],
  ['permit', unitManager, '職員等', '支給以外の端末等を用いた外部での情報処理', '5.1(1)④(イ)'],
  ['permit', unitManager, '職員等', '端末のセキュリティ機能の設定変更', '5.1(1)⑥'],
  ['approve', committee, 'CISO', '研修計画及び実施体制', '5.2(2)①'],
  ['permit', both(supervisor, deptHead), systemManager, '他団体との情報システムに関する情報及びソフトウェアの交換', '6.1(3)'],
  ['permit', both('CISO', supervisor), systemManager, '所管するネットワークの外部ネットワークとの接続', '6.1(10)①'],
  ['permit', both(supervisor, systemManager), '職員等', 'ソフトウェアの導入', '6.1(17)②'],
  ['permit', both(supervisor, systemManager), '職員等', '機器の改造及び増設・交換', '6.1(18)②'],
  ['permit', supervisor, '職員等', '端末のネットワークへの接続', '6.1(19)'],
  ['approve', 'CISO', both(supervisor, systemManager), '特権を代行する者の指名', '6.2(1)③(イ)'],
  ['permit', both(supervisor, systemManager), '職員等', '外部から内部のネットワーク又は情報システムへのアクセス', '6.2(2)①'],
  ['permit', 'CISO', both(unitManager, systemManager), '例外措置', '7.4(1)'],
  ['approve', committee, auditChief, '監査実施計画', '9.1(3)①'],
  ['appoint', 'CISO', auditChief, '情報セキュリティ監査の実施', '9.1(1)'],
  ['appoint', 'CISO', null, 'パソコン、モバイル端末及び電磁的記録媒体等の利用状況調査', '7.2(2)'],
  ['report', 'CISO', supervisor, '緊急時の報告', '1(2)⑧'],
  ['report', both(deptHead, supervisor, 'CISO'), unitManager, 'セキュリティ侵害の報告', '1(4)③'],
  ['report', both('CISO', '総務省', '都道府県等'), null, '情報セキュリティインシデントの報告', '1(9)⑤'],
  ['report', committee, 'CISO', '研修及び訓練の実施状況の報告', '5.2(2)⑤'],
  ['report', both(unitManager, '情報セキュリティに関する統一的な窓口'), '職員等', '情報セキュリティインシデントの報告', '5.3(1)①'],
  ['report', both(supervisor, systemManager), unitManager, '情報セキュリティインシデントの報告', '5.3(1)②'],
  ['report', both('CISO', deptHead), unitManager, '情報セキュリティインシデントの報告', '5.3(1)③'],
  ['report', unitManager, '職員等', '住民等外部から受けた情報セキュリティインシデントの報告', '5.3(2)①'],
  ['report', both(supervisor, systemManager), unitManager, '住民等外部から受けた情報セキュリティインシデントの報告', '5.3(2)②'],
  ['report', both('CISO', deptHead), unitManager, '住民等外部から受けた情報セキュリティインシデントの報告', '5.3(2)③'],
  ['report', 'CISO', 'CSIRT', '情報セキュリティインシデントの評価の報告', '5.3(3)②'],
  ['report', 'CISO', 'CSIRT', '再発防止策の報告', '5.3(3)④'],
  ['report', both(supervisor, systemManager), '職員等', 'IC カード等の紛失の通報', '5.4(1)①(ウ)'],
  ['report', unitManager, '職員等', 'パスワードの流出のおそれの報告', '5.4(3)④'],
  ['report', unitManager, '職員等', '重要な電子メールの誤送信の報告', '6.1(15)④'],
  ['notify', unitManager, supervisor, '業務以外の目的でのウェブ閲覧の通知', '6.1(20)②'],
  ['notify', both(supervisor, deptHead, unitManager, systemManager), 'CISO', '特権を代行する者の通知', '6.2(1)③(ウ)'],
  ['notify', unitManager, both(supervisor, systemManager), '職員等による不正アクセスの通知', '6.5(5)'],
  ['report', both('CISO', supervisor), both(deptHead, unitManager), '情報セキュリティポリシーの遵守状況の問題の報告', '7.2(1)①'],
  ['report', both(supervisor, unitManager), '職員等', '情報セキュリティポリシーに違反する行為の報告', '7.2(3)①'],
  ['report', 'CISO', both(unitManager, systemManager), '緊急時の例外措置の報告', '7.4(2)'],
  ['notify', unitManager, supervisor, '違反の通知', '7.6(2)①'],
  ['notify', both(supervisor, unitManager), '情報システム管理者等', '違反の通知', '7.6(2)②'],
  ['notify', both('CISO', unitManager), supervisor, '権利の停止又は剥奪の通知', '7.6(2)③'],
  ['report', supervisor, unitManager, '外部委託事業者の確認結果の報告', '8.1(3)'],
  ['report', 'CISO', unitManager, '外部委託事業者の確認結果の報告（重要度に応じて）', '8.1(3)'],
  ['report', committee, auditChief, '監査結果の報告', '9.1(5)'],
  ['report', committee, both(supervisor, systemManager, deptHead), '自己点検結果の報告', '9.2(2)'],
];

const verbs: Readonly<Record<RelationKind, RegExp>> = {
  approve: /承認|認め/,
  permit: /許可|認め/,
  appoint: /指名/,
  report: /報告|通報/,
  notify: /通知/,
  instruct: /指示/,
};

export function buildRelations(items: readonly ExampleItem[]): CatalogRelation[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  return rows.map(([kind, authority, subject, action, itemId]) => {
    const item = byId.get(itemId);
    if (!item) throw new Error(`relation: item ${itemId} not found`);
    const text = matchText(item);
    const missing = authority.split('及び').filter((name) => !text.includes(name.replace(/\s/g, '')));
    if (missing.length > 0 || !verbs[kind].test(text)) {
      throw new Error(`relation ${kind} ${authority} at ${itemId}: not supported by the text (${missing.join(', ')})`);
    }
    return { kind, authority, subject, action, itemId };
  });
}
