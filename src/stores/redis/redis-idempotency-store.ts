/**
 * `redisIdempotencyStore`: event ids claimed and remembered in Redis, shared by every replica of a receiver.
 *
 * @module
 */
import {
  DEFAULT_IDEMPOTENCY_TIMES,
  type IdempotencyState,
  type IdempotencyStore,
  type IdempotencyTimes,
  idempotencyTimes,
} from '../../receiver/idempotency-store.js';
import { runIdempotencyScript } from './idempotency-script.js';
import { type RedisClientLike, redisCommand } from './redis-command.js';

/**
 * Options of {@link redisIdempotencyStore}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const options: RedisIdempotencyStoreOptions = { client: new Redis(), prefix: 'billing:webhooks:' }
 * ```
 */
export interface RedisIdempotencyStoreOptions extends IdempotencyTimes {
  /** A connected node-redis client, an ioredis client, or an adapter function. */
  client: RedisClientLike;
  /**
   * Put before every event id to make its key: give each receiver that must not share ids its own.
   * @default 'event-relay:idempotency:'
   */
  prefix?: string;
}

/**
 * The defaults of {@link redisIdempotencyStore}.
 *
 * @example `redisIdempotencyStore({ client, prefix: `${DEFAULT_REDIS_IDEMPOTENCY_OPTIONS.prefix}staging:` })`
 */
export const DEFAULT_REDIS_IDEMPOTENCY_OPTIONS = Object.freeze({
  ...DEFAULT_IDEMPOTENCY_TIMES,
  prefix: 'event-relay:idempotency:',
});

const STATES: readonly IdempotencyState[] = ['started', 'in_progress', 'completed'];
const OWNER = 'redisIdempotencyStore';

/**
 * An idempotency store in Redis, for a receiver running on several instances (or restarted). Each key holds the
 * claim's token with a `PX` lease while the handlers run, then a completed marker for `ttlMs`; every change is one
 * atomic Lua script that checks the token, so a claim that lapsed and was taken over cannot be completed or released
 * by its former holder. Redis's clock times the leases, so the replicas' clocks do not matter.
 *
 * @param options the client (node-redis ≥ 4, ioredis ≥ 5, or an adapter), key prefix, TTL (24 h) and lease (30 s).
 * @throws {TypeError} naming the option when `client` is not a client, `prefix` not a string, or a time not a
 * positive integer.
 * @example
 * ```ts
 * import { createReceiver } from '@teei/event-relay'
 * import { redisIdempotencyStore } from '@teei/event-relay/redis'
 * import { createClient } from 'redis'
 *
 * const client = await createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).connect()
 * const receiver = createReceiver({
 *   secret: process.env.WEBHOOK_SIGNATURE_SECRET,
 *   idempotency: redisIdempotencyStore({ client }),
 * })
 * ```
 */
export function redisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${OWNER}: options must be an object`);
  const command = redisCommand(options.client, OWNER);
  const prefix = options.prefix ?? DEFAULT_REDIS_IDEMPOTENCY_OPTIONS.prefix;
  if (typeof prefix !== 'string') throw new TypeError(`${OWNER}: prefix must be a string, got ${typeof prefix}`);
  const { ttlMs, leaseMs } = idempotencyTimes(options, OWNER);
  const lease = String(leaseMs);
  const ttl = String(ttlMs);

  return {
    ttlMs,
    leaseMs,
    async begin(key, token) {
      const state = STATES[await runIdempotencyScript(command, prefix + key, 'begin', token, lease)];
      if (state === undefined) throw new Error(`${OWNER}: unexpected reply from Redis to begin`);
      return state;
    },
    async renew(key, token) {
      return (await runIdempotencyScript(command, prefix + key, 'renew', token, lease)) === 1;
    },
    async complete(key, token) {
      await runIdempotencyScript(command, prefix + key, 'complete', token, ttl);
    },
    async release(key, token) {
      await runIdempotencyScript(command, prefix + key, 'release', token, lease);
    },
  };
}
