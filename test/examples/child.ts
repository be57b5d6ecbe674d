// Runs an example script as its own Node process (`node --import tsx`, one process, so a kill leaves no orphan).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OutputWatch } from '../helpers/output-watch.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  readonly process: ChildProcess;
  output(): string;
  /** Resolves when stdout+stderr match `pattern`; rejects after `timeoutMs` or when the process ends first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startScript(file: string, env: Record<string, string>, args: readonly string[] = []): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: root,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
  });
  const watch = new OutputWatch(file);
  child.stdout?.on('data', (chunk: Buffer) => watch.append(chunk));
  child.stderr?.on('data', (chunk: Buffer) => watch.append(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  void exited.then(() => watch.end());
  return {
    process: child,
    output: () => watch.text,
    exited,
    async waitFor(pattern, timeoutMs = 60_000) {
      await watch.waitFor(pattern, timeoutMs);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
