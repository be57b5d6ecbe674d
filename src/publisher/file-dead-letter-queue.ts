/**
 * A dead-letter queue in a JSON-lines file: one entry per line, appended and fsync'd before `add` resolves, so an
 * entry survives a crash right after. A torn last line (a crash mid-write) is ignored on load; every whole line
 * before it loads. `remove` rewrites the file atomically (temp file, fsync, rename); removes that arrive while
 * one is waiting for its turn share its rewrite. `node:fs` is imported on first use, so the root entry loads where it
 * is missing (workerd without `nodejs_compat`).
 *
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import { nodeApis } from '../stores/file/node-apis.js';
import type { DeadLetterEntry, DeadLetterListOptions, DeadLetterQueue } from './dead-letter-queue.js';

/**
 * A file-backed dead-letter queue. The file is read once, on first use; one instance should own a file at a time.
 * Operations run one after another, in call order.
 *
 * @example
 * ```ts
 * const publisher = createPublisher({ transport, deadLetter: fileDeadLetterQueue('./dead-letters.jsonl') })
 * const { delivered, failed } = await publisher.redrive()
 * ```
 */
export function fileDeadLetterQueue(path: string): DeadLetterQueue {
  if (typeof path !== 'string' || path === '')
    throw new TypeError('fileDeadLetterQueue(path): path must be a non-empty string');
  let entries: Map<string, DeadLetterEntry> | undefined;
  // A chain of operations: appends and rewrites never interleave.
  let tail: Promise<unknown> = Promise.resolve();
  // The removal batch queued last on the chain and not yet started: later removes join it, so a redrive of n entries
  // costs a few rewrites of the file instead of n. Any other operation queued after it closes it (call order holds).
  let batch: { readonly ids: Set<string>; readonly run: Promise<Set<string>> } | undefined;
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    batch = undefined;
    const run = tail.then(operation, operation);
    tail = run.catch(() => {});
    return run;
  };
  const load = async (): Promise<Map<string, DeadLetterEntry>> => {
    if (entries) return entries;
    entries = parseLines(await readText(path));
    return entries;
  };
  const removeBatch = (ids: Set<string>) => async (): Promise<Set<string>> => {
    if (batch?.ids === ids) batch = undefined; // started: later removes need a rewrite of their own
    const map = await load();
    const removed = new Set([...ids].filter((id) => map.has(id)));
    if (removed.size === 0) return removed;
    const kept = new Map([...map].filter(([id]) => !removed.has(id)));
    // The memory follows the file only once the rewrite is durable: a failed rewrite forgets nothing.
    await rewrite(path, kept);
    for (const id of removed) map.delete(id);
    return removed;
  };
  return {
    add(entry) {
      return serial(async () => {
        const map = await load();
        await appendLine(path, `${JSON.stringify(entry)}\n`);
        map.delete(entry.id);
        map.set(entry.id, entry);
      });
    },
    list(options?: DeadLetterListOptions) {
      return serial(async () => {
        const all = [...(await load()).values()];
        return options?.limit === undefined ? all : all.slice(0, options.limit);
      });
    },
    remove(id) {
      // The same id twice in one batch: only the first call removed it.
      if (batch?.ids.has(id)) return batch.run.then(() => false);
      if (batch === undefined) {
        const ids = new Set<string>();
        const run = serial(removeBatch(ids));
        batch = { ids, run };
      }
      const current = batch;
      current.ids.add(id);
      return current.run.then((removed) => removed.has(id));
    },
    size() {
      return serial(async () => (await load()).size);
    },
  };
}

async function readText(path: string): Promise<string> {
  const { fs } = await nodeApis();
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

function parseLines(text: string): Map<string, DeadLetterEntry> {
  const map = new Map<string, DeadLetterEntry>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: DeadLetterEntry;
    try {
      entry = JSON.parse(line) as DeadLetterEntry;
    } catch {
      // A torn line from a crash mid-append: the entry never finished, so its add never resolved.
      continue;
    }
    if (typeof entry?.id !== 'string') continue;
    // A later line for the same id replaces the earlier one.
    map.delete(entry.id);
    map.set(entry.id, entry);
  }
  return map;
}

async function appendLine(path: string, line: string): Promise<void> {
  const { fs } = await nodeApis();
  const handle = await fs.open(path, 'a+');
  try {
    // A torn previous line would swallow this one; start it on a line of its own.
    const { size } = await handle.stat();
    const prefix = size > 0 && !(await endsWithNewline(handle, size)) ? '\n' : '';
    await handle.write(prefix + line);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const buffer = Buffer.alloc(1);
  await handle.read(buffer, 0, 1, size - 1);
  return buffer[0] === 0x0a;
}

async function rewrite(path: string, map: Map<string, DeadLetterEntry>): Promise<void> {
  const { fs, path: paths } = await nodeApis();
  const temp = `${path}.${process.pid}.tmp`;
  try {
    const handle = await fs.open(temp, 'w');
    try {
      let text = '';
      for (const entry of map.values()) text += `${JSON.stringify(entry)}\n`;
      await handle.write(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  await syncDirectory(paths.dirname(path));
}

/** Makes the rename itself durable. Some platforms (Windows) cannot open a directory: the rename stands anyway. */
async function syncDirectory(directory: string): Promise<void> {
  const { fs } = await nodeApis();
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Best effort only.
  } finally {
    await handle?.close();
  }
}
