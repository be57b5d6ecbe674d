/**
 * The command line's two ways to stop early. They never leave the CLI (the library's errors live in `src/errors.ts`):
 * `run()` turns them into a message on stderr and an exit code.
 *
 * @module
 */

/**
 * Bad usage: an unknown flag, a missing argument, a value out of range. Exit code 2.
 *
 * @example `throw new UsageError('send', 'give --url or set CSR_WEBHOOK_URL')`
 */
export class UsageError extends Error {
  /** The command, e.g. `dlq list`, so the message can point at its `--help`. */
  readonly command: string;
  constructor(command: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/**
 * A failure the user should read about, without a stack trace: a missing file, a refused signature. Exit code 1.
 *
 * @example `throw new CliFailure('./dead-letters.jsonl does not exist')`
 */
export class CliFailure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliFailure';
  }
}
