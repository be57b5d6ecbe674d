/**
 * What a command is: its arguments (for parsing and help), a summary, examples, and `run`.
 *
 * @module
 */
import type { ArgsSpec, FlagSpecs, ParsedArgs } from './args.js';
import type { CliIo } from './io.js';

/**
 * One command of `event-relay`, e.g. `sign` or `dlq list`.
 *
 * @example
 * ```ts
 * export const keysGenerate = defineCommand({ name: 'keys generate', summary: 'a new secret', flags, positionals: [], examples: [], run })
 * ```
 */
export interface Command<F extends FlagSpecs = FlagSpecs> extends ArgsSpec<F> {
  /** One line for the command list. */
  readonly summary: string;
  /** A paragraph or two for the command's own help. */
  readonly description: string;
  /** Command lines shown under "Examples". */
  readonly examples: readonly string[];
  /** Runs with parsed arguments; resolves with the exit code (0 success, 1 failure). */
  run(args: ParsedArgs<F>, io: CliIo): Promise<number>;
}

/**
 * Keeps the flags' literal types, so `run` sees `flags.url` as `string | undefined` and `flags.json` as `boolean`.
 *
 * @example `export const sign = defineCommand({ name: 'sign', … })`
 */
export function defineCommand<F extends FlagSpecs>(command: Command<F>): Command<F> {
  return command;
}
