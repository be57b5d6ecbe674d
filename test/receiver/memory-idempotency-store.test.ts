// The memory store's own behaviour: expiry, eviction, and leases on an injected clock. The contract every store
// shares (memory, Redis, Postgres) is in test/stores/idempotency-contract.test.ts.
import { describe, expect, it } from 'vitest';
import { memoryIdempotencyStore } from '../../src/index.js';
import { DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS } from '../../src/receiver/memory-idempotency-store.js';

describe('memoryIdempotencyStore', () => {
  it('claims a key once: started, then in_progress, then completed', () => {
    const store = memoryIdempotencyStore();
    expect(store.begin('a', 't1')).toBe('started');
    expect(store.begin('a', 't2')).toBe('in_progress');
    store.complete('a', 't1');
    expect(store.begin('a', 't3')).toBe('completed');
  });

  it('defaults to a 24 h TTL, a 30 s lease and 100,000 entries', () => {
    const store = memoryIdempotencyStore();
    expect({ ttlMs: store.ttlMs, leaseMs: store.leaseMs }).toEqual({ ttlMs: 86_400_000, leaseMs: 30_000 });
    expect(DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS.maxEntries).toBe(100_000);
  });

  it('forgets ids after ttlMs', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ ttlMs: 1000, leaseMs: 100, now: () => now });
    store.begin('a', 't1');
    store.complete('a', 't1');
    now = 999;
    expect(store.begin('a', 't2')).toBe('completed');
    now = 1000;
    expect(store.begin('a', 't3')).toBe('started');
  });

  it('expires the oldest entries as time passes, keeping the size bounded', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ ttlMs: 10, leaseMs: 10, now: () => now });
    for (let i = 0; i < 100; i++) {
      now = i;
      store.begin(`id-${i}`, 't');
    }
    expect(store.size).toBeLessThanOrEqual(11);
  });

  it('keeps at most maxEntries, forgetting the oldest first', () => {
    const store = memoryIdempotencyStore({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) {
      store.begin(id, 't');
      store.complete(id, 't');
    }
    expect(store.size).toBe(2);
    expect(store.begin('b', 'x')).toBe('completed');
    expect(store.begin('c', 'x')).toBe('completed');
    expect(store.begin('a', 'x')).toBe('started');
  });

  it('evicts by last write: completing or renewing a key makes it the newest', () => {
    const store = memoryIdempotencyStore({ maxEntries: 2 });
    store.begin('a', 'ta');
    store.begin('b', 'tb');
    store.complete('a', 'ta');
    store.begin('c', 'tc');
    expect(store.size).toBe(2);
    expect(store.begin('a', 'x')).toBe('completed');
    expect(store.begin('c', 'x')).toBe('in_progress');
    expect(store.begin('b', 'x')).toBe('started');
    expect(store.renew('c', 'tc')).toBe(true);
    store.begin('d', 'td'); // evicts the oldest write: 'a' (completed), not the renewed 'c'
    expect(store.begin('c', 'x')).toBe('in_progress');
  });

  it('stays correct over many more writes than it holds (superseded queue slots are skipped)', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ maxEntries: 100, ttlMs: 1_000, leaseMs: 100, now: () => now });
    for (let i = 0; i < 5_000; i++) {
      now = i;
      store.begin(`id-${i}`, 't');
      store.complete(`id-${i}`, 't');
    }
    expect(store.size).toBe(100);
    expect(store.begin('id-4999', 'x')).toBe('completed');
    expect(store.begin('id-4900', 'x')).toBe('completed');
    expect(store.begin('id-4899', 'x')).toBe('started');
    now = 6_000;
    expect(store.begin('id-4999', 'x')).toBe('started');
  });

  it('holds a claim for leaseMs, and as long as it is renewed', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ leaseMs: 500, now: () => now });
    expect(store.begin('k', 'mine')).toBe('started');
    now = 499;
    expect(store.begin('k', 'other')).toBe('in_progress');
    expect(store.renew('k', 'mine')).toBe(true);
    now = 998;
    expect(store.begin('k', 'other')).toBe('in_progress');
    now = 999;
    expect(store.begin('k', 'other')).toBe('started');
    // The lapsed holder lost it: it can neither renew, complete nor release the new claim.
    expect(store.renew('k', 'mine')).toBe(false);
    store.complete('k', 'mine');
    store.release('k', 'mine');
    expect(store.begin('k', 'third')).toBe('in_progress');
    store.complete('k', 'other');
    now = 5_000;
    expect(store.begin('k', 'third')).toBe('completed');
  });

  it('lets the lapsed holder complete when nobody took the key over', () => {
    let now = 0;
    const store = memoryIdempotencyStore({ leaseMs: 100, now: () => now });
    store.begin('k', 'mine');
    now = 1_000;
    expect(store.renew('k', 'mine')).toBe(true);
    now = 2_000;
    store.complete('k', 'mine');
    expect(store.begin('k', 'other')).toBe('completed');
  });

  it('throws TypeError naming a bad option', () => {
    expect(() => memoryIdempotencyStore({ leaseMs: -1 })).toThrow(/leaseMs/);
    expect(() => memoryIdempotencyStore({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => memoryIdempotencyStore({ maxEntries: 1.5 })).toThrow(/maxEntries/);
    expect(() => memoryIdempotencyStore({ ttlMs: 1_000, leaseMs: 2_000 })).toThrow(
      /ttlMs \(1000\) must be at least leaseMs/,
    );
  });
});
