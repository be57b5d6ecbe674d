// The CLI tests run the built `event-relay` as a child process: vitest's aliases do not reach a child, and the bin is
// what users run. `npm test` must work from a fresh clone without `npm run build`, and the real build (declarations
// included) takes most of a minute here, so the tests build tsup's own `cliConfig` (the same entry, format and
// options as dist/cli/event-relay.js) into .tmp/cli/<hash>/, keyed by a hash of src/ and the build files: about a
// second of esbuild (plus 2 to 3 s to load tsup on this busy machine) on a change, nothing when fresh, never stale. The directory sits inside the repository so the bundle
// resolves `zod` from node_modules as the installed package does. Parallel test files may build at once: each
// writes to a directory of its own and renames it into place.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OutputWatch } from '../helpers/output-watch.js';
import { runToEnd } from '../helpers/run-to-end.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceHash(): string {
  const hash = createHash('sha256');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]))
      .sort();
  for (const file of [...files(join(ROOT, 'src')), join(ROOT, 'package.json'), join(ROOT, 'tsup.config.ts')]) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

let built: Promise<string> | undefined;

/** The path of the built `event-relay` script, building it first when src/ changed since the last build. */
export function builtCli(): Promise<string> {
  built ??= build();
  return built;
}

async function build(): Promise<string> {
  const dir = join(ROOT, '.tmp', 'cli', sourceHash());
  const bin = join(dir, 'event-relay.js');
  if (existsSync(bin)) return bin;
  const temp = `${dir}.${process.pid}.${Date.now()}`;
  const { build: tsup } = await import('tsup');
  const { cliConfig } = await import('../../tsup.config.js');
  await tsup({ ...cliConfig, outDir: temp, config: false, silent: true });
  try {
    renameSync(temp, dir);
  } catch {
    // Another test file built the same sources first.
    rmSync(temp, { recursive: true, force: true });
  }
  if (!existsSync(bin)) throw new Error(`the CLI build left no ${bin}`);
  // Builds of earlier sources are of no further use.
  const parent = dirname(dir);
  for (const name of readdirSync(parent)) {
    if (/^[0-9a-f]{16}$/.test(name) && join(parent, name) !== dir)
      rmSync(join(parent, name), { recursive: true, force: true });
  }
  return bin;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Piped to stdin (stdin is closed when absent). */
  input?: string | Buffer;
  /** Added to a clean environment: no CSR_/WEBHOOK_ variable leaks in from the machine. */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

/** A clean environment: PATH and HOME only, so a developer's own CSR_WEBHOOK_* cannot change a result. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  return { ...env, ...extra };
}

/** Runs the built CLI to completion. */
export async function cli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const bin = await builtCli();
  return runToEnd(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

export interface CliProcess {
  output(): { stdout: string; stderr: string };
  /** Resolves with the first match of `pattern` in stdout + stderr; rejects after `timeoutMs` or on exit. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code; SIGKILL after 10 s. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/** Starts the built CLI and leaves it running (for `listen`). */
export async function startCli(args: readonly string[], options: CliOptions = {}): Promise<CliProcess> {
  const bin = await builtCli();
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watch = new OutputWatch('the CLI');
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    watch.append(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    watch.append(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  void exited.then(() => watch.end());
  return {
    output: () => ({ stdout, stderr }),
    exited,
    waitFor: (pattern, timeoutMs = 20_000) => watch.waitFor(pattern, timeoutMs),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
