import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isEventRelayError } from '../../src/index.js';
import { ENDPOINT, MATCH_CREATED, makePublisher } from './fixtures.js';

interface Seen {
  at: number;
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  body: string;
}

const server = setupServer();
let seen: Seen[] = [];

/** Answers from the list in order, then the last one forever; records every request. */
function answer(...responses: (() => Response | Promise<Response>)[]) {
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      seen.push({
        at: Date.now(),
        id: request.headers.get('x-webhook-id'),
        timestamp: request.headers.get('x-webhook-timestamp'),
        signature: request.headers.get('x-webhook-signature'),
        body: await request.text(),
      });
      const next = responses[Math.min(seen.length - 1, responses.length - 1)];
      return next!();
    }),
  );
}
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new HttpResponse(JSON.stringify({ error: `e${code}` }), { status: code, headers });
const ok = status(202);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  seen = [];
  vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
  server.resetHandlers();
});
afterAll(() => server.close());

/** Runs the clock until the delivery settles. */
async function settle<T>(promise: Promise<T>, ms = 120_000): Promise<PromiseSettledResult<T>> {
  const result = Promise.allSettled([promise]);
  await vi.advanceTimersByTimeAsync(ms);
  return (await result)[0]!;
}
const gaps = () => seen.slice(1).map((s, i) => s.at - seen[i]!.at);

