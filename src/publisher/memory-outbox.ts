/**
 * `memoryOutbox()`: the default outbox. It keeps accepted events in the process's memory, so it is as fast as a
 * plain queue and as fragile: a crash loses what was not yet delivered, and `close()` past its deadline dead-letters
 * the rest with reason `shutdown`. Use `fileOutbox(dir)` or `postgresOutbox(...)` where accepted events must survive.
 *
 * @module
 */
import type { Outbox, OutboxAddOptions, OutboxAddResult, OutboxRecord } from './outbox.js';

/**
 * @internal The synchronous face of the memory outbox: the publisher stores and forgets through it without a promise
 * per event, which keeps `enqueue` as cheap as it was before outboxes existed. The publisher's own queue already holds
 * those records, so this face only counts them (for `size()`): a hash table churned on every event measured as a
 * tenth of the publisher's CPU.
 *
 * @example
 * ```ts
 * const sync = (outbox as Partial<SyncOutbox>)[SYNC_OUTBOX]
 * sync?.add(record)
 * ```
 */
export const SYNC_OUTBOX: unique symbol = Symbol('teei-event-relay.syncOutbox');

/**
 * @internal
 *
 * @example
 * ```ts
 * if (SYNC_OUTBOX in outbox) outbox[SYNC_OUTBOX].complete(record.deliveryId)
 * ```
 */
export interface SyncOutbox extends Outbox {
  readonly [SYNC_OUTBOX]: {
    /** Stores and holds `record` (what `add` does, answering `'claimed'`). */
    add(record: OutboxRecord): void;
    /** Forgets one record. */
    complete(deliveryId: string): void;
  };
}

const CLAIMED: Promise<OutboxAddResult> = Promise.resolve('claimed');

/**
 * An outbox in memory: not durable, for one process. Records are handed out oldest first; a released record goes
 * back behind those already available.
 *
 * @example
 * ```ts
 * const publisher = createPublisher({ transport, outbox: memoryOutbox() }) // the same as leaving `outbox` out
 * ```
 */
export function memoryOutbox(): Outbox {
  const held = new Map<string, OutboxRecord>();
  const available = new Map<string, OutboxRecord>();
  // Records the publisher holds in its queue through the synchronous face.
  let counted = 0;
  const store = (record: OutboxRecord): void => {
    available.delete(record.deliveryId);
    held.set(record.deliveryId, record);
  };
  const forget = (deliveryId: string): void => {
    if (!held.delete(deliveryId)) available.delete(deliveryId);
  };
  const outbox: SyncOutbox = {
    name: 'memory',
    durable: false,
    shared: false,
    [SYNC_OUTBOX]: {
      add() {
        counted += 1;
      },
      complete() {
        counted -= 1;
      },
    },
    add(record: OutboxRecord, options?: OutboxAddOptions) {
      if (options?.transaction !== undefined) {
        return Promise.reject(
          new TypeError('memoryOutbox() takes no transaction: enqueue({ transaction }) needs postgresOutbox()'),
        );
      }
      store(record);
      return CLAIMED;
    },
    async claim(limit: number) {
      const claimed: OutboxRecord[] = [];
      for (const record of available.values()) {
        if (claimed.length >= limit) break;
        claimed.push(record);
      }
      for (const record of claimed) store(record);
      return claimed;
    },
    async complete(deliveryIds: readonly string[]) {
      for (const id of deliveryIds) forget(id);
    },
    async release(deliveryIds: readonly string[]) {
      for (const id of deliveryIds) {
        const record = held.get(id);
        if (record === undefined) continue;
        held.delete(id);
        available.set(id, record);
      }
    },
    async size() {
      return counted + held.size + available.size;
    },
    async close() {},
  };
  return outbox;
}
