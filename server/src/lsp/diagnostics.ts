/**
 * Pull diagnostics (textDocument/diagnostic) for the unsaved buffer.
 * A request whose document changes while it waits is answered with ServerCancelled (retrigger), never with
 * findings for an older version; a request the client cancels is abandoned before the analysis runs; a request
 * whose document is closed while it waits gets an empty report and analyses nothing.
 */
import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { PolicyService } from '../service';
import type { Activation } from './activation';
import { toDiagnostic } from './convert';
import type { DocumentStore } from './documents';
import { applyRules, type SettingsStore } from './settings';

export interface DiagnosticsDeps {
  readonly documents: DocumentStore;
  readonly settings: SettingsStore;
  readonly activation: Activation;
  readonly service: () => PolicyService;
  /** Work before analysing a policy document (reading the role definitions of its sibling files). */
  readonly beforeAnalysis?: (uri: string) => Promise<void>;
  /** Reports the count for the status bar; `findings` undefined means "not analysed". */
  readonly reportCount: (uri: string, findings: number | undefined) => void;
}

export const emptyReport: DocumentDiagnosticReport = Object.freeze({ kind: DocumentDiagnosticReportKind.Full, items: [] });

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** While the user types, wait this long after the last edit so that a burst of keystrokes costs one analysis. */
export const editDebounceMs = 250;

function stale(): ResponseError<{ retriggerRequest: boolean }> {
  return new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
}

export function createDiagnostics(deps: DiagnosticsDeps) {
  // Bumped whenever answers may differ for the same version (settings, dictionary loaded, 「Kijunで検査」),
  // so that result ids from before never match.
  let generation = 0;

  async function pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const uri = params.textDocument.uri;
    const before = deps.documents.get(uri);
    if (!before) return emptyReport;
    const session = deps.documents.sessionOf(uri);
    /** After every wait: the document may have been closed (nothing to answer) or edited (retrigger). */
    const stillCurrent = (version: number): boolean => {
      if (deps.documents.sessionOf(uri) === undefined) return false;
      if (deps.documents.sessionOf(uri) !== session || deps.documents.versionOf(uri) !== version) throw stale();
      return true;
    };
    const config = await deps.settings.get(uri);
    // Let queued didChange / $/cancelRequest messages land before deciding what to analyse.
    const quiet = editDebounceMs - deps.documents.sinceLastEdit(uri);
    await (quiet > 0 ? delay(quiet) : yieldToEventLoop());
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (!stillCurrent(before.version)) return emptyReport;
    const doc = deps.documents.get(uri)!;

    const enabled = deps.activation.isEnabled(uri, doc.getText(), config);
    // The session makes a reopened document (same uri, same version, other text) never "unchanged".
    const resultId = `${generation}:${session}:${doc.version}:${enabled ? 1 : 0}`;
    if (!enabled) {
      deps.reportCount(uri, undefined);
      return { kind: DocumentDiagnosticReportKind.Full, resultId, items: [] };
    }
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };

    await deps.beforeAnalysis?.(uri);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (!stillCurrent(doc.version)) return emptyReport;
    // A first analysis tokenises the whole document: do that in short slices, so that hovers, completions
    // and edits are answered meanwhile, and stop as soon as an edit or a cancellation supersedes this pull.
    const superseded = {
      get isCancellationRequested(): boolean {
        return token.isCancellationRequested || deps.documents.sessionOf(uri) !== session || deps.documents.versionOf(uri) !== doc.version;
      },
    };
    await deps.service().prepare(doc, superseded, yieldToEventLoop);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (!stillCurrent(doc.version)) return emptyReport;
    const unusedRole = config.rules['unused-role'] !== undefined && config.rules['unused-role'] !== 'off';
    const findings = deps.service().getDiagnostics(doc, token, { unusedRole }).flatMap((f) => applyRules(f, config) ?? []);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (!stillCurrent(doc.version)) return emptyReport;
    deps.reportCount(uri, findings.length);
    return {
      kind: DocumentDiagnosticReportKind.Full,
      resultId,
      items: findings.map((f) => toDiagnostic(f, uri, doc.version, doc.lineIndex)),
    };
  }

  return {
    pull,
    /** Forget result ids so that the next pulls recompute everything. */
    invalidate(): void {
      generation++;
    },
  };
}
