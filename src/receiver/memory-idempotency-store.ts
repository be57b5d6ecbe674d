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
  /** Neighbours in write order (oldest first): an intrusive list, so a write moves its entry without allocating. */
  older: Entry | undefined;
  newer: Entry | undefined;
}

/**
 * An in-process idempotency store: a `Map` for look-ups and its entries linked in write order, so expiry and
 * eviction both take the oldest in constant time, however full the store is, and a write moves its entry to the
 * newest end in place. Synchronous, so the receiver's hot path does not wait on it. One process only: use a shared store (`redisIdempotencyStore`,
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
  // Write order. Not the Map's own order (delete and set again to move a key): V8 leaves a hole per deletion at the
  // front of a Map's table and walks them all on every iteration, so once the store was full each claim cost
  // ~100 µs instead of ~3 µs.
  let oldest: Entry | undefined;
  let newest: Entry | undefined;

  function unlink(entry: Entry): void {
    if (entry.older === undefined) oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  function append(entry: Entry): void {
    entry.older = newest;
    if (newest === undefined) oldest = entry;
    else newest.newer = entry;
    newest = entry;
  }

  function forget(entry: Entry): void {
    entries.delete(entry.key);
    unlink(entry);
  }

  // Every write gets the same TTL, so the oldest write is always the first to expire.
  function sweep(at: number): void {
    while (oldest !== undefined && oldest.expiresAt <= at) forget(oldest);
  }

  /** Writes `key` (creating its entry when `entry` is undefined): it becomes the newest write, last to be evicted. */
  function put(key: string, entry: Entry | undefined, token: string | undefined, at: number): void {
    if (entry === undefined) {
      const created: Entry = {
        key,
        token,
        expiresAt: at + ttlMs,
        leaseUntil: at + leaseMs,
        older: undefined,
        newer: undefined,
      };
      entries.set(key, created);
      append(created);
      while (entries.size > maxEntries && oldest !== undefined) forget(oldest);
      return;
    }
    entry.token = token;
    entry.expiresAt = at + ttlMs;
    entry.leaseUntil = at + leaseMs;
    if (entry !== newest) {
      unlink(entry);
      append(entry);
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