describe('publisher over HTTP (msw, fake timers)', () => {
  it('503 then 200: delivered on the second attempt', async () => {
    answer(status(503), ok);
    const { publisher } = makePublisher();
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('fulfilled');
    const receipt = (result as PromiseFulfilledResult<{ attempts: number; status?: number }>).value;
    expect(receipt.attempts).toBe(2);
    expect(receipt.status).toBe(202);
    expect(seen).toHaveLength(2);
    expect(gaps()).toEqual([750]);
  });

  it('500 five times then 200: delivered on the sixth attempt', async () => {
    answer(status(500), status(500), status(500), status(500), status(500), ok);
    const { publisher, deadLetter } = makePublisher({ circuitBreaker: false });
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('fulfilled');
    expect((result as PromiseFulfilledResult<{ attempts: number }>).value.attempts).toBe(6);
    expect(await deadLetter.size()).toBe(0);
  });

  it('every attempt failing: 6 attempts at 0.75 × 1, 2, 4, 8, 16 s, then dead-lettered with a DeliveryError', async () => {
    answer(status(503));
    const retries: number[] = [];
    const { publisher, deadLetter } = makePublisher({
      circuitBreaker: false,
      retry: { onRetry: (ctx) => void retries.push(ctx.delayMs) },
    });
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('rejected');
    const error = (result as PromiseRejectedResult).reason;
    expect(isEventRelayError(error, 'DeliveryError')).toBe(true);
    expect(error).toMatchObject({ attempts: 6, status: 503, retryable: true });
    expect(seen).toHaveLength(6);
    expect(gaps()).toEqual([750, 1500, 3000, 6000, 12000]);
    expect(retries).toEqual([750, 1500, 3000, 6000, 12000]);
    const [entry] = await deadLetter.list();
    expect(entry).toMatchObject({
      attempts: 6,
      retryable: true,
      error: { code: 'http_503', status: 503 },
      source: 'http',
    });
    expect(entry!.deliveryId).toBe(error.deliveryId);
  });

  it('429 with Retry-After: 3 waits 3 s', async () => {
    answer(status(429, { 'retry-after': '3' }), ok);
    const { publisher } = makePublisher();
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('fulfilled');
    expect(gaps()).toEqual([3000]);
  });

  it('429 with Retry-After as an HTTP date waits until that date', async () => {
    answer(() => status(429, { 'retry-after': new Date(Date.now() + 7000).toUTCString() })(), ok);
    const { publisher } = makePublisher();
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('fulfilled');
    expect(gaps()).toEqual([7000]);
  });

  it('a Retry-After beyond maxRetryAfterMs is cut to it', async () => {
    answer(status(503, { 'retry-after': '3600' }), ok);
    const { publisher } = makePublisher({ retry: { maxRetryAfterMs: 10_000 } });
    await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(gaps()).toEqual([10_000]);
  });

  it('a hanging server: the attempt is aborted at the timeout and retried', async () => {
    answer(async () => {
      await delay('infinite');
      return ok();
    }, ok);
    const errors: string[] = [];
    const { publisher } = makePublisher({
      retry: { timeoutMs: 2000, onRetry: (ctx) => void errors.push((ctx.error as { code?: string }).code ?? '') },
    });
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('fulfilled');
    expect(errors).toEqual(['timeout']);
    // Timed out at 2000 ms, then the first backoff (750 ms).
    expect(gaps()).toEqual([2750]);
  });

  it('a network error is retried', async () => {
    answer(() => HttpResponse.error(), ok);
    const codes: string[] = [];
    const { publisher } = makePublisher({
      retry: { onRetry: (ctx) => void codes.push((ctx.error as { code?: string }).code ?? '') },
    });
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('fulfilled');
    expect(codes).toEqual(['network']);
    expect(seen).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 410, 422, 301, 307])('%i: no retry, dead-lettered at once', async (code) => {
    answer(status(code, code >= 300 && code < 400 ? { location: 'http://elsewhere.test/' } : {}));
    const { publisher, deadLetter } = makePublisher();
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toMatchObject({ attempts: 1, status: code, retryable: false });
    expect(seen).toHaveLength(1);
    const [entry] = await deadLetter.list();
    expect(entry).toMatchObject({
      retryable: false,
      error: { code: code === 410 ? 'endpoint_gone' : `http_${code}`, status: code },
    });
  });

  it('keeps the delivery id across attempts and re-signs each with a fresh timestamp', async () => {
    answer(status(503), status(500), ok);
    const { publisher } = makePublisher();
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    const receipt = (result as PromiseFulfilledResult<{ deliveryId: string; eventId: string }>).value;
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set([receipt.deliveryId]));
    expect(receipt.deliveryId).toBe(receipt.eventId);
    expect(new Set(seen.map((s) => s.timestamp)).size).toBe(3);
    expect(new Set(seen.map((s) => s.signature)).size).toBe(3);
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
  });

  it('invalid data: EventValidationError and no request', async () => {
    answer(ok);
    const { publisher } = makePublisher();
    await expect(
      publisher.publish('buddy.match.created', { ...MATCH_CREATED, matchId: 'not-a-uuid' }),
    ).rejects.toMatchObject({ name: 'EventValidationError', code: 'invalid_data' });
    await expect(publisher.enqueue('buddy.match.created', { ...MATCH_CREATED, matchId: 'x' })).rejects.toMatchObject({
      name: 'EventValidationError',
    });
    await expect(publisher.enqueue('buddy.unknown.type' as 'buddy.match.created', MATCH_CREATED)).rejects.toMatchObject(
      { name: 'EventValidationError', code: 'unknown_type' },
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen).toHaveLength(0);
    expect(publisher.pending).toBe(0);
  });

  it('a 500 whose body breaks off is still classified by its status and retried', async () => {
    let first = true;
    answer(() => {
      if (!first) return ok();
      first = false;
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"err'));
          controller.error(new Error('connection lost'));
        },
      });
      return new HttpResponse(body, { status: 500 });
    });
    const { publisher } = makePublisher();
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('fulfilled');
    expect(seen).toHaveLength(2);
  });

  it('the circuit breaker opens after 5 failed attempts, probes 1 s later without spending retries, closes', async () => {
    answer(status(503), status(503), status(503), status(503), status(503), ok);
    const states: string[] = [];
    const { publisher } = makePublisher({
      retry: { initialDelayMs: 100, factor: 1, jitter: false },
      logger: {
        debug() {},
        info() {},
        error() {},
        warn(obj) {
          if (typeof obj.circuit === 'string') states.push(obj.circuit);
        },
      },
    });
    const receipt = publisher.publish('buddy.match.created', MATCH_CREATED);
    // Attempts at 0, 100, 200, 300, 400 ms; the fifth failure opens the breaker.
    await vi.advanceTimersByTimeAsync(450);
    expect(seen).toHaveLength(5);
    expect(publisher.circuitState).toBe('open');
    // The sixth attempt is due at 500 ms but waits for the half-open probe at 400 + 1,000 ms.
    await vi.advanceTimersByTimeAsync(900);
    expect(seen).toHaveLength(5);
    expect(publisher.circuitState).toBe('open');
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toHaveLength(6);
    // retries: 5, and five were spent before the breaker opened: waiting spent none.
    await expect(receipt).resolves.toMatchObject({ attempts: 6, status: 202 });
    expect(publisher.circuitState).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    expect(seen.at(-1)!.at - seen.at(-2)!.at).toBe(1000);
  });

  it('while the endpoint stays down, probes come 1, 2, 4, 8, 16 s apart, then every resetTimeoutMs (30 s)', async () => {
    answer(status(503));
    const { publisher, deadLetter } = makePublisher({
      retry: { retries: 7, initialDelayMs: 100, factor: 1, jitter: false },
      circuitBreaker: { failureThreshold: 1 },
    });
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED), 200_000);
    expect(result.status).toBe('rejected');
    expect(gaps()).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(await deadLetter.size()).toBe(1);
  });

  it('409 with Retry-After (the receiver still handles this id) is retried after that delay, then delivered', async () => {
    answer(status(409, { 'retry-after': '3' }), status(409, { 'retry-after': '2' }), ok);
    const { publisher, deadLetter } = makePublisher();
    const result = await settle(publisher.publish('buddy.match.created', MATCH_CREATED));
    expect(result.status).toBe('fulfilled');
    expect((result as PromiseFulfilledResult<{ attempts: number; status?: number }>).value).toMatchObject({
      attempts: 3,
      status: 202,
    });
    expect(gaps()).toEqual([3000, 2000]);
    expect(new Set(seen.map((s) => s.id)).size).toBe(1);
    expect(await deadLetter.size()).toBe(0);
    expect(publisher.circuitState).toBe('closed');
  });

  it('409 answers do not open the circuit breaker: the endpoint is up', async () => {
    answer(status(409, { 'retry-after': '1' }));
    const { publisher, deadLetter } = makePublisher({ circuitBreaker: { failureThreshold: 2 } });
    const enqueued = await Promise.all([1, 2, 3].map(() => publisher.enqueue('buddy.match.created', MATCH_CREATED)));
    await settle(publisher.flush());
    expect(publisher.circuitState).toBe('closed');
    // Six attempts each, one second apart: never held back by an open breaker.
    expect(seen).toHaveLength(18);
    expect((await deadLetter.list()).map((e) => e.id).sort()).toEqual([...enqueued].sort());
  });

  it('a failed half-open probe opens the breaker again', async () => {
    answer(status(503));
    const { publisher } = makePublisher({
      retry: { retries: 7, initialDelayMs: 100, factor: 1, jitter: false },
      circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 1000 },
    });
    const [receipt] = [Promise.allSettled([publisher.publish('buddy.match.created', MATCH_CREATED)])];
    await vi.advanceTimersByTimeAsync(150);
    expect(seen).toHaveLength(2);
    expect(publisher.circuitState).toBe('open');
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toHaveLength(3);
    expect(publisher.circuitState).toBe('open');
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await receipt)[0]!.status).toBe('rejected');
    expect(seen).toHaveLength(8);
    expect(gaps().slice(1)).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
  });
});
