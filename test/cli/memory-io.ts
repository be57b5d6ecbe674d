// An in-memory `CliIo` for calling `run(argv, io)` inside the test process, so v8 coverage sees src/cli (the tests of
// the built bin, through built-cli.ts, run it as a child process that coverage does not reach). Output is captured
// as text, stdin is a string or Buffer, the environment is a plain record (nothing leaks in from the machine), and
// `interrupt()` fires `io.interrupted` as Ctrl-C does.
import { Readable } from 'node:stream';
import { palette } from '../../src/cli/colors.js';
import { type CliIo, type CliOutput, colorEnabled } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { OutputWatch } from '../helpers/output-watch.js';

export interface MemoryIoOptions {
  /** What stdin holds; empty when absent. */
  stdin?: string | Buffer;
  /** Whether stdin is a terminal (nothing piped in). @default false */
  stdinTTY?: boolean;
  /** The whole environment the command sees. @default {} */
  env?: Record<string, string | undefined>;
  /** Whether stdout and stderr are terminals (colours, progress lines). @default false */
  isTTY?: boolean;
  /** Overrides `isTTY` for stdout. */
  stdoutTTY?: boolean;
  /** Overrides `isTTY` for stderr. */
  stderrTTY?: boolean;
  /** Terminal width. @default 80 */
  columns?: number;
  /** Whether `io.interrupted` has fired already, so a command that would run until Ctrl-C ends at once. @default false */
  interrupted?: boolean;
}

export interface MemoryIo {
  readonly io: CliIo;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Fires `io.interrupted`, as SIGINT does for the real process. */
  interrupt(): void;
  /** Resolves with the first match of `pattern` in stdout + stderr, as soon as a write makes it match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function memoryIo(options: MemoryIoOptions = {}): MemoryIo {
  const env = options.env ?? {};
  const text = { stdout: '', stderr: '' };
  const watch = new OutputWatch('the command');
  const output = (name: 'stdout' | 'stderr', isTTY: boolean): CliOutput => ({
    write(chunk) {
      text[name] += chunk;
      watch.append(chunk);
    },
    isTTY,
    columns: options.columns ?? 80,
    color: palette(colorEnabled(isTTY, env)),
  });
  const stdin = Object.assign(
    Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)], { objectMode: false }),
    { isTTY: options.stdinTTY ?? false },
  );
  const controller = new AbortController();
  if (options.interrupted) controller.abort('SIGINT');
  const io: CliIo = {
    stdout: output('stdout', options.stdoutTTY ?? options.isTTY ?? false),
    stderr: output('stderr', options.stderrTTY ?? options.isTTY ?? false),
    stdin,
    env,
    interrupted: controller.signal,
  };
  return {
    io,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    interrupt: () => controller.abort('SIGINT'),
    waitFor: (pattern, timeoutMs = 15_000) => watch.waitFor(pattern, timeoutMs),
  };
}

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `event-relay <argv>` in this process to its end. */
export async function runCli(argv: readonly string[], options: MemoryIoOptions = {}): Promise<InProcessRun> {
  const memory = memoryIo(options);
  const code = await run(argv, memory.io);
  return { code, stdout: memory.stdout(), stderr: memory.stderr() };
}
