// The heartbeat's bookkeeping, with many claims settling in any order: only running claims are renewed, a
// settled claim never is, and the timer stops once nothing runs.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { memoryIdempotencyStore } from '../../src/index.js';
import { createClaimKeeper, TIMED_OUT } from '../../src/receiver/claim-keeper.js';

function deferred() {
  let resolve!: (e: Error | undefined) => void;
  const promise = new Promise<Error | undefined>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('createClaimKeeper', () => {
  it('renews exactly the claims still running, whatever order they settle in', async () => {
    const inner = memoryIdempotencyStore({ leaseMs: 60 });
    const renewed: string[] = [];
    const store = {
      ...inner,
      leaseMs: 60,
      ttlMs: inner.ttlMs,
      renew(k: string) {
        renewed.push(k);
        return true;
      },
    };
    const keeper = createClaimKeeper(store, 60_000, { lost() {}, renewFailed() {}, late() {} });
    const runs = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, token: 't', ...deferred() }));
    const held = runs.map((r) => keeper.hold(r, r.promise));
    // Settle every other claim, in a shuffled order (head, middle and tail of the list alike).
    const settled = runs.filter((_, i) => i % 2 === 0).sort(() => Math.random() - 0.5);
    for (const r of settled) r.resolve(undefined);
    await Promise.all(settled.map((r) => held[runs.indexOf(r)]));
    renewed.length = 0;
    await sleep(150);
    const running = runs.filter((_, i) => i % 2 === 1).map((r) => r.key);
    expect(new Set(renewed)).toEqual(new Set(running));
    for (const r of runs) r.resolve(new Error(`failed ${r.key}`));
    expect(await held[1]).toEqual(new Error('failed k1'));
    await sleep(100);
    renewed.length = 0;
    await sleep(150);
    expect(renewed).toEqual([]);
  });

  it('resolves TIMED_OUT past the timeout and hands the late result to the hook', async () => {
    const store = memoryIdempotencyStore({ leaseMs: 1_000 });
    const late: (Error | undefined)[] = [];
    const keeper = createClaimKeeper(store, 100, { lost() {}, renewFailed() {}, late: (_c, e) => void late.push(e) });
    const slow = deferred();
    const fast = deferred();
    const slowHeld = keeper.hold({ key: 'slow', token: 't' }, slow.promise);
    const fastHeld = keeper.hold({ key: 'fast', token: 't' }, fast.promise);
    fast.resolve(undefined);
    expect(await fastHeld).toBeUndefined();
    expect(await slowHeld).toBe(TIMED_OUT);
    slow.resolve(undefined);
    await sleep(10);
    expect(late).toEqual([undefined]);
  });
});
