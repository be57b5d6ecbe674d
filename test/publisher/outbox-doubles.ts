// Test doubles of the Outbox contract: a "durable" outbox in memory (it outlives the publishers that open it, as a
// directory or a table would), with every call recorded and hooks to slow or fail them.
import { memoryOutbox, type Outbox, type OutboxRecord } from '../../src/index.js';
import type { OutboxAddOptions } from '../../src/publisher/outbox.js';

export interface RecordingOutbox extends Outbox {
  readonly calls: { add: number; claim: number[]; complete: string[][]; release: string[][]; close: number };
  /** Fires the `watch` listeners, as another process's commit would. */
  notify(): void;
  /** A record stored by "another process": available to the next claim. */
  storeAvailable(record: OutboxRecord): Promise<void>;
  /** Runs before each add; throw or wait in it. */
  beforeAdd?: (record: OutboxRecord) => Promise<void> | void;
}

export function recordingOutbox(options: { durable?: boolean; watch?: boolean } = {}): RecordingOutbox {
  const inner = memoryOutbox();
  const listeners = new Set<() => void>();
  // What the caller's transaction holds until it "commits" (here: at once, but only visible to a later claim).
  const calls: RecordingOutbox['calls'] = { add: 0, claim: [], complete: [], release: [], close: 0 };
  const outbox: RecordingOutbox = {
    name: 'recording',
    durable: options.durable ?? true,
    calls,
    async add(record: OutboxRecord, addOptions?: OutboxAddOptions) {
      calls.add += 1;
      await outbox.beforeAdd?.(record);
      if (addOptions?.transaction !== undefined) {
        await outbox.storeAvailable(record);
        return 'stored';
      }
      return inner.add(record);
    },
    async claim(limit) {
      calls.claim.push(limit);
      return inner.claim(limit);
    },
    async complete(ids) {
      calls.complete.push([...ids]);
      return inner.complete(ids);
    },
    async release(ids) {
      calls.release.push([...ids]);
      return inner.release(ids);
    },
    size: () => inner.size(),
    async close() {
      calls.close += 1;
    },
    notify() {
      for (const listener of listeners) listener();
    },
    async storeAvailable(record) {
      await inner.add(record);
      await inner.release([record.deliveryId]);
    },
  };
  if (options.watch) {
    Object.assign(outbox, {
      watch(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
  }
  return outbox;
}
