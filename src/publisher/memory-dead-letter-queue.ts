/**
 * A dead-letter queue in memory: the publisher's default. Entries are lost with the process; use
 * `fileDeadLetterQueue` (or your own store) where they must survive a restart.
 *
 * @module
 */
import type { DeadLetterEntry, DeadLetterListOptions, DeadLetterQueue } from '../delivery/dead-letter-queue.js';

/**
 * Options of {@link memoryDeadLetterQueue}.
 *
 * @example
 * ```ts
 * memoryDeadLetterQueue({ maxEntries: 50_000 })
 * ```
 */
export interface MemoryDeadLetterQueueOptions {
  /** Entries kept; `add` rejects beyond it (the publisher logs the refusal) rather than evicting silently. @default Infinity */
  maxEntries?: number;
}

/**
 * An in-memory dead-letter queue, keyed by entry id (adding an id again replaces the entry), oldest first.
 *
 * @throws {TypeError} when `maxEntries` is not a positive number.
 * @example
 * ```ts
 * const dlq = memoryDeadLetterQueue()
 * const publisher = createPublisher({ transport, deadLetter: dlq })
 * console.log(await dlq.size())
 * ```
 */
export function memoryDeadLetterQueue(options: MemoryDeadLetterQueueOptions = {}): DeadLetterQueue {
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  if (typeof maxEntries !== 'number' || !(maxEntries > 0)) {
    throw new TypeError(`maxEntries must be a positive number, got ${String(maxEntries)}`);
  }
  const entries = new Map<string, DeadLetterEntry>();
  return {
    async add(entry) {
      if (!entries.has(entry.id) && entries.size >= maxEntries) {
        throw new RangeError(`the dead-letter queue is full (maxEntries ${maxEntries})`);
      }
      entries.set(entry.id, entry);
    },
    async list(listOptions?: DeadLetterListOptions) {
      const all = [...entries.values()];
      return listOptions?.limit === undefined ? all : all.slice(0, listOptions.limit);
    },
    async remove(id) {
      return entries.delete(id);
    },
    async size() {
      return entries.size;
    },
  };
}
