/**
 * The section skeleton of both 例文 parts. The extraction lost every section number, and layout cannot tell a
 * top-level heading from a sub-section heading, so numbers and nesting come from this table
 * (guideline-map.md §2.1, §3); headings are then located in the text in this order.
 */

import type { GuidelinePart } from '../../server/src/service/catalog/types';

export interface SectionSpec {
  readonly id: string;
  readonly title: string;
  /** Id of the enclosing top-level section, for 4.1 … 9.3. */
  readonly parent: string | null;
}

export interface PartSpec {
  readonly part: GuidelinePart;
  /** Id of the part item; also the prefix used for ids in the 基本方針. */
  readonly id: string;
  readonly title: string;
  readonly idPrefix: string;
  /** The part heading in 第2編 (its 章 label was lost) and the chapter heading of its 解説 in 第3編. */
  readonly heading: string;
  readonly commentaryHeading: string;
  readonly sections: readonly SectionSpec[];
}

const basicPolicyTitles = [
  '目的',
  '定義',
  '対象とする脅威',
  '適用範囲',
  '職員等の遵守義務',
  '情報セキュリティ対策',
  '情報セキュリティ監査及び自己点検の実施',
  '情報セキュリティポリシーの見直し',
  '情報セキュリティ対策基準の策定',
  '情報セキュリティ実施手順の策定',
];

const standardsTable: readonly [string, string][] = [
  ['1', '組織体制'],
  ['2', '情報資産の分類と管理'],
  ['3', '情報システム全体の強靭性の向上'],
  ['4', '物理的セキュリティ'],
  ['4.1', 'サーバ等の管理'],
  ['4.2', '管理区域（情報システム室等）の管理'],
  ['4.3', '通信回線及び通信回線装置の管理'],
  ['4.4', '職員等の利用する端末や電磁的記録媒体等の管理'],
  ['5', '人的セキュリティ'],
  ['5.1', '職員等の遵守事項'],
  ['5.2', '研修・訓練'],
  ['5.3', '情報セキュリティインシデントの報告'],
  ['5.4', 'ID 及びパスワード等の管理'],
  ['6', '技術的セキュリティ'],
  ['6.1', 'コンピュータ及びネットワークの管理'],
  ['6.2', 'アクセス制御'],
  ['6.3', 'システム開発、導入、保守等'],
  ['6.4', '不正プログラム対策'],
  ['6.5', '不正アクセス対策'],
  ['6.6', 'セキュリティ情報の収集'],
  ['7', '運用'],
  ['7.1', '情報システムの監視'],
  ['7.2', '情報セキュリティポリシーの遵守状況の確認'],
  ['7.3', '侵害時の対応等'],
  ['7.4', '例外措置'],
  ['7.5', '法令遵守'],
  ['7.6', '懲戒処分等'],
  ['8', '外部サービスの利用'],
  ['8.1', '外部委託'],
  ['8.2', '約款による外部サービスの利用'],
  ['8.3', 'ソーシャルメディアサービスの利用'],
  ['9', '評価・見直し'],
  ['9.1', '監査'],
  ['9.2', '自己点検'],
  ['9.3', '情報セキュリティポリシー及び関係規程等の見直し'],
];

export const basicPolicy: PartSpec = {
  part: 'basic-policy',
  id: '基本方針',
  title: '情報セキュリティ基本方針（例文）',
  idPrefix: '基本方針 ',
  heading: '情報セキュリティ基本方針（例文）',
  commentaryHeading: '第1章 情報セキュリティ基本方針（解説）',
  sections: basicPolicyTitles.map((title, i) => ({ id: `基本方針 ${i + 1}`, title, parent: null })),
};

export const standards: PartSpec = {
  part: 'standards',
  id: '対策基準',
  title: '情報セキュリティ対策基準（例文）',
  idPrefix: '',
  heading: '情報セキュリティ対策基準（例文）',
  commentaryHeading: '第2章 情報セキュリティ対策基準（解説）',
  sections: standardsTable.map(([id, title]) => {
    const dot = id.indexOf('.');
    return { id, title, parent: dot < 0 ? null : id.slice(0, dot) };
  }),
};

export const parts: readonly PartSpec[] = [basicPolicy, standards];

/** The glossary heading, which ends 第3編 第2章, and the 付録1 column header that ends the glossary. */
export const glossaryHeading = '用語の定義';
export const appendixStart = /^\s*項\s+目\s*$/;

/**
 * Compares heading text ignoring the spacing the PDF extraction adds around Latin words and the width of
 * parentheses (第3編 writes `管理区域(情報システム室等)の管理`).
 */
export function sameTitle(a: string, b: string): boolean {
  return normalizeTitle(a) === normalizeTitle(b);
}

function normalizeTitle(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

export function isLeafSection(spec: PartSpec, id: string): boolean {
  return !spec.sections.some((s) => s.parent === id);
}
