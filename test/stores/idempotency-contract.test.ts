// The IdempotencyStore contract, run against every shipped store on its real server: memory, Redis through
// node-redis and through ioredis, Postgres. Tokens stand for replicas: two tokens on one store are two receivers
// sharing it. Leases here are short and real (the servers keep time), so waits have wide margins; every test uses
// its own keys, so they run concurrently.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, backendAvailable, freshKey, openFixture, type StoreFixture } from './backends.js';

describe.concurrent.each(BACKENDS)('IdempotencyStore contract: %s', (backend) => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    if (backendAvailable(backend)) fixture = await openFixture(backend);
  });
  afterAll(async () => {
    await fixture?.close();
  });
  const run = it.skipIf(!backendAvailable(backend));

  run('exposes its times, with the defaults of 24 h and 30 s', () => {
    expect(fixture.make()).toMatchObject({ ttlMs: 86_400_000, leaseMs: 30_000 });
    expect(fixture.make({ ttlMs: 5_000, leaseMs: 1_000 })).toMatchObject({ ttlMs: 5_000, leaseMs: 1_000 });
  });

  run('begin: of concurrent claims on one key exactly one starts', async () => {
    const store = fixture.make();
    const key = freshKey();
    const states = await Promise.all(Array.from({ length: 20 }, (_, i) => store.begin(key, `replica-${i}`)));
    expect(states.filter((s) => s === 'started')).toHaveLength(1);
    expect(states.filter((s) => s === 'in_progress')).toHaveLength(19);
  });

  run('complete: the key then answers completed, to any token', async () => {
    const store = fixture.make();
    const key = freshKey();
    expect(await store.begin(key, 'a')).toBe('started');
    await store.complete(key, 'a');
    expect(await store.begin(key, 'b')).toBe('completed');
    expect(await store.begin(key, 'a')).toBe('completed');
    expect(await store.renew(key, 'a')).toBe(false);
  });

  run('release: only the holder forgets the key, and the retry starts again', async () => {
    const store = fixture.make();
    const key = freshKey();
    await store.begin(key, 'a');
    await store.release(key, 'intruder');
    expect(await store.begin(key, 'b')).toBe('in_progress');
    await store.release(key, 'a');
    expect(await store.begin(key, 'b')).toBe('started');
  });

  run('complete: refused while another live claim holds the key', async () => {
    const store = fixture.make();
    const key = freshKey();
    await store.begin(key, 'a');
    await store.complete(key, 'intruder');
    expect(await store.begin(key, 'b')).toBe('in_progress');
    expect(await store.renew(key, 'a')).toBe(true);
  });

  run('keys are independent', async () => {
    const store = fixture.make();
    const [k1, k2] = [freshKey(), freshKey()];
    await store.begin(k1, 'a');
    await store.complete(k1, 'a');
    expect(await store.begin(k2, 'a')).toBe('started');
  });

  run(
    'lease: a claim not renewed lapses; the next delivery takes it over and the former holder is shut out',
    async () => {
      const store = fixture.make({ leaseMs: 300, ttlMs: 60_000 });
      const key = freshKey();
      expect(await store.begin(key, 'crashed')).toBe('started');
      expect(await store.begin(key, 'retry')).toBe('in_progress');
      await sleep(800);
      expect(await store.begin(key, 'retry')).toBe('started');
      expect(await store.renew(key, 'crashed')).toBe(false);
      await store.complete(key, 'crashed');
      await store.release(key, 'crashed');
      expect(await store.begin(key, 'third')).toBe('in_progress');
      expect(await store.renew(key, 'retry')).toBe(true);
      await store.complete(key, 'retry');
      expect(await store.begin(key, 'third')).toBe('completed');
    },
  );

  run('renew: a renewed claim outlives its lease many times over', async () => {
    const store = fixture.make({ leaseMs: 1_000, ttlMs: 60_000 });
    const key = freshKey();
    expect(await store.begin(key, 'slow')).toBe('started');
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      await sleep(200);
      expect(await store.renew(key, 'slow')).toBe(true);
      expect(await store.begin(key, 'other')).toBe('in_progress');
    }
    await store.complete(key, 'slow');
    expect(await store.begin(key, 'other')).toBe('completed');
  });

  run('renew and complete: a lapsed holder nobody replaced keeps the key', async () => {
    const store = fixture.make({ leaseMs: 300, ttlMs: 60_000 });
    const key = freshKey();
    await store.begin(key, 'paused');
    await sleep(800);
    expect(await store.renew(key, 'paused')).toBe(true);
    expect(await store.begin(key, 'other')).toBe('in_progress');
    await sleep(800);
    await store.complete(key, 'paused');
    expect(await store.begin(key, 'other')).toBe('completed');
  });

  run('ttl: a completed key is forgotten after ttlMs', async () => {
    const store = fixture.make({ leaseMs: 300, ttlMs: 600 });
    const key = freshKey();
    await store.begin(key, 'a');
    await store.complete(key, 'a');
    expect(await store.begin(key, 'b')).toBe('completed');
    await sleep(1_200);
    expect(await store.begin(key, 'b')).toBe('started');
  });

  run('refuses bad times with a TypeError naming the option', () => {
    expect(() => fixture.make({ leaseMs: 0 })).toThrow(/leaseMs must be a positive integer/);
    expect(() => fixture.make({ ttlMs: 1.5 })).toThrow(/ttlMs must be a positive integer/);
    expect(() => fixture.make({ ttlMs: 1_000, leaseMs: 2_000 })).toThrow(/ttlMs \(1000\) must be at least leaseMs/);
  });
});
