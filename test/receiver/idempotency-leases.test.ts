// The receiver's side of idempotency: the key it claims, the heartbeat that renews a claim while handlers run, the
// timeout that frees a hung handler's claim, and how it treats a store that fails or loses a claim. The stores'
// own contract is in test/stores/idempotency-contract.test.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createReceiver,
  type IdempotencyStore,
  isEventRelayError,
  memoryIdempotencyStore,
} from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';

const secret = 'lease-test-secret';

function post(request: { headers: Record<string, string>; body: string }) {
  return { method: 'POST', headers: request.headers, body: request.body };
}

/** A memory store whose calls are recorded, and whose renew can be overridden. */
function recording(
  options: { leaseMs?: number; ttlMs?: number } = {},
  renew?: (key: string, token: string) => boolean | Promise<boolean>,
) {
  const inner = memoryIdempotencyStore(options);
  const calls: string[] = [];
  const log = (op: string, key: string, token: string) => void calls.push(`${op} ${key} ${token}`);
  const store: IdempotencyStore = {
    leaseMs: inner.leaseMs,
    ttlMs: inner.ttlMs,
    begin(k, t) {
      log('begin', k, t);
      return inner.begin(k, t);
    },
    renew(k, t) {
      log('renew', k, t);
      return renew ? renew(k, t) : inner.renew(k, t);
    },
    complete(k, t) {
      log('complete', k, t);
      inner.complete(k, t);
    },
    release(k, t) {
      log('release', k, t);
      inner.release(k, t);
    },
  };
  return { store, calls };
}

describe('the receiver claims the event id', () => {
  it('begins with the event id from the body and a token unique to each delivery', async () => {
    const { store, calls } = recording();
    const receiver = createReceiver({ secret, idempotency: store });
    const req = await signedRequest({ secret, deliveryId: 'delivery-header-id' });
    await receiver.handle(post(req));
    await receiver.handle(post(await signedRequest({ secret, event: req.envelope, deliveryId: 'another-header' })));
    const id = req.envelope.metadata.id;
    const begins = calls.filter((c) => c.startsWith('begin'));
    expect(begins).toHaveLength(2);
    for (const call of begins) expect(call.split(' ')[1]).toBe(id);
    expect(new Set(begins.map((c) => c.split(' ')[2])).size).toBe(2);
    expect(calls.some((c) => c.includes('delivery-header-id'))).toBe(false);
  });

  it('with a synchronous store and handler: begin, the handler, then complete, before the answer', async () => {
    const { store, calls } = recording();
    const receiver = createReceiver({ secret, idempotency: store });
    const seen: string[] = [];
    receiver.onAny(() => {
      seen.push(...calls.map((c) => c.split(' ')[0]!), 'handler');
    });
    const req = await signedRequest({ secret });
    expect((await receiver.handle(post(req))).status).toBe(202);
    expect(seen).toEqual(['begin', 'handler']);
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['begin', 'complete']);
  });
});

