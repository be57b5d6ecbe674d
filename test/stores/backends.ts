// The idempotency stores under test, each against its real server: how to build one with given times, and how to
// leave nothing behind. Redis runs twice, once per client library.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createClient } from 'redis';
import { type IdempotencyStore, memoryIdempotencyStore } from '../../src/index.js';
import type { IdempotencyTimes } from '../../src/receiver/idempotency-store.js';
import { ensureIdempotencyTable, postgresIdempotencyStore } from '../../src/stores/postgres.js';
import { type RedisClientLike, redisIdempotencyStore } from '../../src/stores/redis.js';
import { PG_URL, pgAvailable, REDIS_URL, redisAvailable, uniqueName } from '../helpers/services.js';

export const BACKENDS = ['memory', 'node-redis', 'ioredis', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];
export const SHARED_BACKENDS = ['node-redis', 'ioredis', 'postgres'] as const satisfies readonly Backend[];

export interface StoreFixture {
  /** A store over the fixture's own key prefix or table (the memory backend: a new map each time). */
  make(times?: IdempotencyTimes): IdempotencyStore;
  /** What a child process needs to build the same store: `STORE`, `STORE_NAME`. */
  readonly env: Record<string, string>;
  /** Deletes the keys or the table, closes the connections. */
  close(): Promise<void>;
}

/** Whether the backend's server answered the global setup (always true under CI, which fails otherwise). */
export function backendAvailable(backend: Backend): boolean {
  if (backend === 'memory') return true;
  return backend === 'postgres' ? pgAvailable() : redisAvailable();
}

/** Deletes every key under `prefix` (SCAN, never KEYS, on a Redis other runs share). */
export async function deleteRedisKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export async function openFixture(backend: Backend): Promise<StoreFixture> {
  const name = uniqueName('idem');
  if (backend === 'memory') {
    return {
      make: (times) => memoryIdempotencyStore(times),
      env: { STORE: backend, STORE_NAME: name },
      close: async () => {},
    };
  }
  if (backend === 'postgres') {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
    await ensureIdempotencyTable({ pool, table: name });
    return {
      make: (times) => postgresIdempotencyStore({ pool, table: name, ...times }),
      env: { STORE: backend, STORE_NAME: name },
      async close() {
        await pool.query(`DROP TABLE IF EXISTS "${name}"`);
        await pool.end();
      },
    };
  }
  const prefix = `${name}:`;
  const admin = new Redis(REDIS_URL);
  let client: RedisClientLike;
  let quit: () => Promise<unknown>;
  if (backend === 'ioredis') {
    client = admin;
    quit = async () => {};
  } else {
    const node = await createClient({ url: REDIS_URL }).connect();
    client = node;
    quit = () => node.quit();
  }
  return {
    make: (times) => redisIdempotencyStore({ client, prefix, ...times }),
    env: { STORE: backend, STORE_NAME: prefix },
    async close() {
      await deleteRedisKeys(admin, prefix);
      await quit();
      admin.disconnect();
    },
  };
}

/** A key no other test uses. */
export function freshKey(): string {
  return randomUUID();
}
