/**
 * Idempotency by event id: the store interface the receiver claims each event through, with leases so a crashed
 * replica's claim lapses and a long handler's claim is renewed. `memoryIdempotencyStore` (one process) implements it
 * here; `redisIdempotencyStore` (`@teei/event-relay/redis`) and `postgresIdempotencyStore`
 * (`@teei/event-relay/postgres`) share it across replicas.
 *
 * @module
 */

/**
 * What `begin` found: the caller now holds the key, another claim holds it (and its lease has not lapsed), or an
 * earlier delivery completed it.
 *
 * @example `if ((await store.begin(eventId, token)) === 'completed') return 'duplicate'`
 */
export type IdempotencyState = 'started' | 'in_progress' | 'completed';

/**
 * Where the receiver records which events it is handling and has handled. The key is the event id read from the
 * verified body; the token is unique to one claim (one delivery on one replica), so a claim that lapsed and was taken
 * over cannot be completed or released by its former holder.
 *
 * The contract, which every shipped store passes (test/stores/idempotency-contract.test.ts):
 * - `begin` is atomic: of concurrent calls with one key, exactly one gets `'started'`. A claim whose lease lapsed
 *   (`leaseMs` without renewal) is taken over; a completed key answers `'completed'` for `ttlMs`.
 * - `renew` extends the claim by `leaseMs` and answers `true` while no other claim has taken the key over and nobody
 *   completed it (also after a lapse nobody used); `false` means the claim is lost.
 * - `complete` marks the key completed for `ttlMs`, unless another live claim holds it.
 * - `release` forgets the key, only if this token holds it.
 *
 * Each method may answer synchronously or with a promise; the receiver awaits only promises, so a synchronous store
 * costs no extra tick on the hot path. The receiver, not the store, renews claims on a heartbeat.
 *
 * @example
 * ```ts
 * import { createReceiver, memoryIdempotencyStore } from '@teei/event-relay'
 *
 * const store = memoryIdempotencyStore({ leaseMs: 10_000 })
 * const receiver = createReceiver({ secret: process.env.WEBHOOK_SIGNATURE_SECRET, idempotency: store })
 * ```
 */
export interface IdempotencyStore {
  /** A claim lapses after this many milliseconds without renewal; the receiver renews about every third of it. */
  readonly leaseMs: number;
  /** How long a completed key is kept, in milliseconds; the receiver refuses one shorter than its signature tolerance. */
  readonly ttlMs: number;
  /** Claims `key` for `token`: `'started'` when the caller holds it now, else the state it is in. */
  begin(key: string, token: string): IdempotencyState | Promise<IdempotencyState>;
  /** Extends the claim by `leaseMs`; `false` when it was lost (taken over, or completed by another). */
  renew(key: string, token: string): boolean | Promise<boolean>;
  /** The handlers succeeded: later deliveries of `key` are duplicates for `ttlMs`. */
  complete(key: string, token: string): void | Promise<void>;
  /**
   * The handlers failed: forget `key`, so the sender's retry is processed. Also after a permanent failure (422), so a
   * redrive from the sender's dead-letter queue, once the cause is fixed, is processed too.
   */
  release(key: string, token: string): void | Promise<void>;
}

/**
 * The lease and retention every shipped store takes.
 *
 * @example `const times: IdempotencyTimes = { ttlMs: 7 * 86_400_000, leaseMs: 10_000 }`
 */
export interface IdempotencyTimes {
  /**
   * How long a completed event id is kept, in milliseconds: a delivery within it is a duplicate. Keep it at least
   * the receiver's signature tolerance (`createReceiver` refuses a shorter one), and longer than the sender retries
   * and redrives.
   * @default 86_400_000 (24 h)
   */
  ttlMs?: number;
  /**
   * How long a claim holds without renewal, in milliseconds. The receiver renews it about every `leaseMs / 3` while
   * the handlers run, so this bounds only how long a crashed replica blocks its events (409 to the retries until then).
   * @default 30_000 (30 s)
   */
  leaseMs?: number;
}

/**
 * The defaults of {@link IdempotencyTimes}, shared by the memory, Redis and Postgres stores.
 *
 * @example `memoryIdempotencyStore({ ttlMs: DEFAULT_IDEMPOTENCY_TIMES.ttlMs * 7 }) // a week`
 */
export const DEFAULT_IDEMPOTENCY_TIMES = Object.freeze({
  ttlMs: 24 * 60 * 60 * 1000,
  leaseMs: 30_000,
});

/**
 * @internal Checks `ttlMs` and `leaseMs` once, for the store named `store`.
 * @throws {TypeError} naming the option when one is not a positive integer, or `ttlMs` is shorter than `leaseMs`.
 */
export function idempotencyTimes(options: IdempotencyTimes, store: string): Required<IdempotencyTimes> {
  const ttlMs = positiveInteger(options.ttlMs ?? DEFAULT_IDEMPOTENCY_TIMES.ttlMs, 'ttlMs', store);
  const leaseMs = positiveInteger(options.leaseMs ?? DEFAULT_IDEMPOTENCY_TIMES.leaseMs, 'leaseMs', store);
  if (ttlMs < leaseMs) {
    throw new TypeError(
      `${store}: ttlMs (${ttlMs}) must be at least leaseMs (${leaseMs}): a completed id outlives a claim`,
    );
  }
  return { ttlMs, leaseMs };
}

/** @internal */
export function positiveInteger(value: number, name: string, owner: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${owner}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
