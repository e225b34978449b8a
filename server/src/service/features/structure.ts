/**
 * Editor features over the provision tree, as pure functions with offset ranges:
 * document symbols, folding ranges, definition, references, selection ranges and document links.
 * The LSP adapter converts offsets to positions.
 */
import type { ParsedPolicy, ProvisionKind, ProvisionNode, Reference } from '../parse/types';
import { LineIndex } from '../text/lineIndex';
import type { TextRange } from '../types';

export interface PolicySymbol {
  /** `第1条（目的）`, `第1章 総則`, `(1) 情報セキュリティポリシー` … */
  readonly name: string;
  readonly detail?: string;
  readonly kind: ProvisionKind;
  /** The LSP SymbolKind number for `kind`. */
  readonly symbolKind: number;
  readonly range: TextRange;
  /** Inside `range`: the head line (number and title). */
  readonly selectionRange: TextRange;
  readonly children: readonly PolicySymbol[];
}

export interface PolicyFoldingRange {
  /** 0-based lines. */
  readonly startLine: number;
  readonly endLine: number;
}

export interface PolicyLocationLink {
  /** The reference text in the document. */
  readonly originRange: TextRange;
  /** The whole target provision. */
  readonly targetRange: TextRange;
  /** The target's head line. */
  readonly targetSelectionRange: TextRange;
  /** The target's document when it is another one (a role appointed in the 基本方針); else this one. */
  readonly targetUri?: string;
}

export interface PolicySelectionRange {
  readonly range: TextRange;
  readonly parent?: PolicySelectionRange;
}

export interface PolicyDocumentLink {
  readonly range: TextRange;
  readonly target: TextRange;
  /** Japanese tooltip: `第5条（…）へ移動`. */
  readonly tooltip: string;
}

/** LSP SymbolKind values (stable in the protocol). */
const SYMBOL_KIND: Readonly<Record<ProvisionKind, number>> = {
  part: 4, // Package
  chapter: 2, // Module
  section: 3, // Namespace
  subsection: 3,
  article: 5, // Class
  paragraph: 8, // Field
  item: 22, // EnumMember
  subitem1: 20, // Key
  subitem2: 20,
  subitem3: 20,
  supplementary: 19, // Object
  heading: 15, // String
};

const SNIPPET = 24;

/** How a provision is named in the Outline, breadcrumbs, outline text and messages. */
export function provisionLabel(n: ProvisionNode): string {
  const num = n.numberText ?? '';
  switch (n.kind) {
    case 'article':
      return `${num}${n.title ?? ''}`;
    case 'paragraph':
      return `第${n.number?.[0] ?? num}項`;
    case 'heading':
      return n.title ?? '';
    case 'supplementary':
      return n.title ? `${num} ${n.title}` : num.replace(/[ \u3000]/g, '');
    default: {
      const tail = n.title ?? snippet(n.text);
      return tail ? `${num} ${tail}` : num;
    }
  }
}

function snippet(text: string): string {
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
}

export function documentSymbols(parsed: ParsedPolicy): PolicySymbol[] {
  const convert = (n: ProvisionNode): PolicySymbol => {
    const name = provisionLabel(n) || n.kind;
    const detail = n.kind === 'paragraph' || (n.title === null && n.kind !== 'heading') ? snippet(n.text) : undefined;
    return {
      name,
      ...(detail ? { detail } : {}),
      kind: n.kind,
      symbolKind: SYMBOL_KIND[n.kind],
      range: n.range,
      selectionRange: within(n.headRange, n.range),
      children: n.children.map(convert),
    };
  };
  return parsed.provisions.map(convert);
}

function within(inner: TextRange, outer: TextRange): TextRange {
  const start = Math.min(Math.max(inner.start, outer.start), outer.end);
  const end = Math.max(start, Math.min(inner.end, outer.end));
  return { start, end };
}

export function foldingRanges(parsed: ParsedPolicy, index: LineIndex = new LineIndex(parsed.text)): PolicyFoldingRange[] {
  const out: PolicyFoldingRange[] = [];
  const walk = (nodes: readonly ProvisionNode[]): void => {
    for (const n of nodes) {
      const startLine = index.positionAt(n.headRange.start).line;
      const endLine = index.positionAt(Math.max(n.range.start, n.range.end - 1)).line;
      if (endLine > startLine) out.push({ startLine, endLine });
      walk(n.children);
    }
  };
  walk(parsed.provisions);
  return out;
}

function contains(r: TextRange, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

export function referenceAt(parsed: ParsedPolicy, offset: number): Reference | null {
  return parsed.references.find((r) => contains(r.range, offset)) ?? null;
}

export function definitionAt(parsed: ParsedPolicy, offset: number): PolicyLocationLink | null {
  const ref = referenceAt(parsed, offset);
  if (!ref || !ref.target) return null;
  return { originRange: ref.range, targetRange: ref.target.range, targetSelectionRange: ref.target.headRange };
}

/** The innermost provisions containing `offset`, outermost first. */
export function provisionPath(parsed: ParsedPolicy, offset: number): ProvisionNode[] {
  const path: ProvisionNode[] = [];
  let level: readonly ProvisionNode[] = parsed.provisions;
  for (;;) {
    const hit = level.find((n) => n.range.start <= offset && offset < Math.max(n.range.end, n.range.start + 1));
    if (!hit) return path;
    path.push(hit);
    level = hit.children;
  }
}

/** The provision whose head line holds `offset` (a cursor on 第5条 itself), or the reference's target there. */
export function provisionAt(parsed: ParsedPolicy, offset: number): ProvisionNode | null {
  const ref = referenceAt(parsed, offset);
  if (ref?.target) return ref.target;
  const path = provisionPath(parsed, offset);
  for (let i = path.length - 1; i >= 0; i--) if (contains(path[i]!.headRange, offset)) return path[i]!;
  return null;
}

/** Ranges of the references to the provision at `offset`; with `includeDeclaration`, its number too. */
export function referencesTo(parsed: ParsedPolicy, offset: number, includeDeclaration = false): TextRange[] {
  const target = provisionAt(parsed, offset);
  if (!target) return [];
  const out = parsed.references.filter((r) => r.target === target).map((r) => r.range);
  if (includeDeclaration) out.unshift(target.numberRange ?? target.headRange);
  return out;
}

export function selectionRanges(parsed: ParsedPolicy, offsets: readonly number[]): PolicySelectionRange[] {
  return offsets.map((offset) => {
    const chain: TextRange[] = [{ start: 0, end: parsed.text.length }];
    for (const n of provisionPath(parsed, offset)) {
      chain.push(n.range);
      if (contains(n.headRange, offset)) {
        chain.push(n.headRange);
        if (n.numberRange && contains(n.numberRange, offset)) chain.push(n.numberRange);
      }
    }
    const ref = referenceAt(parsed, offset);
    if (ref) chain.push(ref.range);
    let sel: PolicySelectionRange | undefined;
    let last: TextRange | null = null;
    for (const r of chain) {
      // Each range must contain the next one; skip repeats and anything that would break nesting.
      if (last && (r.start < last.start || r.end > last.end || (r.start === last.start && r.end === last.end))) continue;
      sel = sel ? { range: r, parent: sel } : { range: r };
      last = r;
    }
    return sel ?? { range: { start: offset, end: offset } };
  });
}

export function documentLinks(parsed: ParsedPolicy): PolicyDocumentLink[] {
  return parsed.references
    .filter((r): r is Reference & { target: ProvisionNode } => r.target !== null)
    .map((r) => ({ range: r.range, target: r.target.headRange, tooltip: `${provisionLabel(r.target)}へ移動` }));
}
