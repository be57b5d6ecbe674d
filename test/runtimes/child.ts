/**
 * One runtime as a child process: started on a free loopback port, ready once `GET /info` answers, always stopped
 * (SIGTERM, then SIGKILL), its output kept for the report.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A started runtime.
 *
 * @example `const child = startChild(bin, args, { env, cwd }); await child.ready(url, 30_000)`
 */
export interface RuntimeChild {
  /** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
  ready(url: string, timeoutMs: number): Promise<void>;
  /** Stops the child: SIGTERM, SIGKILL after 3 s. Resolves once it has exited. */
  stop(): Promise<void>;
  /** What it printed (stdout and stderr, the last 4 KB). */
  output(): string;
}

const OUTPUT_KEEP = 4096;

/**
 * Spawns `command`.
 *
 * @example `const child = startChild('/path/to/deno', ['run', 'app.mjs'], { env: { PORT: '4000' } })`
 */
export function startChild(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; cwd: string },
): RuntimeChild {
  let text = '';
  let exited: string | undefined;
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-OUTPUT_KEEP);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
    child.once('error', (error) => {
      exited = `could not start: ${error.message}`;
      resolve();
    });
  });
  // This process ending for any reason takes the child with it.
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);

  return {
    async ready(url, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (exited) throw new Error(`${exited} before answering: ${text.trim().slice(-600)}`);
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
          if (response.ok) return;
        } catch {
          // Not listening yet.
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no answer on ${url} within ${timeoutMs} ms: ${text.trim().slice(-600)}`);
    },
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exit;
        clearTimeout(timer);
      }
      process.removeListener('exit', onExit);
    },
    output: () => text,
  };
}
