/* eslint-disable @typescript-eslint/no-namespace -- the LSP idiom for custom messages is `namespace X { method; type }`. */
/**
 * Custom messages between the Kijun client and server, in the vscode-eslint idiom.
 * This is the only server file the client may import; esbuild inlines it into both bundles.
 * The `type` objects come from the client's copy of vscode-jsonrpc; vscode-languageserver nests an older one
 * whose classes are not assignable, so the server registers and sends by `method` string.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export type ServerState = 'loading' | 'ready' | 'error';

export interface StatusParams {
  readonly state: ServerState;
  /** Japanese text for the status bar tooltip / output channel. */
  readonly message?: string;
  /** When set, `findings` is the number of findings just computed for this document. */
  readonly uri?: string;
  readonly findings?: number;
}

/** Server → client: loading / ready / n findings for a document / error. */
export namespace StatusNotification {
  export const method = 'kijun/status' as const;
  export const type = new NotificationType<StatusParams>(method);
}

export interface CheckDocumentParams {
  readonly uri: string;
}

export interface CheckDocumentResult {
  /** False when the server does not know the document (not open, or not Markdown). */
  readonly enabled: boolean;
}

/**
 * Client → server: analyse this document even though it neither declares itself a policy in its
 * front matter nor matches `kijun.activation.globs` (command 「Kijunで検査」).
 */
export namespace CheckDocumentRequest {
  export const method = 'kijun/checkDocument' as const;
  export const type = new RequestType<CheckDocumentParams, CheckDocumentResult, void>(method);
}

/** The `kijun` settings section as the client stores it; the server validates every field. */
export interface KijunSettings {
  readonly enable: boolean;
  readonly activation: { readonly globs: readonly string[] };
}
