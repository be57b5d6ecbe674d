// Against a real node:http server on 127.0.0.1 that fails on purpose: no mocks, real sockets, real timers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buddyCatalog, createPublisher, httpTransport, memoryDeadLetterQueue } from '../../src/index.js';
import { type FlakyServer, flakyServer } from '../../src/testing/index.js';
import { MATCH_CREATED, SECRET } from './fixtures.js';

/** mulberry32: a seeded random source, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('publisher against a real flaky server', () => {
  let server: FlakyServer;
  beforeAll(async () => {
    server = await flakyServer({
      failureRate: 0.3,
      failures: ['500', '503', '429', 'reset', 'slow'],
      slowMs: 1500,
      retryAfter: '1',
      random: seeded(20260301),
    });
  });
  afterAll(() => server.close());

  it('1,000 enqueued events with ~30 % failed answers: every id arrives, none dead-lettered', async () => {
    let retries = 0;
    const errorTypes = new Map<string, number>();
    let delivered = 0;
    const deadLetter = memoryDeadLetterQueue();
    const publisher = createPublisher({
      transport: httpTransport({ url: server.url, secret: SECRET }),
      catalog: buddyCatalog,
      deadLetter,
      concurrency: 64,
      maxQueue: 2000,
      // A short schedule so the run takes seconds, yet a timeout and a retry window that outlast the stalls of a
      // busy shared machine (a stalled event loop looks like a timeout); Retry-After: 1 is cut to 20 ms.
      retry: {
        retries: 20,
        initialDelayMs: 10,
        maxDelayMs: 250,
        timeoutMs: 1000,
        maxRetryAfterMs: 20,
        random: seeded(7),
      },
      circuitBreaker: { resetTimeoutMs: 50 },
      metrics: {
        publishError: ({ errorType }) => void errorTypes.set(errorType, (errorTypes.get(errorType) ?? 0) + 1),
        retry: () => {
          retries += 1;
        },
        published: ({ status }) => {
          if (status === 'delivered') delivered += 1;
        },
      },
    });
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      ids.add(await publisher.enqueue('buddy.match.created', MATCH_CREATED));
    }
    await publisher.close();
    const failedAttempts = [...errorTypes.values()].reduce((a, b) => a + b, 0);
    const attempts = delivered + failedAttempts;
    console.log(
      `flaky server: delivered ${delivered}/1000, attempts ${attempts}, retries ${retries}, ` +
        `server received ${server.stats.received}, failed attempts ${JSON.stringify(Object.fromEntries(errorTypes))}`,
    );
    expect(await deadLetter.size()).toBe(0);
    expect(delivered).toBe(1000);
    for (const id of ids) expect(server.ids.has(id)).toBe(true);
    for (const id of ids) expect(server.delivered.has(id)).toBe(true);
    expect(server.stats.uniqueIds).toBe(1000);
    // The schedule really was exercised: about 30 % of the answers failed and each failure was retried.
    expect(retries).toBeGreaterThan(200);
    expect(attempts).toBe(1000 + retries);
    expect(server.stats.received).toBeGreaterThan(1000);
  }, 90_000);
});
