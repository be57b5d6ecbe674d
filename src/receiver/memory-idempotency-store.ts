/**
 * The in-process idempotency store, the receiver's default: synchronous, so the hot path waits on nothing.
 *
 * @module
 */
import {
  DEFAULT_IDEMPOTENCY_TIMES,
  type IdempotencyStore,
  type IdempotencyTimes,
  idempotencyTimes,
  positiveInteger,
} from './idempotency-store.js';

/**
 * Options of {@link memoryIdempotencyStore}.
 *
 * @example `const options: MemoryIdempotencyStoreOptions = { ttlMs: 3_600_000, maxEntries: 10_000 }`
 */
export interface MemoryIdempotencyStoreOptions extends IdempotencyTimes {
  /**
   * Most ids kept; the oldest write is forgotten first.
   * @default 100_000
   */
  maxEntries?: number;
  /**
   * The clock, for tests.
   * @default Date.now
   */
  now?: () => number;
}

/**
 * The defaults of {@link memoryIdempotencyStore}.
 *
 * @example `memoryIdempotencyStore({ maxEntries: DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.maxEntries * 2 })`
 */
export const DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS = Object.freeze({
  ...DEFAULT_IDEMPOTENCY_TIMES,
  maxEntries: 100_000,
  now: Date.now,
});

/** One key's state, changed in place by every write (no new object per write). */
interface Entry {
  readonly key: string;
  /** The claim's holder; `undefined` once completed. */
  token: string | undefined;
  expiresAt: number;
  /** Until when an in-progress claim holds off other deliveries. */
  leaseUntil: number;
  /** The number of this key's latest write, or -1 once forgotten: a queue slot with another number is stale. */
  write: number;
}

/**
 * An in-process idempotency store: a `Map` for look-ups and a ring of writes in order, so expiry and eviction both
 * take from the ring's head in constant time, however full the store is; a write changes its key's entry in place. Synchronous, so the
 * receiver's hot path does not wait on it. One process only: use a shared store (`redisIdempotencyStore`,
 * `postgresIdempotencyStore`) when several instances receive the same sender.
 *
 * @param options completed-id TTL (default 24 h), lease (default 30 s), capacity (default 100,000) and clock.
 * @throws {TypeError} naming the option when `ttlMs`, `leaseMs` or `maxEntries` is not a positive integer, or
 * `ttlMs` is shorter than `leaseMs`.
 * @example
 * ```ts
 * import { createReceiver, memoryIdempotencyStore } from '@teei/event-relay'
 *
 * const receiver = createReceiver({
 *   secret: process.env.WEBHOOK_SIGNATURE_SECRET,
 *   idempotency: memoryIdempotencyStore({ ttlMs: 3_600_000 }),
 * })
 * ```
 */
export function memoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore & {
  /** Ids currently remembered (in progress or completed). */
  readonly size: number;
} {
  const { ttlMs, leaseMs } = idempotencyTimes(options, 'memoryIdempotencyStore');
  const maxEntries = positiveInteger(
    options.maxEntries ?? DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.maxEntries,
    'maxEntries',
    'memoryIdempotencyStore',
  );
  const now = options.now ?? DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.now;
  const entries = new Map<string, Entry>();
  const queue = writeQueue();
  let writes = 0;

  function forget(entry: Entry): void {
    entries.delete(entry.key);
    entry.write = -1;
  }

  // Every write gets the same TTL, so the queue's head is always the first to expire: expiry is lazy, at most a few
  // slots per call, and needs no Map look-up (a slot knows whether it is still its key's latest write).
  function sweep(at: number): void {
    while (!queue.isEmpty()) {
      const entry = queue.oldest();
      if (entry !== undefined) {
        if (entry.expiresAt > at) return;
        forget(entry);
      }
      queue.shift();
    }
  }

  /** Writes `key` (creating its entry when `entry` is undefined): it becomes the newest write, last to be evicted. */
  function put(key: string, entry: Entry | undefined, token: string | undefined, at: number): void {
    const write = writes++;
    if (entry === undefined) {
      entry = { key, token, expiresAt: at + ttlMs, leaseUntil: at + leaseMs, write };
      entries.set(key, entry);
    } else {
      entry.token = token;
      entry.expiresAt = at + ttlMs;
      entry.leaseUntil = at + leaseMs;
      entry.write = write;
    }
    queue.push(entry, write);
    while (entries.size > maxEntries) {
      const oldest = queue.oldest();
      if (oldest !== undefined) forget(oldest);
      queue.shift();
    }
  }

  /** The entry of `key` unless it expired (an expired entry is forgotten here, before the sweep reaches it). */
  function live(key: string, at: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined || entry.expiresAt > at) return entry;
    forget(entry);
    return undefined;
  }

  return {
    ttlMs,
    leaseMs,
    get size() {
      return entries.size;
    },
    begin(key, token) {
      const at = now();
      // Only a new claim sweeps: it is the write that adds an id, and each call then has one Map look-up.
      sweep(at);
      const entry = live(key, at);
      if (entry !== undefined) {
        if (entry.token === undefined) return 'completed';
        if (entry.leaseUntil > at) return 'in_progress';
      }
      put(key, entry, token, at);
      return 'started';
    },
    renew(key, token) {
      const at = now();
      const entry = live(key, at);
      // Re-written rather than extended in place, so a renewed claim is never the oldest write to expire or evict.
      if (entry === undefined || entry.token === token) {
        put(key, entry, token, at);
        return true;
      }
      return false;
    },
    complete(key, token) {
      const at = now();
      const entry = live(key, at);
      if (entry === undefined || entry.token === token || (entry.token !== undefined && entry.leaseUntil <= at)) {
        put(key, entry, undefined, at);
      }
    },
    release(key, token) {
      const entry = entries.get(key);
      if (entry?.token === token) forget(entry);
    },
  };
}

/**
 * The store's write order: a ring of (entry, write number) slots that doubles when full. Not a Map iterated from its
 * head: V8 leaves a hole per deletion at the front of a Map's table and walks them all on every iteration, so once
 * the store was full each claim cost ~100 µs instead of ~3 µs. Nor an array shifted or sliced: those copy.
 */
function writeQueue() {
  let entries: (Entry | undefined)[] = new Array(1024);
  let writes: number[] = new Array(1024).fill(0);
  let head = 0;
  let length = 0;

  function grow(): void {
    const nextEntries: (Entry | undefined)[] = new Array(entries.length * 2);
    const nextWrites: number[] = new Array(entries.length * 2).fill(0);
    for (let i = 0; i < length; i++) {
      nextEntries[i] = entries[(head + i) % entries.length];
      nextWrites[i] = writes[(head + i) % entries.length] as number;
    }
    entries = nextEntries;
    writes = nextWrites;
    head = 0;
  }

  return {
    isEmpty: () => length === 0,
    push(entry: Entry, write: number): void {
      if (length === entries.length) grow();
      const at = (head + length) % entries.length;
      entries[at] = entry;
      writes[at] = write;
      length++;
    },
    /** The oldest slot's entry if that slot is still the entry's latest write, else `undefined` (a stale slot). */
    oldest(): Entry | undefined {
      const entry = entries[head];
      return entry !== undefined && entry.write === writes[head] ? entry : undefined;
    },
    /** Drops the oldest slot. */
    shift(): void {
      if (length === 0) return;
      entries[head] = undefined;
      head = (head + 1) % entries.length;
      length--;
    },
  };
}
