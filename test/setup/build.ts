// A built dist/ for the tests that use the package as a user gets it (the docs snippets type-check against its
// declarations; the CLI runs its `bin`). `ensureBuilt()` runs `npm run build` when dist/ is missing or older than
// what it is built from, and does nothing otherwise (a few milliseconds of stat calls). A lock directory makes
// concurrent callers (the global setup, test files in parallel forks) share one build.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Test files that need dist/ (add yours): the global setup builds ahead of them when the run selects one. Each also
 * calls `ensureBuilt()` in its `beforeAll`, so a run this list misses still works, only with the build in the test.
 */
export const TESTS_NEEDING_DIST = [
  'test/docs/snippets.test.ts',
  'test/docs/check-snippets.test.ts',
  'test/package/root-entry-without-node.test.ts',
];

const INPUTS = ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json'];
const LOCK_WAIT_MS = 5 * 60_000;

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The files `npm run build` must produce: every format of every subpath in `exports`, and the `bin` targets. */
export function buildOutputs(root: string = ROOT): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
    bin?: string | Record<string, string>;
  };
  const outputs = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.startsWith('./dist/')) outputs.add(value.slice(2));
    } else if (typeof value === 'object' && value !== null) {
      for (const nested of Object.values(value)) collect(nested);
    }
  };
  collect(pkg.exports);
  for (const bin of typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {})) {
    outputs.add(bin.replace(/^\.\//, ''));
  }
  return [...outputs];
}

/** Why dist/ needs a build (`'dist/index.d.ts is missing'` …), or `undefined` when it is current. */
export function distStaleness(root: string = ROOT): string | undefined {
  let oldest = Number.POSITIVE_INFINITY;
  for (const output of buildOutputs(root)) {
    const path = join(root, output);
    if (!existsSync(path)) return `${output} is missing`;
    oldest = Math.min(oldest, statSync(path).mtimeMs);
  }
  for (const input of INPUTS) {
    const path = join(root, input);
    if (existsSync(path) && newestMtime(path) > oldest) return `${input} changed since the last build`;
  }
  return undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock, or answers false when a live process holds it. A lock left by a dead process is taken over. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock, { recursive: false });
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {}
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    // The pid file is written just after mkdir: give a fresh lock a moment before judging it abandoned.
    if (Number.isNaN(owner) ? age > 10_000 : !pidAlive(owner)) {
      rmSync(lock, { recursive: true, force: true });
    }
    return false;
  }
}

function runBuild(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`npm run build failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}

/** What {@link ensureBuilt} did. */
export interface BuildOutcome {
  /** Why it built, or `undefined` when dist/ was current (or another process built it meanwhile). */
  readonly reason: string | undefined;
  readonly durationMs: number;
}

/**
 * Builds dist/ when it is missing or stale, once across concurrent callers.
 *
 * @example `beforeAll(() => ensureBuilt(), 180_000)`
 */
export async function ensureBuilt(root: string = ROOT): Promise<BuildOutcome> {
  const started = Date.now();
  const lock = join(root, '.tmp', 'build.lock');
  mkdirSync(join(root, '.tmp'), { recursive: true });
  for (;;) {
    const reason = distStaleness(root);
    if (reason === undefined) return { reason: undefined, durationMs: Date.now() - started };
    if (tryLock(lock)) {
      try {
        // Another process may have finished a build between the check and the lock.
        const still = distStaleness(root);
        if (still !== undefined) await runBuild(root);
        return { reason: still, durationMs: Date.now() - started };
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`waited ${LOCK_WAIT_MS} ms for ${lock}; remove it`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Whether a run selected by these file filters (vitest's CLI filters; none = the whole suite) includes a test that
 * needs dist/. A filter selects the files whose path contains it.
 *
 * @example `runNeedsDist(['test/publisher']) // false`
 */
export function runNeedsDist(filters: readonly string[] | undefined): boolean {
  if (filters === undefined || filters.length === 0) return true;
  return filters.some((filter) =>
    TESTS_NEEDING_DIST.some((test) => test.includes(filter) || filter.replaceAll('\\', '/').includes(test)),
  );
}
