import type { ActionKind } from './types';

/**
 * Kinds of action that approvals and reports are compared by. Order matters: the first that fits wins,
 * so 持ち出し of software is a 持ち出し, not a ソフトウェアの導入, and 機器の交換 is not an 情報の交換.
 */
const KINDS: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['exception', '例外措置', /例外措置/],
  ['audit-plan', '監査実施計画', /監査(?:実施)?計画/],
  ['training-plan', '研修計画', /研修計画|研修[^。]{0,10}実施体制/],
  ['take-out', '持ち出し', /持ち?出|外部に持/],
  ['private-device', '支給以外の端末の利用', /支給以外|個人所有|私物|私有/],
  ['remote-work', '外部での情報処理', /外部で[^。]{0,10}(?:情報処理|作業)|庁外で[^。]{0,10}(?:情報処理|作業)/],
  ['software', 'ソフトウェアの導入', /ソフトウェア[^。]{0,20}(?:導入|インストール)|インストール/],
  ['device-change', '機器の改造・増設', /改造|増設/],
  ['external-access', '外部からのアクセス', /外部から[^。]{0,20}アクセス|リモートアクセス/],
  ['wireless', '無線LANの利用', /無線LAN/],
  ['network-connection', 'ネットワークへの接続', /接続/],
  ['outsourcing', '委託', /委託/],
  ['external-service', '外部サービスの利用', /外部サービス|クラウドサービス|約款/],
  ['installation', '機器の設置', /設置/],
  ['exchange', '他団体との情報の交換', /交換/],
  ['provision', '外部への提供', /提供|公表/],
  ['copy', '複製', /複写|複製/],
  ['transport', '運搬', /運搬/],
  ['transmission', '送信', /送信|転送/],
  ['disposal', '廃棄', /廃棄|消去/],
  ['settings', '設定の変更', /設定[^。]{0,12}変更/],
  ['entry', '入退室', /入退室|入室|立入/],
  ['browse', '閲覧', /閲覧/],
  ['audit-result', '監査結果', /監査/],
  ['self-check', '自己点検', /自己点検/],
  ['violation', '違反', /違反/],
  ['incident', '情報セキュリティインシデント', /インシデント|事故|侵害|攻撃|不正アクセス/],
  ['loss', '紛失・盗難', /紛失|盗難|流出/],
  ['failure', '障害', /障害/],
];

/** The kind of action a clause is about; `masked` is the sentence with role names blanked out. */
export function classifyAction(masked: string): ActionKind {
  let hit = actionCache.get(masked);
  if (!hit) {
    hit = classify(masked);
    if (actionCache.size >= 50_000) actionCache.clear();
    actionCache.set(masked, hit);
  }
  return hit;
}

const actionCache = new Map<string, ActionKind>();

function classify(masked: string): ActionKind {
  const k = kindIndex(masked);
  return k >= 0 ? actionOfKind(k) : otherAction(masked);
}

/**
 * The first kind whose pattern the text says, or -1. No pattern crosses a 。, so for texts joined by 。
 * this is the least index over the pieces (which is how a provision's context is classified).
 */
export function kindIndex(masked: string): number {
  for (let i = 0; i < KINDS.length; i++) if (KINDS[i]![2].test(masked)) return i;
  return -1;
}

export function actionOfKind(i: number): ActionKind {
  const [id, label] = KINDS[i]!;
  return { id, label };
}

/** An action none of the kinds names: its gist (the words after the subject). */
export function otherAction(masked: string): ActionKind {
  const gist = masked.replace(/^.*?は、/, '').replace(/[◇、]+/g, '').slice(0, 16);
  return { id: `other:${gist}`, label: gist || 'その他' };
}

export function isOther(a: ActionKind): boolean {
  return a.id.startsWith('other:');
}
