/**
 * `fileOutbox(dir)`: a durable outbox on one machine with no server to run. Each accepted event is appended to a log
 * in `dir` and fsync'd before `enqueue` resolves; concurrent appends share one fsync (group commit). Delivered and
 * dead-lettered events are appended as completions, and the log is compacted as they accumulate. After a crash the
 * next publisher that opens `dir` replays the log and delivers what was not completed; a frame torn by the crash is
 * skipped and reported. One process opens a directory at a time (a `LOCK` file; a dead process's lock is taken over).
 *
 * Files: `LOCK`, and `outbox-<16 digits>.log` segments (format: see log-format; durability: see segment-log).
 * Node only: the Node modules load on first use, so importing the package never needs them.
 *
 * @module
 */
import { OutboxError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import { silentLogger } from '../../observability/logger.js';
import type { Outbox, OutboxAddOptions, OutboxRecord } from '../../publisher/outbox.js';
import { type Crc32, crc32With } from './crc32.js';
import { type DirectoryLock, lockDirectory } from './directory-lock.js';
import { encodeAdd, encodeComplete } from './log-format.js';
import { nodeApis } from './node-apis.js';
import { type LiveRecord, readOutbox } from './read-outbox.js';
import { type FileOutboxStats, SegmentLog } from './segment-log.js';

/**
 * Options of {@link fileOutbox}.
 *
 * @example
 * ```ts
 * fileOutbox('./outbox', { logger: pino(), compactAfterBytes: 16 * 1024 * 1024 })
 * ```
 */
export interface FileOutboxOptions {
  /**
   * Where a torn tail skipped on open, a lock taken over and I/O failures are reported; `false` for none.
   * @default warnings and errors on stderr (`console.warn`, `console.error`)
   */
  logger?: Logger | false;
  /**
   * The open segment is compacted (its live records rewritten into a new segment) once it holds this many bytes and
   * at least half of them belong to completed events. @default 4194304 (4 MiB)
   */
  compactAfterBytes?: number;
}

/**
 * The defaults of {@link FileOutboxOptions}.
 *
 * @example
 * ```ts
 * fileOutbox(dir, { compactAfterBytes: DEFAULT_FILE_OUTBOX.compactAfterBytes * 4 })
 * ```
 */
export const DEFAULT_FILE_OUTBOX = Object.freeze({ compactAfterBytes: 4 * 1024 * 1024 });

/**
 * A file outbox: an {@link Outbox} with its directory and its write statistics.
 *
 * @example
 * ```ts
 * const outbox: FileOutbox = fileOutbox('./outbox')
 * console.log(outbox.stats().fsyncs)
 * ```
 */
export interface FileOutbox extends Outbox {
  readonly directory: string;
  /** Writes so far (all zero until the outbox is first used). */
  stats(): FileOutboxStats;
}

interface Opened {
  readonly log: SegmentLog;
  readonly lock: DirectoryLock;
  readonly crc: Crc32;
}

const stderrLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn: (obj: Record<string, unknown>, msg?: string) => console.warn(`[event-relay] ${msg ?? ''}`, obj),
  error: (obj: Record<string, unknown>, msg?: string) => console.error(`[event-relay] ${msg ?? ''}`, obj),
});

/**
 * Creates a file outbox in `dir` (created if missing). Nothing touches the disk until the first call: a publisher
 * opens it when it starts.
 *
 * @param dir - a directory for this publisher process alone.
 * @throws {TypeError} for an empty `dir` or a bad option. Its methods reject with `OutboxError`: `outbox_locked`
 *   when another live process has `dir` open, `outbox_io` when the disk refuses, `outbox_closed` after `close()`.
 * @example
 * ```ts
 * import { createPublisher, fileOutbox, httpTransport } from '@teei/event-relay'
 *
 * const publisher = createPublisher({
 *   transport: httpTransport({ url: process.env.CSR_WEBHOOK_URL, secret: process.env.CSR_WEBHOOK_SECRET }),
 *   outbox: fileOutbox('./var/outbox'),
 * })
 * ```
 */
