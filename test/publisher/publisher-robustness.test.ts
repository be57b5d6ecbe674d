// User code that throws (a logger, a metrics sink, a dead-letter queue) is no reason to lose an event or hang a promise.
import { describe, expect, it } from 'vitest';
import {
  buddyCatalog,
  createPublisher,
  type Logger,
  type MetricsSink,
  memoryDeadLetterQueue,
  type Transport,
  type TransportResult,
} from '../../src/index.js';
import { MATCH_CREATED } from './fixtures.js';

const boom = (): never => {
  throw new Error('observer broke');
};
const throwingLogger: Logger = { debug: boom, info: boom, warn: boom, error: boom };
const throwingMetrics: MetricsSink = {
  published: boom,
  publishError: boom,
  retry: boom,
  pendingQueue: boom,
};

/** Answers from a script, the last answer repeating. */
function scripted(...script: TransportResult[]): Transport & { calls: number } {
  const transport = {
    name: 'scripted',
    calls: 0,
    async send() {
      transport.calls += 1;
      return script[Math.min(transport.calls - 1, script.length - 1)] as TransportResult;
    },
  };
  return transport;
}
const RETRY: TransportResult = { ok: false, retryable: true, status: 503, error: new Error('down') };
const PERMANENT: TransportResult = { ok: false, retryable: false, status: 400, error: new Error('bad') };

describe('publisher with a throwing logger and metrics sink', () => {
  const fast = { initialDelayMs: 1, jitter: false };

  it('delivers, dead-letters and settles every promise as usual', async () => {
    const deadLetter = memoryDeadLetterQueue();
    const ok = createPublisher({
      transport: scripted(RETRY, { ok: true, status: 202 }),
      catalog: buddyCatalog,
      logger: throwingLogger,
      metrics: throwingMetrics,
      retry: fast,
    });
    await expect(ok.publish('buddy.match.created', MATCH_CREATED)).resolves.toMatchObject({ attempts: 2, status: 202 });

    const bad = createPublisher({
      transport: scripted(PERMANENT),
      catalog: buddyCatalog,
      logger: throwingLogger,
      metrics: throwingMetrics,
      deadLetter,
      retry: fast,
    });
    await expect(bad.publish('buddy.match.created', MATCH_CREATED)).rejects.toMatchObject({ name: 'DeliveryError' });
    const id = await bad.enqueue('buddy.match.created', MATCH_CREATED);
    await bad.flush();
    expect((await deadLetter.list()).map((e) => e.id)).toContain(id);
    expect(await deadLetter.size()).toBe(2);
  });

  it('the circuit breaker still opens, half-opens and closes: deliveries do not wait forever', async () => {
    const transport = scripted(RETRY, RETRY, RETRY, { ok: true, status: 200 });
    const publisher = createPublisher({
      transport,
      catalog: buddyCatalog,
      logger: throwingLogger,
      metrics: throwingMetrics,
      retry: fast,
      circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 20 },
    });
    await expect(publisher.publish('buddy.match.created', MATCH_CREATED)).resolves.toMatchObject({ attempts: 4 });
    expect(publisher.circuitState).toBe('closed');
  });
});

describe('redrive with a dead-letter queue that cannot remove', () => {
  it('counts the delivered entries, keeps going, and leaves them for a later (deduplicated) redrive', async () => {
    const inner = memoryDeadLetterQueue();
    const deadLetter = { ...inner, remove: async () => Promise.reject(new Error('disk full')) };
    const failing = createPublisher({ transport: scripted(PERMANENT), catalog: buddyCatalog, deadLetter });
    for (let i = 0; i < 3; i++) await failing.enqueue('buddy.match.created', MATCH_CREATED);
    await failing.flush();
    const transport = scripted({ ok: true, status: 200 });
    const publisher = createPublisher({ transport, catalog: buddyCatalog, deadLetter, concurrency: 2 });
    await expect(publisher.redrive()).resolves.toEqual({ delivered: 3, failed: 0 });
    expect(transport.calls).toBe(3);
    expect(await deadLetter.size()).toBe(3);
  });
});

describe('a bug in user code the delivery calls', () => {
  it('a throwing retry.random dead-letters the event and tells its publisher; nothing waits forever', async () => {
    const deadLetter = memoryDeadLetterQueue();
    const publisher = createPublisher({
      transport: scripted(RETRY),
      catalog: buddyCatalog,
      deadLetter,
      retry: { random: boom },
    });
    await expect(publisher.publish('buddy.match.created', MATCH_CREATED)).rejects.toMatchObject({
      name: 'DeliveryError',
      attempts: 1,
    });
    const id = await publisher.enqueue('buddy.match.created', MATCH_CREATED);
    await publisher.flush();
    const entries = await deadLetter.list();
    expect(entries.map((e) => e.id)).toContain(id);
    expect(entries.every((e) => e.error.code === 'internal_error' && !e.retryable)).toBe(true);
    await expect(publisher.redrive()).resolves.toEqual({ delivered: 0, failed: 2 });
  });

  it('a transport that answers synchronously (no promise) still delivers', async () => {
    const transport = { name: 'sync', send: () => ({ ok: true, status: 200 }) } as unknown as Transport;
    const publisher = createPublisher({ transport, catalog: buddyCatalog });
    await expect(publisher.publish('buddy.match.created', MATCH_CREATED)).resolves.toMatchObject({ status: 200 });
  });
});
