/**
 * The outbox contract: where a publisher keeps each event from the moment `enqueue`/`publish` accepts it until it
 * is delivered or dead-lettered. The memory outbox (the default) lives and dies with the process; a durable one
 * (`fileOutbox`, `postgresOutbox`) keeps what was accepted across a crash, a restart or a deploy, and hands it back
 * to the next publisher that opens it.
 *
 * The publisher owns retries, the breaker and the dead-letter queue; an outbox only stores, hands out and forgets.
 * Several publisher processes may share one outbox only when it says so (`shared`): each record is then held by one
 * process at a time under a lease the outbox keeps alive itself while that process lives, and taken over by another
 * once the lease lapses.
 *
 * @module
 */
import type { EventEnvelope } from '../envelope/envelope-schema.js';

/**
 * One accepted event, as the outbox keeps it.
 *
 * @example
 * ```ts
 * const record: OutboxRecord = { deliveryId: envelope.metadata.id, envelope, enqueuedAt: Date.now() }
 * ```
 */
export interface OutboxRecord {
  /** The outbox's key: stable across retries, restarts and redrives (the receiver deduplicates on the event id). */
  readonly deliveryId: string;
  /** The validated event, exactly as it will be sent. */
  readonly envelope: EventEnvelope;
  /** When the publisher accepted it, in milliseconds since the epoch. */
  readonly enqueuedAt: number;
}

/**
 * Per-call options of {@link Outbox.add}.
 *
 * @example
 * ```ts
 * await outbox.add(record, { transaction: client }) // postgresOutbox: inside the caller's BEGIN … COMMIT
 * ```
 */
export interface OutboxAddOptions {
  /**
   * A database client inside the caller's own open transaction: the record is written with it, so it is committed or
   * rolled back with the caller's work (the transactional outbox). Only an outbox that supports it accepts one; the
   * others throw a `TypeError`. @default undefined
   */
  readonly transaction?: unknown;
}

/**
 * What {@link Outbox.add} did with a record.
 *
 * - `'claimed'`: stored durably and held by this process: the publisher delivers it now.
 * - `'stored'`: stored, but not for this process to deliver now (it waits on the caller's transaction): a later
 *   {@link Outbox.claim}, here or in another process, hands it out once it is visible. Only an add with a
 *   transaction may answer it: `publish()` (which never passes one) needs `'claimed'` to report the delivery.
 *
 * @example
 * ```ts
 * if ((await outbox.add(record)) === 'claimed') queue.push(record)
 * ```
 */
export type OutboxAddResult = 'claimed' | 'stored';

/**
 * Where a publisher keeps accepted events until they are delivered or dead-lettered.
 *
 * Every method may be called concurrently; an implementation serialises what it must. A record is in exactly one of
 * three states: *available* (stored, held by no live process), *held* (claimed by this or another process) or gone
 * (completed). `complete` and `release` are only called for records this process holds; ids they do not know (already
 * completed, say) are ignored. A `deliveryId` added again while stored names the same event: the outbox keeps it
 * once, and one `complete` forgets it.
 *
 * @example
 * ```ts
 * const publisher = createPublisher({ transport, outbox: fileOutbox('./outbox') })
 * ```
 */
export interface Outbox {
  /** For logs and metrics: `memory`, `file`, `postgres`, or your own. */
  readonly name: string;
  /**
   * Whether records survive the process. A publisher resumes a durable outbox's records when it starts and leaves
   * undelivered ones in place on `close()`; it dead-letters a non-durable outbox's leftovers (reason `shutdown`).
   */
  readonly durable: boolean;
  /** Whether several processes may open it at once (claims are leased). @default false */
  readonly shared?: boolean;
  /**
   * Stores one record. Resolves only once the record is as durable as the outbox promises (fsync'd, committed), so
   * a crash right after loses nothing. Concurrent calls may share one write (group commit).
   *
   * @throws when the record could not be stored: the caller's `enqueue` rejects, nothing is sent.
   */
  add(record: OutboxRecord, options?: OutboxAddOptions): Promise<OutboxAddResult>;
  /**
   * Up to `limit` available records, now held by this process, oldest first. A publisher calls it when it starts
   * (to resume), when {@link Outbox.watch} fires, and when it has room for more; `[]` when there are none.
   */
  claim(limit: number): Promise<OutboxRecord[]>;
  /** The records were delivered or dead-lettered: forget them for good. */
  complete(deliveryIds: readonly string[]): Promise<void>;
  /**
   * This process gives the records back undelivered (a deadline on `close()`): they become available to the next
   * start, or to another process.
   */
  release(deliveryIds: readonly string[]): Promise<void>;
  /**
   * Calls `listener` whenever records may have become available without this process adding them (another
   * process's commit, a lapsed lease). Returns a function that stops it. Absent: the publisher polls `claim`.
   */
  watch?(listener: () => void): () => void;
  /** Records stored and not completed (available or held): the outbox depth gauge. */
  size(): Promise<number>;
  /** Releases what the outbox opened itself (file handles, a LISTEN connection, timers). Idempotent. */
  close(): Promise<void>;
}
