/**
 * One process at a time per outbox directory. The lock is a `LOCK` file holding `{ pid, hostname, token, since }`,
 * created atomically: written in full under a temporary name, then hard-linked into place (which fails when a lock
 * exists), so no reader ever sees a half-written lock. A lock whose process is gone (same host, no such pid) is
 * stale and taken over: moved aside, checked to be the one judged stale (not a lock another starting process just
 * took), then replaced. A lock from this very process id but not held by this process is a previous incarnation's
 * (containers reuse pid 1 on every restart) and is taken over too.
 *
 * @module
 */
import { OutboxError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import type { NodeApis } from './node-apis.js';

/** Tokens of the locks this process holds: a lock naming our pid with another token is a previous incarnation's. */
const HELD = new Set<string>();

interface Holder {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
  readonly since: string;
}

/**
 * @internal
 *
 * @example
 * ```ts
 * const lock = await lockDirectory(apis, dir, log)
 * await lock.release()
 * ```
 */
export interface DirectoryLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * @internal Takes the lock of `dir`, or throws `OutboxError('outbox_locked')` naming the process that holds it.
 *
 * @example
 * ```ts
 * const lock = await lockDirectory(await nodeApis(), './outbox', logger)
 * ```
 */
export async function lockDirectory(apis: NodeApis, dir: string, log: Logger): Promise<DirectoryLock> {
  const { fs, path, os } = apis;
  const lockPath = path.join(dir, 'LOCK');
  const token = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const mine: Holder = { pid: process.pid, hostname: os.hostname(), token, since: new Date().toISOString() };
  const temp = path.join(dir, `LOCK.${token}.tmp`);
  await writeLockFile(apis, temp, JSON.stringify(mine));
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await place(apis, temp, lockPath)) {
        HELD.add(token);
        return { path: lockPath, release: () => release(apis, lockPath, token) };
      }
      const holder = await readHolder(apis, lockPath);
      if (holder === null) continue; // released meanwhile: try again
      if (alive(holder, os.hostname())) throw lockedError(dir, lockPath, holder);
      const aside = path.join(dir, `LOCK.stale.${token}`);
      try {
        await fs.rename(lockPath, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      const moved = await readHolder(apis, aside);
      if (moved !== null && moved.token !== holder.token) {
        // Another process took the stale lock between our read and our move: give its lock back.
        await place(apis, aside, lockPath);
        await fs.rm(aside, { force: true });
        continue;
      }
      await fs.rm(aside, { force: true });
      log.warn(
        { operation: 'outbox', directory: dir, pid: holder.pid, since: holder.since },
        `took over the lock of ${dir} left by process ${holder.pid}, which is gone`,
      );
    }
    throw new OutboxError('outbox_locked', `could not lock the outbox directory ${dir}: its LOCK keeps changing hands`);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** Creates `target` with the content of `source`, or answers `false` when `target` exists. */
async function place(apis: NodeApis, source: string, target: string): Promise<boolean> {
  try {
    await apis.fs.link(source, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
  }
  // A file system without hard links: exclusive create, then write (a reader may briefly see it empty).
  try {
    await writeLockFile(apis, target, await apis.fs.readFile(source, 'utf8'), 'wx');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Not fsync'd: after a crash a lost or empty lock is only a stale lock, and an unreadable one counts as stale. */
async function writeLockFile(apis: NodeApis, file: string, text: string, flags = 'w'): Promise<void> {
  await apis.fs.writeFile(file, text, { flag: flags });
}

/** The lock's holder; `null` when there is no lock; an unreadable lock reads as a dead holder. */
async function readHolder(apis: NodeApis, file: string): Promise<Holder | null> {
  let text: string;
  try {
    text = await apis.fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<Holder>;
    if (typeof holder.pid === 'number' && typeof holder.token === 'string') {
      return { pid: holder.pid, token: holder.token, hostname: String(holder.hostname), since: String(holder.since) };
    }
  } catch {
    // Fall through: garbage is no one's lock.
  }
  return { pid: -1, token: `unreadable:${text.length}`, hostname: '', since: 'unknown' };
}

function alive(holder: Holder, hostname: string): boolean {
  if (holder.pid < 0) return false;
  // Another machine's process (a shared volume) cannot be checked from here: assume it runs.
  if (holder.hostname !== hostname) return true;
  if (holder.pid === process.pid) return HELD.has(holder.token);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dir: string, lockPath: string, holder: Holder): OutboxError {
  const who =
    holder.pid === process.pid ? `this process (pid ${holder.pid})` : `process ${holder.pid} on ${holder.hostname}`;
  return new OutboxError(
    'outbox_locked',
    `the outbox directory ${dir} is in use by ${who} since ${holder.since}: one publisher per directory. Close the ` +
      `other publisher, give each process its own directory, or share one outbox with postgresOutbox(); if no such ` +
      `process runs, delete ${lockPath}`,
  );
}

async function release(apis: NodeApis, lockPath: string, token: string): Promise<void> {
  HELD.delete(token);
  const holder = await readHolder(apis, lockPath);
  if (holder?.token === token) await apis.fs.rm(lockPath, { force: true });
}
