import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseRetryAfter } from '../../src/delivery/retry-after.js';
import { buddyCatalog, createPublisher, type Publisher } from '../../src/index.js';
import { DEFAULT_RETRY, normalizeRetryOptions, retryDelay } from '../../src/publisher/retry-policy.js';
import { isRetryableStatus } from '../../src/transports/http/classify-response.js';

describe('retry policy', () => {
  it('defaults to the seed schedule: 5 retries, 1-2-4-8-16 s, 5 s per attempt, Retry-After up to 60 s', () => {
    const retry = normalizeRetryOptions();
    expect(retry).toMatchObject({
      retries: 5,
      initialDelayMs: 1000,
      factor: 2,
      maxDelayMs: 16_000,
      jitter: true,
      timeoutMs: 5000,
      maxRetryAfterMs: 60_000,
    });
    const plain = normalizeRetryOptions({ jitter: false });
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(plain, n))).toEqual([1000, 2000, 4000, 8000, 16_000, 16_000]);
    expect(Object.isFrozen(retry)).toBe(true);
    expect(DEFAULT_RETRY.retries).toBe(5);
  });

  it('jitter draws each delay in [d/2, d]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (n, r) => {
        const retry = normalizeRetryOptions({ random: () => r });
        const base = Math.min(1000 * 2 ** (n - 1), 16_000);
        const delay = retryDelay(retry, n);
        return delay >= base / 2 && delay <= base;
      }),
    );
  });

  it.each([
    [{ retries: 1.5 }, 'retry.retries'],
    [{ initialDelayMs: -1 }, 'retry.initialDelayMs'],
    [{ maxDelayMs: Number.NaN }, 'retry.maxDelayMs'],
    [{ jitter: 'yes' }, 'retry.jitter'],
    [{ onRetry: 42 }, 'retry.onRetry'],
    [{ shouldRetry: 'no' }, 'retry.shouldRetry'],
    [{ random: 1 }, 'retry.random'],
  ])('%o throws a TypeError naming %s', (options, name) => {
    expect(() => normalizeRetryOptions(options as never)).toThrow(TypeError);
    expect(() => normalizeRetryOptions(options as never)).toThrow(name);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('retries 408, 409, 425, 429 and 5xx; nothing else', () => {
    const retryable = [100, 200, 301, 400, 401, 403, 404, 408, 409, 410, 422, 425, 429, 500, 502, 503, 599].filter(
      isRetryableStatus,
    );
    expect(retryable).toEqual([408, 409, 425, 429, 500, 502, 503, 599]);
  });

  it('shouldRetry returning false stops at once; its context is frozen', async () => {
    const contexts: object[] = [];
    let calls = 0;
    const publisher = createPublisher({
      transport: {
        name: 't',
        send: async () => {
          calls += 1;
          return { ok: false, retryable: true, status: 503, error: new Error('down') };
        },
      },
      retry: {
        initialDelayMs: 1,
        shouldRetry: (ctx) => {
          contexts.push(ctx);
          return ctx.attempt < 2;
        },
      },
    });
    await expect(publisher.publish('buddy.match.created', { n: 1 })).rejects.toMatchObject({ attempts: 2 });
    expect(calls).toBe(2);
    expect(contexts).toHaveLength(2);
    expect(contexts[0]).toMatchObject({ attempt: 1, retriesLeft: 5, status: 503 });
    expect(Object.isFrozen(contexts[0])).toBe(true);
  });

  it('types publish by the catalog', () => {
    type P = Publisher<typeof buddyCatalog>;
    expectTypeOf<Parameters<P['enqueue']>[0]>().toExtend<string | object>();
    const publisher = createPublisher({
      transport: { name: 't', send: async () => ({ ok: true }) },
      catalog: buddyCatalog,
    });
    const typed = () =>
      // @ts-expect-error matchId is required by buddy.match.created
      publisher.enqueue('buddy.match.created', { participantId: 'x', buddyId: 'y', matchedAt: 'z' });
    const unknownType = () =>
      // @ts-expect-error not a Buddy event type
      publisher.enqueue('buddy.nothing.happened', {});
    expect(typeof typed).toBe('function');
    expect(typeof unknownType).toBe('function');
  });
});
