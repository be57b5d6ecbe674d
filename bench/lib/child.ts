/**
 * Forks TypeScript child processes (through tsx) and talks to them with request/answer messages over IPC,
 * so servers, sinks and load generators each get their own process and event loop.
 *
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A message to a child: `id` pairs it with the answer. */
interface Envelope {
  readonly id: number;
  readonly msg: unknown;
}

/** A forked child with a request/answer channel. */
export interface Child {
  readonly process: ChildProcess;
  call<T>(msg: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit (SIGTERM after a grace period), waits for it. */
  stop(): Promise<void>;
}

let nextId = 1;

/**
 * Forks `file` (a path relative to the calling module's URL) with tsx loaded and optional extra node flags.
 *
 * @example
 * ```ts
 * const sink = forkChild(new URL('./sink.ts', import.meta.url))
 * const { port } = await sink.call<{ port: number }>({ op: 'start' })
 * ```
 */
export function forkChild(file: URL, options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): Child {
  const child = fork(fileURLToPath(file), [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (raw) => {
    const { id, result, error } = raw as { id: number; result?: unknown; error?: string };
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    if (error !== undefined) w.reject(new Error(error));
    else w.resolve(result);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`child ${file.pathname} exited (${code ?? signal})`));
    waiting.clear();
  });
  return {
    process: child,
    call<T>(msg: unknown, timeoutMs = 600_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`child ${file.pathname} did not answer in ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ id, msg } satisfies Envelope);
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * In a child: answers each request with `handler`'s result (or its error message). The child exits when the
 * parent disconnects.
 *
 * @example
 * ```ts
 * serveParent(async (msg) => ({ port: 1234 }))
 * ```
 */
export function serveParent(handler: (msg: unknown) => Promise<unknown> | unknown): void {
  process.on('message', (raw) => {
    const { id, msg } = raw as Envelope;
    Promise.resolve()
      .then(() => handler(msg))
      .then(
        (result) => process.send?.({ id, result }),
        (error: unknown) =>
          process.send?.({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
