/**
 * The file outbox's log format. A segment file starts with the line `event-relay outbox 1\n` (format version 1), then
 * holds frames back to back:
 *
 * ```
 * offset  size  field
 * 0       1     marker 0xE7: where a frame starts (a reader that lost its place looks for the next one)
 * 1       1     kind: 1 = add (a stored event), 2 = complete (events delivered or dead-lettered)
 * 2       4     payload length n, unsigned 32-bit little-endian
 * 6       4     CRC-32 (IEEE) of bytes 1..5 (kind and length) followed by the payload
 * 10      n     payload, UTF-8 JSON: add → {"id","at","envelope"}; complete → ["id", …]
 * ```
 *
 * A frame that is cut short, fails its checksum or does not parse is damage: the reader skips to the next marker that
 * starts a valid frame and reports the bytes it skipped. A crash mid-append can only tear the last frame, whose
 * `add` never resolved, so skipping it loses nothing that was promised. The length is covered by the checksum, so a
 * flipped length cannot make the reader swallow good frames.
 *
 * @module
 */
import type { OutboxRecord } from '../../publisher/outbox.js';

/** The first bytes of every segment: the format and its version, readable with `head -1`. */
export const SEGMENT_HEADER = 'event-relay outbox 1\n';

const MARKER = 0xe7;
const ADD = 1;
const COMPLETE = 2;
/** Marker, kind, length, checksum. */
export const FRAME_OVERHEAD = 10;
/** A longer payload is damage: no event comes near it (receivers refuse bodies over 1 MiB by default). */
const MAX_PAYLOAD = 64 * 1024 * 1024;

/**
 * @internal One frame, decoded.
 *
 * @example
 * ```ts
 * if (entry.kind === 'add') live.set(entry.record.deliveryId, entry)
 * ```
 */
export type LogEntry =
  | { readonly kind: 'add'; readonly record: OutboxRecord; readonly bytes: number }
  | { readonly kind: 'complete'; readonly ids: readonly string[] };

/**
 * @internal Bytes the reader skipped: a torn tail (`atEnd`) or damage inside the file.
 *
 * @example
 * ```ts
 * for (const d of damage) log.warn({ offset: d.offset, bytes: d.bytes }, d.atEnd ? 'torn tail skipped' : 'damage skipped')
 * ```
 */
export interface Damage {
  readonly offset: number;
  readonly bytes: number;
  readonly atEnd: boolean;
}

/** @internal CRC-32 over bytes, continuing from `value`. */
type Crc = (data: Uint8Array, value?: number) => number;

/**
 * @internal An add frame for `record`.
 *
 * @example
 * ```ts
 * await handle.write(encodeAdd(record, crc))
 * ```
 */
export function encodeAdd(record: OutboxRecord, crc: Crc): Buffer {
  return frame(ADD, JSON.stringify({ id: record.deliveryId, at: record.enqueuedAt, envelope: record.envelope }), crc);
}

/**
 * @internal A complete frame for `ids`.
 *
 * @example
 * ```ts
 * await handle.write(encodeComplete(['a', 'b'], crc))
 * ```
 */
export function encodeComplete(ids: readonly string[], crc: Crc): Buffer {
  return frame(COMPLETE, JSON.stringify(ids), crc);
}

function frame(kind: number, payload: string, crc: Crc): Buffer {
  const length = Buffer.byteLength(payload);
  const bytes = Buffer.allocUnsafe(FRAME_OVERHEAD + length);
  bytes[0] = MARKER;
  bytes[1] = kind;
  bytes.writeUInt32LE(length, 2);
  bytes.write(payload, FRAME_OVERHEAD, 'utf8');
  bytes.writeUInt32LE(crc(bytes.subarray(FRAME_OVERHEAD), crc(bytes.subarray(1, 6))), 6);
  return bytes;
}

/**
 * @internal Every valid frame of a segment (after its header), in order, and the damage skipped.
 *
 * @example
 * ```ts
 * const { entries, damage } = decodeFrames(await fs.readFile(file), SEGMENT_HEADER.length, crc)
 * ```
 */
export function decodeFrames(bytes: Buffer, start: number, crc: Crc): { entries: LogEntry[]; damage: Damage[] } {
  const entries: LogEntry[] = [];
  const damage: Damage[] = [];
  let offset = start;
  while (offset < bytes.length) {
    const entry = readFrame(bytes, offset, crc);
    if (entry !== undefined) {
      entries.push(entry.entry);
      offset = entry.end;
      continue;
    }
    let next = bytes.indexOf(MARKER, offset + 1);
    while (next !== -1 && readFrame(bytes, next, crc) === undefined) next = bytes.indexOf(MARKER, next + 1);
    const end = next === -1 ? bytes.length : next;
    damage.push({ offset, bytes: end - offset, atEnd: next === -1 });
    offset = end;
  }
  return { entries, damage };
}

function readFrame(bytes: Buffer, offset: number, crc: Crc): { entry: LogEntry; end: number } | undefined {
  if (bytes.length - offset < FRAME_OVERHEAD || bytes[offset] !== MARKER) return undefined;
  const kind = bytes[offset + 1];
  const length = bytes.readUInt32LE(offset + 2);
  const end = offset + FRAME_OVERHEAD + length;
  if ((kind !== ADD && kind !== COMPLETE) || length > MAX_PAYLOAD || end > bytes.length) return undefined;
  const payload = bytes.subarray(offset + FRAME_OVERHEAD, end);
  if (crc(payload, crc(bytes.subarray(offset + 1, offset + 6))) !== bytes.readUInt32LE(offset + 6)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  const entry = kind === ADD ? addEntry(value, end - offset) : completeEntry(value);
  return entry === undefined ? undefined : { entry, end };
}

function addEntry(value: unknown, bytes: number): LogEntry | undefined {
  const { id, at, envelope } = (value ?? {}) as { id?: unknown; at?: unknown; envelope?: unknown };
  const metadata = (envelope as { metadata?: { id?: unknown } } | null)?.metadata;
  if (typeof id !== 'string' || id === '' || typeof at !== 'number' || typeof metadata?.id !== 'string') {
    return undefined;
  }
  return { kind: 'add', record: { deliveryId: id, envelope, enqueuedAt: at } as OutboxRecord, bytes };
}

function completeEntry(value: unknown): LogEntry | undefined {
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) return undefined;
  return { kind: 'complete', ids: value as string[] };
}
