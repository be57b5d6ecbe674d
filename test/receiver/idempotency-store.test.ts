import { describe, expect, it } from 'vitest';
import { createReceiver, type IdempotencyStore, memoryIdempotencyStore } from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';

describe('memoryIdempotencyStore', () => {
  it('claims an id once: started, then in_progress, then completed', () => {
    const store = memoryIdempotencyStore();
    expect(store.begin('a')).toBe('started');
    expect(store.begin('a')).toBe('in_progress');
    store.complete('a');
    expect(store.begin('a')).toBe('completed');
  });

  it('forgets a released id, so the retry starts again', () => {
    const store = memoryIdempotencyStore();
    store.begin('a');
    store.release('a');
    expect(store.begin('a')).toBe('started');
  });

  it('forgets ids after ttlMs', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ ttlMs: 1000, now: () => now });
    store.begin('a');
    store.complete('a');
    now = 999;
    expect(store.begin('a')).toBe('completed');
    now = 1000;
    expect(store.begin('a')).toBe('started');
  });

  it('expires the oldest entries as time passes, keeping the size bounded', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ ttlMs: 10, now: () => now });
    for (let i = 0; i < 100; i++) {
      now = i;
      store.begin(`id-${i}`);
    }
    expect(store.size).toBeLessThanOrEqual(11);
  });

  it('keeps at most maxEntries, forgetting the oldest first', () => {
    const store = memoryIdempotencyStore({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) {
      store.begin(id);
      store.complete(id);
    }
    expect(store.size).toBe(2);
    expect(store.begin('b')).toBe('completed');
    expect(store.begin('c')).toBe('completed');
    expect(store.begin('a')).toBe('started');
  });

  it('evicts by last write: completing an id makes it the newest, so the oldest other id goes first', () => {
    const store = memoryIdempotencyStore({ maxEntries: 2 });
    store.begin('a');
    store.begin('b');
    store.complete('a');
    store.begin('c');
    expect(store.size).toBe(2);
    expect(store.begin('a')).toBe('completed');
    expect(store.begin('c')).toBe('in_progress');
    expect(store.begin('b')).toBe('started');
  });

  it('stays correct over many more writes than it holds (superseded queue slots are skipped)', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ maxEntries: 100, ttlMs: 1_000, now: () => now });
    for (let i = 0; i < 5_000; i++) {
      now = i;
      store.begin(`id-${i}`);
      store.complete(`id-${i}`);
    }
    expect(store.size).toBe(100);
    expect(store.begin('id-4999')).toBe('completed');
    expect(store.begin('id-4900')).toBe('completed');
    expect(store.begin('id-4899')).toBe('started');
    now = 6_000;
    expect(store.begin('id-4999')).toBe('started');
  });

  it('lets the next delivery take over an in-progress claim once its lease runs out', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ inProgressTtlMs: 500, now: () => now });
    expect(store.begin('hung')).toBe('started');
    now = 499;
    expect(store.begin('hung')).toBe('in_progress');
    now = 500;
    expect(store.begin('hung')).toBe('started');
    expect(store.begin('hung')).toBe('in_progress');
    store.complete('hung');
    now = 5_000;
    expect(store.begin('hung')).toBe('completed');
  });

  it('throws TypeError naming a bad option', () => {
    expect(() => memoryIdempotencyStore({ inProgressTtlMs: -1 })).toThrow(/inProgressTtlMs/);
    expect(() => memoryIdempotencyStore({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => memoryIdempotencyStore({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });
});

describe('a custom, asynchronous idempotency store', () => {
  it('is awaited, and a failing complete() is reported without changing the answer', async () => {
    const secret = 'store-secret';
    const states = new Map<string, 'in_progress' | 'completed'>();
    const calls: string[] = [];
    const store: IdempotencyStore = {
      async begin(id) {
        calls.push(`begin ${id}`);
        const s = states.get(id);
        if (s) return s;
        states.set(id, 'in_progress');
        return 'started';
      },
      async complete(id) {
        calls.push(`complete ${id}`);
        throw new Error('redis down');
      },
      async release(id) {
        states.delete(id);
      },
    };
    const receiver = createReceiver({ secret, idempotency: store });
    const reported: string[] = [];
    receiver.onError((e, ctx) => void reported.push(`${ctx.source}: ${e.message}`));
    const req = await signedRequest({ secret, deliveryId: 'd-1' });
    const res = await receiver.handle({ method: 'POST', headers: req.headers, body: req.body });
    expect(res.status).toBe(202);
    expect(calls).toEqual(['begin d-1', 'complete d-1']);
    expect(reported).toEqual(['receiver: redis down']);
  });

  it('a store that throws in begin() gives a 500 (the sender retries), not a rejection', async () => {
    const secret = 'store-secret';
    const receiver = createReceiver({
      secret,
      idempotency: { begin: () => Promise.reject(new Error('down')), complete() {}, release() {} },
    });
    const req = await signedRequest({ secret });
    const res = await receiver.handleMessage({ headers: req.headers, body: req.body });
    expect(res).toMatchObject({ outcome: 'retry', status: 500 });
  });
});
