/**
 * What a command talks to: two output streams with their colours, stdin, the environment, and a signal that fires
 * on Ctrl-C. Commands never touch `process` directly, so one process can run them in any context.
 *
 * @module
 */
import { type Palette, palette } from './colors.js';

/**
 * One output stream.
 *
 * @example `io.stderr.write(io.stderr.color.dim('waiting…\n'))`
 */
export interface CliOutput {
  write(text: string): void;
  /** Whether the stream is a terminal: progress lines update in place only there. */
  readonly isTTY: boolean;
  /** Terminal width, when a terminal. @default 80 */
  readonly columns: number;
  /** Colours, or plain text when the stream is not a terminal or `NO_COLOR` is set. */
  readonly color: Palette;
}

/**
 * The command's world.
 *
 * @example `const code = await command.run(args, processIo())`
 */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborts on SIGINT or SIGTERM: long-running commands (`listen`, `send`) stop cleanly. */
  readonly interrupted: AbortSignal;
}

/**
 * The real process's streams and signals.
 *
 * @example `process.exitCode = await run(process.argv.slice(2), processIo())`
 */
export function processIo(): CliIo {
  const env = process.env;
  let interrupted: AbortSignal | undefined;
  return {
    stdout: output(process.stdout, env),
    stderr: output(process.stderr, env),
    stdin: process.stdin,
    env,
    // Installed on first use only: a handler disables Node's default exit on Ctrl-C, which the short commands keep
    // (one blocked on stdin must still stop at once).
    get interrupted() {
      interrupted ??= onInterrupt();
      return interrupted;
    },
  };
}

function onInterrupt(): AbortSignal {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C while stopping means "now": the default behaviour comes back.
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    controller.abort(signal);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

function output(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): CliOutput {
  const isTTY = stream.isTTY === true;
  return {
    write: (text) => void stream.write(text),
    isTTY,
    columns: isTTY && stream.columns > 0 ? stream.columns : 80,
    color: palette(colorEnabled(isTTY, env)),
  };
}

/**
 * Whether to colour a stream: `NO_COLOR` (non-empty) always wins; `FORCE_COLOR` (anything but `0`/`false`) forces
 * colours on a pipe; otherwise only a terminal other than `TERM=dumb` gets colours.
 *
 * @example `colorEnabled(process.stdout.isTTY === true, process.env)`
 */
export function colorEnabled(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if ((env.NO_COLOR ?? '') !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}
