// TEST HELPER, NOT THE PRODUCT: a minimal Redis-backed IdempotencyStore so that two consumer processes can share
// claims. Swap it for `redisIdempotencyStore` from `@teei/event-relay/redis` once the replicas branch is merged.
// A claim is `SET key p:<token> NX PX lease`; complete and release run only with this process's own token (checked
// in Lua), so a claim that expired and was taken over is never completed or freed by its former owner.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { IdempotencyState, IdempotencyStore } from '../../src/index.js';

const COMPLETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2]) and 1 else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function redisTestIdempotencyStore(
  redis: Redis,
  prefix: string,
  { leaseMs = 30_000, ttlMs = 3_600_000 } = {},
): IdempotencyStore {
  const tokens = new Map<string, string>();
  const key = (id: string) => `${prefix}:${id}`;
  return {
    async begin(id): Promise<IdempotencyState> {
      for (let tries = 0; tries < 3; tries++) {
        const token = `p:${randomUUID()}`;
        if ((await redis.set(key(id), token, 'PX', leaseMs, 'NX')) === 'OK') {
          tokens.set(id, token);
          return 'started';
        }
        const current = await redis.get(key(id));
        if (current === 'done') return 'completed';
        if (current !== null) return 'in_progress';
        // expired between SET and GET: claim again
      }
      return 'in_progress';
    },
    async complete(id) {
      const token = tokens.get(id);
      tokens.delete(id);
      if (token !== undefined) await redis.eval(COMPLETE, 1, key(id), token, String(ttlMs));
    },
    async release(id) {
      const token = tokens.get(id);
      tokens.delete(id);
      if (token !== undefined) await redis.eval(RELEASE, 1, key(id), token);
    },
  };
}
