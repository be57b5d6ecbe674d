/**
 * `@teei/event-relay/redis`: Redis-backed parts for receivers that run on several instances. Works with node-redis
 * (`redis` ≥ 4) or `ioredis` (≥ 5), taken through a small command interface; the core never imports either.
 *
 * @module
 */

export type {
  IoRedisClientLike,
  NodeRedisClientLike,
  RedisClientLike,
  RedisCommand,
} from './redis/redis-command.js';
export {
  DEFAULT_REDIS_IDEMPOTENCY_OPTIONS,
  type RedisIdempotencyStoreOptions,
  redisIdempotencyStore,
} from './redis/redis-idempotency-store.js';
