/**
 * When the language server dies: restart it a bounded number of times within a sliding window, then give up
 * and tell the user how to restart it by hand. Pure (no vscode import) so that it is unit-tested on its own;
 * extension.ts turns a decision into vscode-languageclient's CloseAction, a log line and the status bar.
 */

export interface RestartDecision {
  /** True: start the server again. False: leave it stopped until the user restarts it. */
  readonly restart: boolean;
  /** Restarts counted in the current window, including this one when `restart` is true. */
  readonly attempt: number;
  readonly maxRestarts: number;
  /** Japanese, for the output channel, the status bar tooltip and (when giving up) a notification. */
  readonly message: string;
}

/** The command the user runs to start a server the policy gave up on (declared in package.json). */
export const RESTART_COMMAND = 'kijun.restartServer';
export const RESTART_COMMAND_TITLE = 'Kijun: 言語サーバーを再起動';

export class RestartPolicy {
  /** Times of the automatic restarts still inside the window, oldest first. */
  private readonly restarts: number[] = [];
  private stopped = false;

  constructor(
    readonly maxRestarts = 4,
    readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxRestarts) || maxRestarts < 0) throw new RangeError(`maxRestarts must be a non-negative integer: ${maxRestarts}`);
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive: ${windowMs}`);
  }

  /** The server's connection closed without the client asking for it. */
  onClosed(): RestartDecision {
    const now = this.now();
    while (this.restarts.length > 0 && now - this.restarts[0]! >= this.windowMs) this.restarts.shift();
    if (!this.stopped && this.restarts.length < this.maxRestarts) {
      this.restarts.push(now);
      const attempt = this.restarts.length;
      return { restart: true, attempt, maxRestarts: this.maxRestarts, message: `言語サーバーが停止したため再起動します（${attempt}/${this.maxRestarts}）` };
    }
    this.stopped = true;
    const crashes = this.restarts.length + 1;
    const minutes = Math.round(this.windowMs / 60_000);
    const often = minutes >= 1 ? `${minutes}分以内に${crashes}回` : `${crashes}回`;
    return {
      restart: false,
      attempt: this.restarts.length,
      maxRestarts: this.maxRestarts,
      message: `言語サーバーが${often}停止したため、自動での再起動を中止しました。原因は「Kijun: ログを表示」で確認できます。コマンド「${RESTART_COMMAND_TITLE}」で再起動できます`,
    };
  }

  /** True once the policy has given up; only `reset` (the user's restart) lifts it. */
  get gaveUp(): boolean {
    return this.stopped;
  }

  /** Restarts counted in the window as of now. */
  get recentRestarts(): number {
    const now = this.now();
    return this.restarts.filter((t) => now - t < this.windowMs).length;
  }

  /** The user restarted the server: count from zero again. */
  reset(): void {
    this.restarts.length = 0;
    this.stopped = false;
  }
}
