import { describe, expect, it, vi } from 'vitest';
import {
  buddyCatalog,
  createCatalog,
  createEnvelope,
  createPublisher,
  type DeadLetterEntry,
  defineEvent,
  isEventRelayError,
  memoryDeadLetterQueue,
  type Transport,
  TransportError,
  type TransportMessage,
  type TransportResult,
  toFlatEvent,
} from '../../src/index.js';
import { MATCH_CREATED } from './fixtures.js';

/** A transport whose answers the test hands out one by one. */
function gatedTransport() {
  const waiting: { message: TransportMessage; answer: (result: TransportResult) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: Transport = {
    name: 'gated',
    send(message) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve) =>
        waiting.push({
          message,
          answer: (result) => {
            inFlight -= 1;
            resolve(result);
          },
        }),
      );
    },
  };
  return {
    transport,
    waiting,
    get maxInFlight() {
      return maxInFlight;
    },
    answerAll(result: TransportResult = { ok: true, status: 200 }) {
      for (const w of waiting.splice(0)) w.answer(result);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('publisher queue', () => {
  it('enqueue past maxQueue rejects with QueueFullError; nothing is dropped', async () => {
    const gate = gatedTransport();
    const publisher = createPublisher({
      transport: gate.transport,
      catalog: buddyCatalog,
      concurrency: 1,
      maxQueue: 3,
    });
    const ids = await Promise.all([1, 2, 3].map(() => publisher.enqueue('buddy.match.created', MATCH_CREATED)));
    expect(publisher.pending).toBe(3);
    const thrown = await publisher.enqueue('buddy.match.created', MATCH_CREATED).catch((error: unknown) => error);
    expect(isEventRelayError(thrown, 'QueueFullError')).toBe(true);
    await expect(publisher.publish('buddy.match.created', MATCH_CREATED)).rejects.toMatchObject({
      name: 'QueueFullError',
    });
    const delivered: string[] = [];
    while (delivered.length < 3) {
      await tick();
      for (const w of gate.waiting.splice(0)) {
        delivered.push(w.message.envelope.metadata.id);
        w.answer({ ok: true });
      }
    }
    await publisher.flush();
    expect(delivered).toEqual(ids);
    expect(publisher.pending).toBe(0);
  });

  it('runs at most `concurrency` deliveries at once and reports the pending count', async () => {
    const gate = gatedTransport();
    const sizes: number[] = [];
    const publisher = createPublisher({
      transport: gate.transport,
      concurrency: 4,
      metrics: { pendingQueue: (n) => sizes.push(n) },
    });
    for (let i = 0; i < 10; i++) await publisher.enqueue('buddy.match.created', MATCH_CREATED);
    await tick();
    expect(gate.waiting).toHaveLength(4);
    const flushed = publisher.flush();
    while (publisher.pending > 0) {
      gate.answerAll();
      await tick();
    }
    await flushed;
    expect(gate.maxInFlight).toBe(4);
    expect(sizes.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sizes.at(-1)).toBe(0);
  });

  it('close() waits for in-flight deliveries, then refuses new events', async () => {
    const gate = gatedTransport();
    const closeTransport = vi.fn(async () => {});
    const publisher = createPublisher({ transport: { ...gate.transport, close: closeTransport } });
    const receipt = publisher.publish('buddy.match.created', MATCH_CREATED);
    await publisher.enqueue('buddy.match.created', MATCH_CREATED);
    await tick();
    let closed = false;
    const closing = publisher.close().then(() => {
      closed = true;
    });
    await expect(publisher.enqueue('buddy.match.created', MATCH_CREATED)).rejects.toMatchObject({
      name: 'PublisherClosedError',
    });
    await tick();
    expect(closed).toBe(false);
    expect(closeTransport).not.toHaveBeenCalled();
    gate.answerAll({ ok: true, status: 202 });
    await closing;
    expect(closed).toBe(true);
    expect(closeTransport).toHaveBeenCalledOnce();
    await expect(receipt).resolves.toMatchObject({ attempts: 1, status: 202 });
    const refused = await publisher.publish('buddy.match.created', MATCH_CREATED).catch((e: unknown) => e);
    expect(isEventRelayError(refused, 'PublisherClosedError')).toBe(true);
  });

  it('a background failure is dead-lettered, reported to onDeadLetter and logged', async () => {
    const errors: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
    const alerts: DeadLetterEntry[] = [];
    const deadLetter = memoryDeadLetterQueue();
    const publisher = createPublisher({
      transport: {
        name: 'refusing',
        send: async () => ({ ok: false, retryable: false, status: 422, error: new Error('no thanks') }),
      },
      deadLetter,
      onDeadLetter: (entry) => void alerts.push(entry),
      logger: { debug() {}, info() {}, warn() {}, error: (obj, msg) => void errors.push({ obj, msg }) },
    });
    const id = await publisher.enqueue('buddy.match.created', MATCH_CREATED, { correlationId: MATCH_CREATED.buddyId });
    await publisher.flush();
    expect(await deadLetter.size()).toBe(1);
    expect(alerts.map((a) => a.envelope.metadata.id)).toEqual([id]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.obj).toMatchObject({
      operation: 'publish',
      eventId: id,
      eventType: 'buddy.match.created',
      deliveryId: id,
      attempt: 1,
      status: 422,
      correlationId: MATCH_CREATED.buddyId,
    });
    expect(errors[0]!.msg).toMatch(/dead-lettered: permanent failure/);
  });

  it('accepts an envelope in either shape, keeps its id and uses a given deliveryId', async () => {
    const sent: TransportMessage[] = [];
    const publisher = createPublisher({
      transport: {
        name: 'ok',
        send: async (m) => {
          sent.push(m);
          return { ok: true };
        },
      },
      catalog: buddyCatalog,
    });
    const envelope = createEnvelope('buddy.match.created', { ...MATCH_CREATED, extra: 'stripped' });
    const nested = await publisher.publish(envelope);
    const flat = await publisher.publish(toFlatEvent(envelope), { deliveryId: 'redelivery-1' });
    expect(nested).toMatchObject({ eventId: envelope.metadata.id, deliveryId: envelope.metadata.id, attempts: 1 });
    expect(flat).toMatchObject({ eventId: envelope.metadata.id, deliveryId: 'redelivery-1' });
    expect(sent[0]!.envelope.data).toEqual(MATCH_CREATED);
    expect(envelope.data).toHaveProperty('extra');
  });

  it('publish(..., { signal }) aborts the delivery: rejected with the reason, not dead-lettered', async () => {
    const gate = gatedTransport();
    const deadLetter = memoryDeadLetterQueue();
    const publisher = createPublisher({ transport: gate.transport, deadLetter, concurrency: 1 });
    const controller = new AbortController();
    const inFlight = publisher.publish('buddy.match.created', MATCH_CREATED, { signal: controller.signal });
    const queued = publisher.publish('buddy.match.created', MATCH_CREATED, { signal: controller.signal });
    await tick();
    controller.abort(new Error('shutting down'));
    await expect(inFlight).rejects.toThrow('shutting down');
    await expect(queued).rejects.toThrow('shutting down');
    await publisher.flush();
    expect(await deadLetter.size()).toBe(0);
    expect(gate.waiting).toHaveLength(1);
  });

  it('an asynchronous schema: enqueue resolves with the id once valid; invalid data rejects, never sent', async () => {
    const asyncSchema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: async (value: unknown) =>
          (value as { n?: unknown }).n === 1 ? { value } : { issues: [{ message: 'n must be 1', path: ['n'] }] },
      },
    };
    const catalog = createCatalog([defineEvent('test.thing.happened', asyncSchema)]);
    const sent: string[] = [];
    const deadLetter = memoryDeadLetterQueue();
    const publisher = createPublisher({
      transport: {
        name: 'ok',
        send: async (m) => {
          sent.push(m.envelope.metadata.id);
          return { ok: true };
        },
      },
      catalog,
      deadLetter,
    });
    const good = publisher.enqueue('test.thing.happened', { n: 1 });
    const bad = publisher.enqueue('test.thing.happened', { n: 2 });
    expect(publisher.pending).toBe(2);
    await expect(bad).rejects.toMatchObject({ name: 'EventValidationError', code: 'invalid_data' });
    await publisher.flush();
    expect(sent).toEqual([await good]);
    expect(await deadLetter.size()).toBe(0);
    await expect(publisher.publish('test.thing.happened', { n: 3 })).rejects.toMatchObject({
      name: 'EventValidationError',
    });
  });

  it('redrive re-sends dead letters with their delivery ids and removes the delivered ones', async () => {
    let up = false;
    const sent: string[] = [];
    const deadLetter = memoryDeadLetterQueue();
    const publisher = createPublisher({
      transport: {
        name: 'sometimes',
        send: async (m) => {
          sent.push(m.deliveryId);
          if (up && m.envelope.data.matchId === MATCH_CREATED.matchId) return { ok: true };
          return { ok: false, retryable: false, status: 404, error: new Error('not yet') };
        },
      },
      deadLetter,
    });
    await publisher.enqueue('buddy.match.created', MATCH_CREATED, { deliveryId: 'd-1' });
    await publisher.enqueue(
      'buddy.match.created',
      { ...MATCH_CREATED, matchId: MATCH_CREATED.buddyId },
      { deliveryId: 'd-2' },
    );
    await publisher.flush();
    expect(await deadLetter.size()).toBe(2);
    up = true;
    await expect(publisher.redrive()).resolves.toEqual({ delivered: 1, failed: 1 });
    expect(sent.slice(2).sort()).toEqual(['d-1', 'd-2']);
    expect((await deadLetter.list()).map((e) => e.id)).toEqual(['d-2']);
  });

  it('options are checked: TypeError naming the option', () => {
    const transport: Transport = { name: 'x', send: async () => ({ ok: true }) };
    expect(() => createPublisher({ transport, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createPublisher({ transport, maxQueue: -1 })).toThrow(/maxQueue/);
    expect(() => createPublisher({ transport, retry: { retries: -1 } })).toThrow(/retry\.retries/);
    expect(() => createPublisher({ transport, retry: { factor: 0.5 } })).toThrow(/retry\.factor/);
    expect(() => createPublisher({ transport, retry: { timeoutMs: 0 } })).toThrow(/retry\.timeoutMs/);
    expect(() => createPublisher({ transport, circuitBreaker: { failureThreshold: 0 } })).toThrow(/failureThreshold/);
    expect(() => createPublisher({ transport: {} as Transport })).toThrow(TypeError);
  });

  it('410 Gone is logged as a retired endpoint and counted as endpoint_gone', async () => {
    const errors: string[] = [];
    const errorTypes: string[] = [];
    const publisher = createPublisher({
      transport: {
        name: 'gone',
        send: async () => ({
          ok: false,
          retryable: false,
          status: 410,
          error: new TransportError('endpoint_gone', 'HTTP 410 from https://csr.example', { status: 410 }),
        }),
      },
      logger: { debug() {}, info() {}, warn() {}, error: (_, msg) => void errors.push(msg ?? '') },
      metrics: { publishError: ({ errorType }) => void errorTypes.push(errorType) },
    });
    await expect(publisher.publish('buddy.match.created', MATCH_CREATED)).rejects.toMatchObject({ status: 410 });
    expect(errorTypes).toEqual(['endpoint_gone']);
    expect(errors.some((m) => /410 Gone/.test(m))).toBe(true);
  });
});
