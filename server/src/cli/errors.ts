/** An expected failure of the CLI: printed as one line ("日本語 / English"), exit code 2, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export const usageError = (ja: string, en: string): CliError => new CliError(`${ja} / ${en}`);