describe('heartbeat', () => {
  it('renews the claim while a handler runs five times the lease: a duplicate meanwhile gets 409, the handler runs once', async () => {
    const { store, calls } = recording({ leaseMs: 200 });
    const receiver = createReceiver({ secret, idempotency: store });
    let runs = 0;
    receiver.onAny(async () => {
      runs++;
      await sleep(1_000);
    });
    const req = await signedRequest({ secret });
    const first = receiver.handle(post(req));
    await sleep(600); // three leases: without renewals the claim would have lapsed
    const during = await receiver.handle(post(req));
    expect(during.status).toBe(409);
    expect(during.headers['retry-after']).toBe('1');
    expect((await first).status).toBe(202);
    expect((await receiver.handle(post(req))).status).toBe(200);
    expect(runs).toBe(1);
    expect(calls.filter((c) => c.startsWith('renew')).length).toBeGreaterThanOrEqual(3);
  });

  it('reports a lost claim and aborts ctx.signal with a ClaimLostError; the handler still answers', async () => {
    const { store } = recording({ leaseMs: 150 }, () => false);
    const receiver = createReceiver({ secret, idempotency: store });
    const reported: Error[] = [];
    receiver.onError((e) => void reported.push(e));
    let reason: unknown;
    receiver.onAny(async (_e, ctx) => {
      await sleep(400);
      reason = ctx.signal.reason;
    });
    const req = await signedRequest({ secret });
    expect((await receiver.handle(post(req))).status).toBe(202);
    expect(isEventRelayError(reason, 'ClaimLostError')).toBe(true);
    expect(reported.filter((e: unknown) => isEventRelayError(e, 'ClaimLostError'))).toHaveLength(1);
    expect(reported[0]?.message).toContain(req.envelope.metadata.id);
  });

  it('reports a renewal that throws and tries again on the next beat', async () => {
    let failures = 0;
    const { store, calls } = recording({ leaseMs: 150 }, () => {
      if (failures++ === 0) throw new Error('store unreachable');
      return true;
    });
    const receiver = createReceiver({ secret, idempotency: store });
    const reported: string[] = [];
    receiver.onError((e, ctx) => void reported.push(`${ctx.source}: ${e.message}`));
    receiver.onAny(() => sleep(400));
    expect((await receiver.handle(post(await signedRequest({ secret })))).status).toBe(202);
    expect(reported).toEqual(['receiver: store unreachable']);
    expect(calls.filter((c) => c.startsWith('renew')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('handlerTimeoutMs: a handler that hangs while its process lives', () => {
  it('answers 500 handler_timeout, aborts ctx.signal, reports it, and releases the claim so the retry runs', async () => {
    const { store, calls } = recording({ leaseMs: 1_000 });
    const receiver = createReceiver({ secret, idempotency: store, handlerTimeoutMs: 300 });
    const reported: Error[] = [];
    receiver.onError((e) => void reported.push(e));
    let runs = 0;
    let aborted: unknown;
    receiver.onAny((_e, ctx) => {
      if (++runs > 1) return;
      ctx.signal.addEventListener('abort', () => {
        aborted = ctx.signal.reason;
      });
      return new Promise<void>(() => {}); // hangs for good
    });
    const req = await signedRequest({ secret });
    const started = Date.now();
    const res = await receiver.handle(post(req));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'handler_timeout', eventId: req.envelope.metadata.id });
    expect(isEventRelayError(aborted, 'HandlerTimeoutError')).toBe(true);
    expect(reported.filter((e: unknown) => isEventRelayError(e, 'HandlerTimeoutError'))).toHaveLength(1);
    expect(calls.some((c) => c.startsWith('release'))).toBe(true);
    expect((await receiver.handle(post(req))).status).toBe(202);
    expect(runs).toBe(2);
  });

  it('a handler that finishes after the timeout still completes the id, when no retry holds it', async () => {
    const receiver = createReceiver({ secret, handlerTimeoutMs: 200 });
    let runs = 0;
    receiver.onAny(async () => {
      runs++;
      await sleep(600);
    });
    const req = await signedRequest({ secret });
    expect((await receiver.handle(post(req))).status).toBe(500);
    await sleep(1_000);
    expect((await receiver.handle(post(req))).status).toBe(200);
    expect(runs).toBe(1);
  });

  it('takes a positive integer or Infinity', () => {
    expect(() => createReceiver({ secret, handlerTimeoutMs: Number.POSITIVE_INFINITY })).not.toThrow();
    expect(() => createReceiver({ secret, handlerTimeoutMs: 0 })).toThrow(/handlerTimeoutMs/);
    expect(() => createReceiver({ secret, handlerTimeoutMs: 1.5 })).toThrow(/handlerTimeoutMs/);
  });
});

describe('the store option', () => {
  it('refuses a store that forgets completed ids sooner than a signature stays valid', () => {
    const store = memoryIdempotencyStore({ ttlMs: 60_000, leaseMs: 1_000 });
    expect(() => createReceiver({ secret, idempotency: store })).toThrow(ConfigError);
    expect(() => createReceiver({ secret, idempotency: store })).toThrow(/raise the store's ttlMs/);
    expect(() => createReceiver({ secret, idempotency: store, toleranceSeconds: 60 })).not.toThrow();
  });

  it('sizes its default store to a tolerance longer than 24 h', async () => {
    const receiver = createReceiver({ secret, toleranceSeconds: 2 * 86_400 });
    receiver.onAny(() => {});
    expect((await receiver.handle(post(await signedRequest({ secret })))).status).toBe(202);
  });

  it('refuses a store of the former interface (no renew, no times), naming the option', () => {
    const old = { begin: () => 'started' as const, complete() {}, release() {} };
    expect(() => createReceiver({ secret, idempotency: old as never })).toThrow(
      /idempotency must be a store with begin, renew/,
    );
    const noTimes = { ...old, renew: () => true };
    expect(() => createReceiver({ secret, idempotency: noTimes as never })).toThrow(/idempotency.leaseMs/);
  });
});

describe('a custom, asynchronous idempotency store', () => {
  function asyncStore(overrides: Partial<IdempotencyStore> = {}) {
    const states = new Map<string, string>();
    const calls: string[] = [];
    const store: IdempotencyStore = {
      leaseMs: 30_000,
      ttlMs: 86_400_000,
      async begin(key, token) {
        calls.push(`begin ${key}`);
        const s = states.get(key);
        if (s === 'completed') return 'completed';
        if (s !== undefined) return 'in_progress';
        states.set(key, token);
        return 'started';
      },
      async renew() {
        return true;
      },
      async complete(key) {
        calls.push(`complete ${key}`);
        states.set(key, 'completed');
      },
      async release(key, token) {
        if (states.get(key) === token) states.delete(key);
      },
      ...overrides,
    };
    return { store, calls };
  }

  it('is awaited, and a failing complete() is reported without changing the answer', async () => {
    const { store, calls } = asyncStore({
      async complete(key) {
        calls.push(`complete ${key}`);
        throw new Error('redis down');
      },
    });
    const receiver = createReceiver({ secret, idempotency: store });
    const reported: string[] = [];
    receiver.onError((e, ctx) => void reported.push(`${ctx.source}: ${e.message}`));
    const req = await signedRequest({ secret, deliveryId: 'd-1' });
    const res = await receiver.handle(post(req));
    expect(res.status).toBe(202);
    const id = req.envelope.metadata.id;
    expect(calls).toEqual([`begin ${id}`, `complete ${id}`]);
    expect(reported).toEqual(['receiver: redis down']);
  });

  it('a store that throws in begin() gives a 500 (the sender retries), not a rejection', async () => {
    const { store } = asyncStore({ begin: () => Promise.reject(new Error('down')) });
    const receiver = createReceiver({ secret, idempotency: store });
    const req = await signedRequest({ secret });
    const res = await receiver.handleMessage({ headers: req.headers, body: req.body });
    expect(res).toMatchObject({ outcome: 'retry', status: 500 });
  });
});
