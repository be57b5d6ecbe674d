// What only the Redis store does: recognising either client library (or an adapter), the key layout and its TTLs on
// the real server, and running the script by its text when the server has not cached it.
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REDIS_IDEMPOTENCY_OPTIONS, type RedisCommand, redisIdempotencyStore } from '../../src/stores/redis.js';
import { REDIS_URL, redisAvailable, uniqueName } from '../helpers/services.js';
import { deleteRedisKeys, freshKey } from './backends.js';

describe('redisIdempotencyStore: options', () => {
  it('refuses a client of no known shape, naming the option', () => {
    expect(() => redisIdempotencyStore({ client: {} as never })).toThrow(/client must be a node-redis client/);
    expect(() => redisIdempotencyStore({ client: null as never })).toThrow(/got null/);
    const client: RedisCommand = async () => 0;
    expect(() => redisIdempotencyStore({ client, prefix: 1 as never })).toThrow(/prefix must be a string/);
  });

  it('defaults its key prefix', () => {
    expect(DEFAULT_REDIS_IDEMPOTENCY_OPTIONS).toEqual({
      prefix: 'event-relay:idempotency:',
      ttlMs: 86_400_000,
      leaseMs: 30_000,
    });
  });
});

describe.skipIf(!redisAvailable())('redisIdempotencyStore on the real Redis', () => {
  let io: Redis;
  let node: ReturnType<typeof createClient>;
  const prefix = `${uniqueName('idem_redis')}:`;
  beforeAll(async () => {
    io = new Redis(REDIS_URL);
    node = createClient({ url: REDIS_URL });
    await node.connect();
  });
  afterAll(async () => {
    await deleteRedisKeys(io, prefix);
    await node.quit();
    io.disconnect();
  });

  it('keeps a claim under the prefix with a PX lease, then the completed marker for ttlMs', async () => {
    const store = redisIdempotencyStore({ client: node, prefix, leaseMs: 5_000, ttlMs: 600_000 });
    const key = freshKey();
    await store.begin(key, 'tok');
    expect(await io.get(`${prefix}${key}`)).toBe('p:tok');
    const lease = await io.pttl(`${prefix}${key}`);
    expect(lease).toBeGreaterThan(0);
    expect(lease).toBeLessThanOrEqual(5_000);
    await store.complete(key, 'tok');
    expect(await io.get(`${prefix}${key}`)).toBe('c');
    expect(await io.pttl(`${prefix}${key}`)).toBeGreaterThan(590_000);
  });

  it('node-redis and ioredis see one state: a claim made through one is in progress through the other', async () => {
    const viaNode = redisIdempotencyStore({ client: node, prefix });
    const viaIo = redisIdempotencyStore({ client: io, prefix });
    const key = freshKey();
    expect(await viaNode.begin(key, 'a')).toBe('started');
    expect(await viaIo.begin(key, 'b')).toBe('in_progress');
    await viaIo.complete(key, 'a');
    expect(await viaNode.begin(key, 'c')).toBe('completed');
  });

  it('takes an adapter function, handing it the key of each command', async () => {
    const keys: string[] = [];
    const client: RedisCommand = (args, key) => {
      keys.push(key);
      return io.call(args[0] as string, ...args.slice(1));
    };
    const store = redisIdempotencyStore({ client, prefix });
    const key = freshKey();
    expect(await store.begin(key, 'a')).toBe('started');
    await store.release(key, 'a');
    expect(keys).toEqual([`${prefix}${key}`, `${prefix}${key}`]);
  });

  it('runs the script by its text when the server answers NOSCRIPT, then by its SHA again', async () => {
    const sent: string[] = [];
    let refuse = true;
    const client: RedisCommand = async (args) => {
      sent.push(args[0] as string);
      if (args[0] === 'EVALSHA' && refuse) {
        refuse = false;
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      }
      return io.call(args[0] as string, ...args.slice(1));
    };
    const store = redisIdempotencyStore({ client, prefix });
    const key = freshKey();
    expect(await store.begin(key, 'a')).toBe('started');
    expect(await store.begin(key, 'b')).toBe('in_progress');
    expect(sent).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
  });

  it('passes any other Redis error through', async () => {
    const client: RedisCommand = async () => {
      throw new Error('READONLY You cannot write against a read only replica.');
    };
    await expect(redisIdempotencyStore({ client, prefix }).begin(freshKey(), 'a')).rejects.toThrow(/READONLY/);
  });
});
