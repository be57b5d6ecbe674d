/**
 * The file outbox's append-only log: one open segment, appends with group commit, and compaction.
 *
 * Group commit: appends that arrive while a write and its `fdatasync` are under way wait together for the next one,
 * so N concurrent `add`s cost one write and one fsync, not N. No timer delays a lone append: a group waits only for
 * the current turn of the event loop to end.
 *
 * Compaction: every segment is born as a snapshot of the live records, written under a temporary name, fsync'd,
 * renamed into place, and the directory fsync'd; only then is the previous segment deleted. The newest segment is
 * therefore always complete on its own, and a reader ignores older ones (a crash between the rename and the delete
 * leaves one behind).
 *
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import type { OutboxRecord } from '../../publisher/outbox.js';
import type { Crc32 } from './crc32.js';
import { encodeAdd, SEGMENT_HEADER } from './log-format.js';
import type { NodeApis } from './node-apis.js';

/**
 * What the log did, for tests and benchmarks (fsyncs per event).
 *
 * @example
 * ```ts
 * const { fsyncs, appends } = outbox.stats(); console.log(fsyncs / appends)
 * ```
 */
export interface FileOutboxStats {
  /** Frames appended (adds and completes). */
  readonly appends: number;
  /** Writes to the open segment, each followed by one fsync: concurrent appends share one. */
  readonly groupCommits: number;
  /** Every fsync: group commits, snapshots written by compaction, directories. */
  readonly fsyncs: number;
  /** Segments rewritten to drop completed records. */
  readonly compactions: number;
  /** Size of the open segment in bytes. */
  readonly segmentBytes: number;
}

interface Group {
  readonly frames: Buffer[];
  bytes: number;
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** `outbox-<16 digits>.log`: names sort in sequence order. */
const SEGMENT = /^outbox-(\d{16})\.log$/;

/**
 * @internal
 *
 * @example
 * ```ts
 * segmentName(7) // 'outbox-0000000000000007.log'
 * ```
 */
export function segmentName(seq: number): string {
  return `outbox-${String(seq).padStart(16, '0')}.log`;
}

/**
 * @internal The segments of a directory, newest first, and leftover temporary files.
 *
 * @example
 * ```ts
 * const { segments } = await listSegments(apis, dir)
 * ```
 */
export async function listSegments(apis: NodeApis, dir: string): Promise<{ segments: number[]; temps: string[] }> {
  const names = await apis.fs.readdir(dir);
  const segments = names.flatMap((name) => {
    const match = SEGMENT.exec(name);
    return match ? [Number(match[1])] : [];
  });
  const temps = names.filter((name) => name.startsWith('outbox-') && name.endsWith('.log.tmp'));
  return { segments: segments.sort((a, b) => b - a), temps };
}

/**
 * @internal
 *
 * @example
 * ```ts
 * const log = await SegmentLog.create(apis, dir, crc, 1, live.values(), onIdle)
 * await log.append(encodeAdd(record, crc))
 * ```
 */
export class SegmentLog {
  #handle: FileHandle | undefined;
  #seq = 0;
  #size = 0;
  #group: Group | undefined;
  #running: Promise<void> | undefined;
  #appends = 0;
  #groupCommits = 0;
  #fsyncs = 0;
  #compactions = 0;
  readonly #apis: NodeApis;
  readonly #dir: string;
  readonly #crc: Crc32;
  /** Runs between two group commits, while no write is under way: the owner compacts there. */
  readonly #between: () => Promise<void>;

  private constructor(apis: NodeApis, dir: string, crc: Crc32, between: () => Promise<void>) {
    this.#apis = apis;
    this.#dir = dir;
    this.#crc = crc;
    this.#between = between;
  }

  /** Writes a first segment numbered `seq` holding `records`, deletes the older ones, and opens it for appends. */
  static async create(
    apis: NodeApis,
    dir: string,
    crc: Crc32,
    seq: number,
    records: Iterable<OutboxRecord>,
    between: () => Promise<void>,
  ): Promise<SegmentLog> {
    const log = new SegmentLog(apis, dir, crc, between);
    await log.#snapshot(seq, records);
    return log;
  }

