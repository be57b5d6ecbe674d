/**
 * Recovery: reads the newest segment of an outbox directory and replays it into the records still to deliver.
 *
 * @module
 */
import { OutboxError } from '../../errors.js';
import type { OutboxRecord } from '../../publisher/outbox.js';
import type { Crc32 } from './crc32.js';
import { type Damage, decodeFrames, SEGMENT_HEADER } from './log-format.js';
import type { NodeApis } from './node-apis.js';
import { listSegments, segmentName } from './segment-log.js';

/**
 * @internal A record still to deliver, with the size of its frame (for the compaction policy).
 *
 * @example
 * ```ts
 * const entry: LiveRecord = { record, bytes: frame.length }
 * ```
 */
export interface LiveRecord {
  readonly record: OutboxRecord;
  readonly bytes: number;
}

/**
 * @internal What recovery found.
 *
 * @example
 * ```ts
 * const { seq, live, damage } = await readOutbox(apis, dir, crc)
 * ```
 */
export interface RecoveredOutbox {
  /** Number of the newest segment; 0 for a new directory. */
  readonly seq: number;
  /** The newest segment's path, when there is one. */
  readonly file: string | undefined;
  /** Records added and not completed, oldest first. */
  readonly live: Map<string, LiveRecord>;
  /** Bytes skipped: a torn tail, or damage inside the segment. */
  readonly damage: readonly Damage[];
}

/**
 * @internal Reads `dir` (which exists and is locked) and removes leftover temporary files of an interrupted
 * compaction. Only the newest segment counts: each segment starts as a full snapshot (see segment-log).
 *
 * @throws {OutboxError} `outbox_io` when the newest segment is not an outbox segment of a format this version reads.
 * @example
 * ```ts
 * const recovered = await readOutbox(await nodeApis(), './outbox', crc)
 * ```
 */
export async function readOutbox(apis: NodeApis, dir: string, crc: Crc32): Promise<RecoveredOutbox> {
  const { fs, path } = apis;
  const { segments, temps } = await listSegments(apis, dir);
  for (const temp of temps) await fs.rm(path.join(dir, temp), { force: true });
  const live = new Map<string, LiveRecord>();
  const seq = segments[0];
  if (seq === undefined) return { seq: 0, file: undefined, live, damage: [] };
  const file = path.join(dir, segmentName(seq));
  const bytes = await fs.readFile(file);
  if (bytes.subarray(0, SEGMENT_HEADER.length).toString('latin1') !== SEGMENT_HEADER) {
    throw new OutboxError(
      'outbox_io',
      `${file} does not start with "${SEGMENT_HEADER.trim()}": it is not an outbox segment this version reads. ` +
        'Move it away, or open the directory with the version that wrote it.',
    );
  }
  const { entries, damage } = decodeFrames(bytes, SEGMENT_HEADER.length, crc);
  for (const entry of entries) {
    if (entry.kind === 'add') live.set(entry.record.deliveryId, { record: entry.record, bytes: entry.bytes });
    else for (const id of entry.ids) live.delete(id);
  }
  return { seq, file, live, damage };
}