export function fileOutbox(dir: string, options: FileOutboxOptions = {}): FileOutbox {
  if (typeof dir !== 'string' || dir.trim() === '') {
    throw new TypeError(`fileOutbox(dir): dir must be a non-empty path, got ${JSON.stringify(dir)}`);
  }
  const compactAfterBytes = options.compactAfterBytes ?? DEFAULT_FILE_OUTBOX.compactAfterBytes;
  if (!Number.isSafeInteger(compactAfterBytes) || compactAfterBytes < 1) {
    throw new TypeError(`fileOutbox: compactAfterBytes must be a positive integer, got ${String(compactAfterBytes)}`);
  }
  const { logger } = options;
  if (logger !== undefined && logger !== false && typeof logger?.warn !== 'function') {
    throw new TypeError('fileOutbox: logger must be a pino-compatible logger or false');
  }
  const log = logger === false ? silentLogger : (logger ?? stderrLogger);

  const live = new Map<string, LiveRecord>();
  // The live records no one holds, oldest first (a released record goes to the back).
  const available = new Map<string, LiveRecord>();
  let liveBytes = 0;
  // A write failed: the segment may end in a torn frame, so the next pause rewrites it from memory.
  let rewrite = false;
  let opening: Promise<Opened> | undefined;
  let opened: Opened | undefined;
  let closing: Promise<void> | undefined;

  const between = async (): Promise<void> => {
    const state = opened;
    if (state === undefined) return;
    const { segmentBytes } = state.log.stats;
    if (!rewrite && !(segmentBytes >= compactAfterBytes && liveBytes * 2 <= segmentBytes)) return;
    try {
      await state.log.compact(records());
      rewrite = false;
    } catch (error) {
      log.error({ operation: 'outbox', directory: dir, err: message(error) }, 'outbox compaction failed; will retry');
    }
  };
  function* records(): Iterable<OutboxRecord> {
    for (const entry of live.values()) yield entry.record;
  }

  const open = async (): Promise<Opened> => {
    const apis = await nodeApis();
    await apis.fs.mkdir(dir, { recursive: true });
    const lock = await lockDirectory(apis, dir, log);
    try {
      const crc = crc32With(apis.zlib);
      const recovered = await readOutbox(apis, dir, crc);
      for (const damage of recovered.damage) {
        log.warn(
          { operation: 'outbox', file: recovered.file, offset: damage.offset, bytes: damage.bytes },
          damage.atEnd
            ? 'outbox: skipped a torn tail (a write cut short by a crash; its enqueue never resolved)'
            : 'outbox: skipped damaged bytes inside the log; the records around them are kept',
        );
      }
      for (const [id, entry] of recovered.live) {
        live.set(id, entry);
        available.set(id, entry);
        liveBytes += entry.bytes;
      }
      // Recovery ends with a fresh snapshot: no torn tail is ever appended to.
      const segments = await SegmentLog.create(apis, dir, crc, recovered.seq + 1, records(), between);
      return { log: segments, lock, crc };
    } catch (error) {
      await lock.release().catch(() => {});
      throw error;
    }
  };
  const ready = (): Opened | Promise<Opened> => {
    if (closing !== undefined) throw closedError(dir);
    if (opened !== undefined) return opened;
    opening ??= open().then(
      (state) => {
        opened = state;
        return state;
      },
      (error: unknown) => {
        opening = undefined; // a later call tries again (the other process may have gone)
        throw error instanceof OutboxError
          ? error
          : new OutboxError('outbox_io', `could not open the outbox ${dir}: ${message(error)}`, { cause: error });
      },
    );
    return opening;
  };
  const store = (state: Opened, record: OutboxRecord): Promise<'claimed'> => {
    const frame = encodeAdd(record, state.crc);
    const entry: LiveRecord = { record, bytes: frame.length };
    const id = record.deliveryId;
    liveBytes += entry.bytes - (live.get(id)?.bytes ?? 0);
    // In memory before the write: a compaction between two group commits must include it.
    live.set(id, entry);
    available.delete(id);
    return state.log.append(frame).then(claimed, (error: unknown) => {
      if (live.get(id) === entry) {
        live.delete(id);
        liveBytes -= entry.bytes;
      }
      rewrite = true;
      throw new OutboxError(
        'outbox_io',
        `could not write event ${record.envelope.metadata.id} to the outbox ${dir}: ${message(error)}`,
        { cause: error },
      );
    });
  };
  const write = async (state: Opened, frame: Buffer, what: string): Promise<void> => {
    try {
      await state.log.append(frame);
    } catch (error) {
      rewrite = true;
      throw new OutboxError('outbox_io', `could not write ${what} to the outbox ${dir}: ${message(error)}`, {
        cause: error,
      });
    }
  };

  return {
    name: 'file',
    durable: true,
    shared: false,
    directory: dir,
    add(record: OutboxRecord, addOptions?: OutboxAddOptions): Promise<'claimed'> {
      if (addOptions?.transaction !== undefined) {
        return Promise.reject(
          new TypeError('fileOutbox() takes no transaction: enqueue({ transaction }) needs postgresOutbox()'),
        );
      }
      // Once open, no await before the append: an add costs its frame and one shared promise per group.
      if (opened !== undefined && closing === undefined) return store(opened, record);
      return (async () => store(await ready(), record))();
    },
    async claim(limit: number) {
      await ready();
      const claimed: OutboxRecord[] = [];
      for (const [id, entry] of available) {
        if (claimed.length >= limit) break;
        available.delete(id);
        claimed.push(entry.record);
      }
      return claimed;
    },
    async complete(deliveryIds: readonly string[]) {
      const state = await ready();
      const known: string[] = [];
      for (const id of deliveryIds) {
        const entry = live.get(id);
        if (entry === undefined) continue;
        live.delete(id);
        available.delete(id);
        liveBytes -= entry.bytes;
        known.push(id);
      }
      if (known.length > 0) await write(state, encodeComplete(known, state.crc), `${known.length} completion(s)`);
    },
    async release(deliveryIds: readonly string[]) {
      for (const id of deliveryIds) {
        const entry = live.get(id);
        if (entry !== undefined && !available.has(id)) available.set(id, entry);
      }
    },
    async size() {
      await ready();
      return live.size;
    },
    stats() {
      return opened?.log.stats ?? { appends: 0, groupCommits: 0, fsyncs: 0, compactions: 0, segmentBytes: 0 };
    },
    close() {
      closing ??= (async () => {
        const state = opened ?? (await opening?.catch(() => undefined));
        if (state === undefined) return;
        await state.log.close();
        await state.lock.release();
      })();
      return closing;
    },
  } satisfies FileOutbox;
}

const claimed = (): 'claimed' => 'claimed';

function closedError(dir: string): OutboxError {
  return new OutboxError('outbox_closed', `the outbox ${dir} is closed; open a new fileOutbox(${JSON.stringify(dir)})`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