  get stats(): FileOutboxStats {
    return {
      appends: this.#appends,
      groupCommits: this.#groupCommits,
      fsyncs: this.#fsyncs,
      compactions: this.#compactions,
      segmentBytes: this.#size,
    };
  }

  /** Resolves once `frame` is written and fsync'd, together with the appends that joined its group. */
  append(frame: Buffer): Promise<void> {
    let group = this.#group;
    if (group === undefined) {
      let resolve = (): void => {};
      let reject = (_error: unknown): void => {};
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      group = { frames: [], bytes: 0, promise, resolve, reject };
      this.#group = group;
    }
    group.frames.push(frame);
    group.bytes += frame.length;
    this.#appends += 1;
    this.#running ??= this.#run();
    return group.promise;
  }

  /** Rewrites the live records into a new segment and drops the current one. */
  async compact(records: Iterable<OutboxRecord>): Promise<void> {
    await this.#snapshot(this.#seq + 1, records);
    this.#compactions += 1;
  }

  /** Resolves once no append is waiting or being written. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async close(): Promise<void> {
    await this.idle();
    await this.#handle?.close();
  }

  async #run(): Promise<void> {
    const handle = (): FileHandle => this.#handle as FileHandle;
    try {
      for (;;) {
        // Let this turn of the event loop finish first: the appends it makes, and those of the callers the last
        // group woke, join this group. Measured: groups twice as large and half the fsyncs per event at 64 callers.
        await new Promise((resolve) => setImmediate(resolve));
        const group = this.#group;
        if (group === undefined) break;
        this.#group = undefined;
        try {
          const data = group.frames.length === 1 ? (group.frames[0] as Buffer) : Buffer.concat(group.frames);
          await writeAll(handle(), data);
          await handle().datasync();
          this.#size += data.length;
          this.#groupCommits += 1;
          this.#fsyncs += 1;
          group.resolve();
        } catch (error) {
          group.reject(error);
        }
        try {
          await this.#between();
        } catch {
          // The owner reports its own failures; the log keeps appending to the current segment.
        }
      }
    } finally {
      this.#running = undefined;
    }
  }

  async #snapshot(seq: number, records: Iterable<OutboxRecord>): Promise<void> {
    const { fs, path } = this.#apis;
    const file = path.join(this.#dir, segmentName(seq));
    const temp = `${file}.tmp`;
    let size = 0;
    const out = await fs.open(temp, 'w');
    try {
      let chunk: Buffer[] = [Buffer.from(SEGMENT_HEADER)];
      let chunkBytes = chunk[0]!.length;
      for (const record of records) {
        const frame = encodeAdd(record, this.#crc);
        chunk.push(frame);
        chunkBytes += frame.length;
        if (chunkBytes >= 1 << 20) {
          size += await writeChunk(out, chunk);
          chunk = [];
          chunkBytes = 0;
        }
      }
      size += await writeChunk(out, chunk);
      await out.sync();
      this.#fsyncs += 1;
    } catch (error) {
      await out.close().catch(() => {});
      await fs.rm(temp, { force: true });
      throw error;
    }
    await out.close();
    await fs.rename(temp, file);
    if (await syncDirectory(this.#apis, this.#dir)) this.#fsyncs += 1;
    const previous = this.#handle;
    this.#handle = await fs.open(file, 'a');
    this.#seq = seq;
    this.#size = size;
    await previous?.close().catch(() => {});
    // Only now is the old segment redundant; a crash before the delete leaves it, and readers ignore it.
    const { segments } = await listSegments(this.#apis, this.#dir);
    for (const old of segments) if (old < seq) await fs.rm(path.join(this.#dir, segmentName(old)), { force: true });
  }
}

async function writeChunk(handle: FileHandle, frames: Buffer[]): Promise<number> {
  if (frames.length === 0) return 0;
  const data = Buffer.concat(frames);
  await writeAll(handle, data);
  return data.length;
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/**
 * @internal Makes a rename durable; `false` where a directory cannot be opened (Windows): the rename stands anyway.
 *
 * @example
 * ```ts
 * await syncDirectory(apis, dir)
 * ```
 */
export async function syncDirectory(apis: NodeApis, dir: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await apis.fs.open(dir, 'r');
    await handle.sync();
    return true;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}
