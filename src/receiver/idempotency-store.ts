/**
 * Idempotency by delivery id: the store interface the receiver claims each delivery through, and the in-memory
 * store it uses by default. Redis (`SET key NX PX`) or Postgres (`INSERT … ON CONFLICT DO NOTHING`) back the same
 * interface for a receiver running on several instances.
 *
 * @module
 */

/**
 * What `begin` found: the caller now owns the id, another delivery is processing it, or it is done.
 *
 * @example `if ((await store.begin(deliveryId)) === 'completed') return 'duplicate'`
 */
export type IdempotencyState = 'started' | 'in_progress' | 'completed';

/**
 * Where the receiver records which deliveries it has processed. `begin` must be atomic: of two concurrent calls
 * with one id, exactly one gets `'started'`. Each method may answer synchronously or with a promise; the receiver
 * awaits only promises, so a synchronous store costs no extra tick on the hot path.
 *
 * @example
 * ```ts
 * // Redis (ioredis), sketched:
 * const store: IdempotencyStore = {
 *   async begin(id) {
 *     if (await redis.set(`wh:${id}`, 'in_progress', 'PX', 60_000, 'NX')) return 'started'
 *     return (await redis.get(`wh:${id}`)) === 'completed' ? 'completed' : 'in_progress'
 *   },
 *   async complete(id) { await redis.set(`wh:${id}`, 'completed', 'PX', 86_400_000) },
 *   async release(id) { await redis.del(`wh:${id}`) },
 * }
 * ```
 */
export interface IdempotencyStore {
  /** Claims `id`: `'started'` when the caller owns it now, else what state it is in. */
  begin(id: string): IdempotencyState | Promise<IdempotencyState>;
  /** The handlers succeeded: later deliveries of `id` are duplicates. */
  complete(id: string): void | Promise<void>;
  /**
   * The handlers failed: forget `id`, so the sender's retry is processed. Also after a permanent failure (422), so a
   * redrive from the sender's dead-letter queue, once the cause is fixed, is processed too.
   */
  release(id: string): void | Promise<void>;
}

/**
 * Options of {@link memoryIdempotencyStore}.
 *
 * @example `const options: MemoryIdempotencyStoreOptions = { ttlMs: 3_600_000, maxEntries: 10_000 }`
 */
export interface MemoryIdempotencyStoreOptions {
  /**
   * How long an id is remembered, in milliseconds (an in-progress claim expires too, so a lost claim frees itself).
   * @default 86_400_000 (24 h)
   */
  ttlMs?: number;
  /**
   * How long an in-progress claim blocks other deliveries of its id, in milliseconds. A handler that never settles
   * (a hung database call) would otherwise answer 409 to every retry until `ttlMs` runs out and the sender
   * dead-letters the event; past this lease the next delivery takes the id over and is processed.
   * @default 300_000 (5 min)
   */
  inProgressTtlMs?: number;
  /**
   * Most ids kept; the oldest is forgotten first.
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
 * @example `memoryIdempotencyStore({ ttlMs: DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.ttlMs * 7 }) // a week`
 */
export const DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS = Object.freeze({
  ttlMs: 24 * 60 * 60 * 1000,
  inProgressTtlMs: 5 * 60 * 1000,
  maxEntries: 100_000,
  now: Date.now,
});

interface Entry {
  readonly id: string;
  readonly completed: boolean;
  readonly expiresAt: number;
  /** Until when an in-progress claim holds off other deliveries. */
  readonly leaseUntil: number;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`memoryIdempotencyStore: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * An in-process idempotency store: a `Map` for look-ups and an array queue in write order, so expiry and eviction
 * both take from the queue's head in amortised constant time, however full the store is. Synchronous, so the receiver's hot path does not wait on it. One process only: use a
 * shared store (Redis, Postgres) when several instances receive the same sender.
 *
 * @param options TTL (default 24 h), in-progress lease (default 5 min), capacity (default 100,000) and clock.
 * @throws {TypeError} when `ttlMs`, `inProgressTtlMs` or `maxEntries` is not a positive integer.
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, idempotency: memoryIdempotencyStore({ ttlMs: 3_600_000 }) })
 * ```
 */
export function memoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore & {
  /** Ids currently remembered (in progress or completed). */
  readonly size: number;
} {
  const ttlMs = positiveInteger(options.ttlMs ?? DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.ttlMs, 'ttlMs');
  const inProgressTtlMs = positiveInteger(
    options.inProgressTtlMs ?? DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.inProgressTtlMs,
    'inProgressTtlMs',
  );
  const maxEntries = positiveInteger(options.maxEntries ?? DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.maxEntries, 'maxEntries');
  const now = options.now ?? DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.now;
  const entries = new Map<string, Entry>();
  // Write order. A Map iterated from its head would be the natural queue, but V8 leaves a hole per deletion at the
  // front of its table and walks them all on every iteration: once the store is full, each claim cost ~100 µs
  // instead of ~3 µs. Entries superseded by a later write stay here until they reach the head (skipped as stale).
  let queue: Entry[] = [];
  let head = 0;

  function isLive(entry: Entry): boolean {
    return entries.get(entry.id) === entry;
  }

  function dropHead(): void {
    head++;
    if (head >= 1024 && head * 2 >= queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  // Every entry gets the same TTL from its write, so the queue's head is always the first to expire.
  function sweep(at: number): void {
    while (head < queue.length) {
      const entry = queue[head] as Entry;
      if (isLive(entry)) {
        if (entry.expiresAt > at) return;
        entries.delete(entry.id);
      }
      dropHead();
    }
  }

  function put(id: string, completed: boolean, at: number): void {
    const entry: Entry = { id, completed, expiresAt: at + ttlMs, leaseUntil: at + inProgressTtlMs };
    entries.set(id, entry);
    queue.push(entry);
    while (entries.size > maxEntries && head < queue.length) {
      const oldest = queue[head] as Entry;
      if (isLive(oldest)) entries.delete(oldest.id);
      dropHead();
    }
  }

  return {
    get size() {
      return entries.size;
    },
    begin(id) {
      const at = now();
      sweep(at);
      const entry = entries.get(id);
      if (entry !== undefined && entry.expiresAt > at) {
        if (entry.completed) return 'completed';
        if (entry.leaseUntil > at) return 'in_progress';
      }
      put(id, false, at);
      return 'started';
    },
    complete(id) {
      put(id, true, now());
    },
    release(id) {
      entries.delete(id);
    },
  };
}
