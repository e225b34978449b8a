/**
 * The open-document store: incremental sync through TextDocuments, plus a LineIndex per (uri, version),
 * because LineIndex is the only offset ↔ position converter in the project.
 */
import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../service/text/lineIndex';
import type { PolicyDocument } from '../service/types';

/** An immutable view of one version of an open document. */
export interface Snapshot extends PolicyDocument {
  readonly lineIndex: LineIndex;
}

export interface DocumentStore {
  /** The current snapshot, or undefined for a document the client has not opened. */
  get(uri: string): Snapshot | undefined;
  /** The version the client last sent, to detect that a computed answer went stale. */
  versionOf(uri: string): number | undefined;
  /**
   * Which opening of the document this is (a number that grows with every didOpen), or undefined when it is
   * not open: a document closed and reopened at the same version is another document for cached answers.
   */
  sessionOf(uri: string): number | undefined;
  /** Milliseconds since the last edit (not counting the open), or Infinity. */
  sinceLastEdit(uri: string): number;
  onDidClose(listener: (uri: string) => void): void;
  all(): readonly string[];
}

export function createDocumentStore(connection: Connection): DocumentStore {
  const documents = new TextDocuments(TextDocument);
  const snapshots = new Map<string, Snapshot>();
  const closeListeners: ((uri: string) => void)[] = [];
  const editedAt = new Map<string, number>();
  const justOpened = new Set<string>();
  const sessions = new Map<string, number>();
  let opened = 0;

  // TextDocuments reports an open as a content change too; only real edits count for debouncing.
  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    sessions.set(e.document.uri, ++opened);
  });
  documents.onDidChangeContent((e) => {
    if (!justOpened.delete(e.document.uri)) editedAt.set(e.document.uri, Date.now());
  });

  documents.onDidClose((e) => {
    snapshots.delete(e.document.uri);
    editedAt.delete(e.document.uri);
    sessions.delete(e.document.uri);
    justOpened.delete(e.document.uri);
    for (const l of closeListeners) l(e.document.uri);
  });
  documents.listen(connection);

  return {
    get(uri) {
      const doc = documents.get(uri);
      if (!doc) return undefined;
      const cached = snapshots.get(uri);
      if (cached && cached.version === doc.version) return cached;
      const text = doc.getText();
      const snapshot: Snapshot = Object.freeze({ uri, version: doc.version, getText: () => text, lineIndex: new LineIndex(text) });
      snapshots.set(uri, snapshot);
      return snapshot;
    },
    versionOf: (uri) => documents.get(uri)?.version,
    sessionOf: (uri) => (documents.get(uri) ? sessions.get(uri) : undefined),
    sinceLastEdit: (uri) => {
      const at = editedAt.get(uri);
      return at === undefined ? Infinity : Date.now() - at;
    },
    onDidClose: (listener) => void closeListeners.push(listener),
    all: () => documents.keys(),
  };
}
