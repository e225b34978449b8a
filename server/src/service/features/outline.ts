/**
 * `kijun outline`: the provision tree as JSON (`{kind, number, title, range, children}`) or as indented text.
 * Positions are 0-based line/character, converted once through LineIndex.
 */
import type { ParsedPolicy, ProvisionNode } from '../parse/types';
import { LineIndex, type Range } from '../text/lineIndex';
import { provisionLabel } from './structure';

export type OutlineFormat = 'json' | 'text';

export interface OutlineNode {
  readonly kind: ProvisionNode['kind'];
  /** The number as written (`第三条の二`, `(1 1)`), or null. */
  readonly number: string | null;
  /** The number as values (`[3, 2]`), or null. */
  readonly value: readonly number[] | null;
  readonly title: string | null;
  readonly range: Range;
  readonly children: readonly OutlineNode[];
}

export function outlineTree(parsed: ParsedPolicy): OutlineNode[] {
  const index = new LineIndex(parsed.text);
  const convert = (n: ProvisionNode): OutlineNode => ({
    kind: n.kind,
    number: n.numberText,
    value: n.number,
    title: n.title,
    range: index.rangeOf(n.range),
    children: n.children.map(convert),
  });
  return parsed.provisions.map(convert);
}

/** Renders the outline; the string ends with a newline. */
export function renderOutline(parsed: ParsedPolicy, format: OutlineFormat): string {
  if (format === 'json') return JSON.stringify(outlineTree(parsed), null, 2) + '\n';
  const index = new LineIndex(parsed.text);
  const out: string[] = [];
  const walk = (nodes: readonly ProvisionNode[], depth: number): void => {
    for (const n of nodes) {
      const line = index.positionAt(n.headRange.start).line + 1;
      out.push(`${"  ".repeat(depth)}${provisionLabel(n)}  L${line}`);
      walk(n.children, depth + 1);
    }
  };
  walk(parsed.provisions, 0);
  return out.join('\n') + '\n';
}
