/**
 * The only place that maps service data (UTF-16 offset ranges) to LSP types and back.
 * Every offset ↔ position conversion goes through the document's LineIndex.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Hover,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type DocumentLink,
  type DocumentSymbol,
  type FoldingRange,
  type Location,
  type LocationLink,
  type Position,
  type Range,
  type SelectionRange,
  type SymbolKind,
} from 'vscode-languageserver/node';
import type {
  CoverageViewData,
  PolicyCodeAction,
  PolicyCodeLens,
  PolicyCompletion,
  PolicyDocumentLink,
  PolicyFoldingRange,
  PolicyHover,
  PolicyLocationLink,
  PolicySelectionRange,
  PolicySymbol,
} from '../service';
import { SHOW_COVERAGE_COMMAND, type CoverageItemData } from '../protocol';
import type { LineIndex } from '../service/text/lineIndex';
import type { Finding, Fix, Severity, TextRange } from '../service/types';

export const diagnosticSource = 'kijun';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(range: TextRange, index: LineIndex): Range {
  return index.rangeOf(range);
}

export function toOffset(position: Position, index: LineIndex): number {
  return index.offsetAt(position);
}

/** Fixes travel in `diagnostic.data`, already converted for the version the diagnostic was computed on. */
export interface DiagnosticData {
  readonly version: number;
  readonly guidelineId?: string;
  readonly fixes?: readonly { title: string; isPreferred?: boolean; edits: { range: Range; newText: string }[] }[];
}

function fixData(fix: Fix, index: LineIndex): NonNullable<DiagnosticData['fixes']>[number] {
  return {
    title: fix.title,
    ...(fix.isPreferred !== undefined ? { isPreferred: fix.isPreferred } : {}),
    edits: fix.edits.map((e) => ({ range: toRange(e.range, index), newText: e.newText })),
  };
}

export function toDiagnostic(finding: Finding, uri: string, version: number, index: LineIndex): Diagnostic {
  // Related locations in other documents cannot be converted without their text, so only this document's are kept.
  const related: DiagnosticRelatedInformation[] = (finding.related ?? [])
    .filter((r) => r.uri === undefined || r.uri === uri)
    .map((r) => ({ location: { uri, range: toRange(r.range, index) }, message: r.message }));
  const data: DiagnosticData = {
    version,
    ...(finding.guidelineId ? { guidelineId: finding.guidelineId } : {}),
    ...(finding.fixes?.length ? { fixes: finding.fixes.map((f) => fixData(f, index)) } : {}),
  };
  return {
    range: toRange(finding.range, index),
    severity: severities[finding.severity] ?? DiagnosticSeverity.Warning,
    code: finding.code,
    source: diagnosticSource,
    message: finding.message,
    ...(related.length ? { relatedInformation: related } : {}),
    data,
  };
}

function isDiagnosticData(v: unknown): v is DiagnosticData {
  return typeof v === 'object' && v !== null && typeof (v as { version?: unknown }).version === 'number';
}

/** Quick fixes carried by Kijun diagnostics; fixes computed on another version are dropped rather than misapplied. */
export function toQuickFixes(diagnostics: readonly Diagnostic[], uri: string, version: number): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== diagnosticSource || !isDiagnosticData(d.data) || d.data.version !== version) continue;
    for (const fix of d.data.fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        ...(fix.isPreferred ? { isPreferred: true } : {}),
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return actions;
}

export function toDocumentSymbol(symbol: PolicySymbol, index: LineIndex): DocumentSymbol {
  return {
    name: symbol.name,
    ...(symbol.detail ? { detail: symbol.detail } : {}),
    kind: symbol.symbolKind as SymbolKind,
    range: toRange(symbol.range, index),
    selectionRange: toRange(symbol.selectionRange, index),
    children: symbol.children.map((c) => toDocumentSymbol(c, index)),
  };
}

export function toFoldingRange(r: PolicyFoldingRange): FoldingRange {
  return { startLine: r.startLine, endLine: r.endLine };
}

export function toLocationLink(link: PolicyLocationLink, uri: string, index: LineIndex, targetIndex: LineIndex = index): LocationLink {
  return {
    originSelectionRange: toRange(link.originRange, index),
    targetUri: uri,
    targetRange: toRange(link.targetRange, targetIndex),
    targetSelectionRange: toRange(link.targetSelectionRange, targetIndex),
  };
}

export function toLocation(range: TextRange, uri: string, index: LineIndex): Location {
  return { uri, range: toRange(range, index) };
}

export function toSelectionRange(s: PolicySelectionRange, index: LineIndex): SelectionRange {
  return { range: toRange(s.range, index), ...(s.parent ? { parent: toSelectionRange(s.parent, index) } : {}) };
}

/** In-document link; VS Code reveals `#L<line>,<column>` fragments of file URIs. */
export function toDocumentLink(link: PolicyDocumentLink, uri: string, index: LineIndex): DocumentLink {
  const target = index.positionAt(link.target.start);
  return { range: toRange(link.range, index), target: `${uri}#L${target.line + 1},${target.character + 1}`, tooltip: link.tooltip };
}

export function toHover(h: PolicyHover, index: LineIndex): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(h.range, index) };
}

const completionKinds = { clause: CompletionItemKind.Snippet, role: CompletionItemKind.Reference, term: CompletionItemKind.Constant } as const;

export function toCompletionItem(c: PolicyCompletion, index: LineIndex): CompletionItem {
  return {
    label: c.label,
    kind: completionKinds[c.kind],
    detail: c.detail,
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
    textEdit: { range: toRange(c.range, index), newText: c.newText },
    insertTextFormat: InsertTextFormat.PlainText,
    filterText: c.filterText,
    sortText: c.sortText,
  };
}

const sameRange = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** A service code action, linked to the editor's diagnostic for the same finding when the request carries it. */
export function toCodeAction(a: PolicyCodeAction, uri: string, index: LineIndex, context: readonly Diagnostic[]): CodeAction {
  const range = toRange(a.finding.range, index);
  const linked = context.filter((d) => d.source === diagnosticSource && d.code === a.finding.code && sameRange(d.range, range));
  return {
    title: a.title,
    kind: CodeActionKind.QuickFix,
    ...(linked.length > 0 ? { diagnostics: linked } : {}),
    ...(a.isPreferred ? { isPreferred: true } : {}),
    edit: { changes: { [uri]: a.edits.map((e) => ({ range: toRange(e.range, index), newText: e.newText })) } },
  };
}

export function toCodeLens(l: PolicyCodeLens, uri: string, index: LineIndex): CodeLens {
  return { range: toRange(l.range, index), command: { title: l.title, command: SHOW_COVERAGE_COMMAND, arguments: [uri, l.sectionId] } };
}

export function toCoverageItems(data: CoverageViewData, index: LineIndex): CoverageItemData[] {
  return data.items.map((i) => ({
    id: i.id,
    parent: i.parent,
    level: i.level,
    label: i.label,
    status: i.status,
    recommended: i.recommended,
    adopted: i.adopted,
    ...(i.reason ? { reason: i.reason } : {}),
    ...(i.range ? { range: toRange(i.range, index) } : {}),
    ...(i.insertAt !== undefined ? { insertAt: index.positionAt(i.insertAt) } : {}),
  }));
}
