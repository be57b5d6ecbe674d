import { describe, expect, it } from 'vitest';
import {
  buddyCatalog,
  createEnvelope,
  createPublisher,
  isEventRelayError,
  memoryDeadLetterQueue,
  memoryOutbox,
  type OutboxRecord,
  type Transport,
  type TransportMessage,
} from '../../src/index.js';
import { MATCH_CREATED } from './fixtures.js';
import { recordingOutbox } from './outbox-doubles.js';

function record(): OutboxRecord {
  const envelope = createEnvelope('buddy.match.created', { ...MATCH_CREATED });
  return { deliveryId: envelope.metadata.id, envelope, enqueuedAt: Date.now() };
}

function sink(delayMs = 0) {
  const sent: TransportMessage[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: Transport = {
    name: 'sink',
    async send(message) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight -= 1;
      sent.push(message);
      return { ok: true, status: 202 };
    },
  };
  return {
    transport,
    sent,
    ids: () => sent.map((m) => m.deliveryId),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** An endpoint that is down: every attempt is a retryable 503. */
const down: Transport = {
  name: 'down',
  send: async () => ({ ok: false, retryable: true, status: 503, error: new Error('HTTP 503') }),
};

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('publisher with the memory outbox (the default)', () => {
  it('stores each accepted event until it is delivered', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transport: Transport = {
      name: 'gated',
      async send() {
        await gate;
        return { ok: true };
      },
    };
    const publisher = createPublisher({ transport, catalog: buddyCatalog });
    expect(publisher.outbox).toMatchObject({ name: 'memory', durable: false });
    await Promise.all([1, 2, 3].map(() => publisher.enqueue('buddy.match.created', MATCH_CREATED)));
    expect(await publisher.outbox.size()).toBe(3);
    release();
    await publisher.flush();
    expect(await publisher.outbox.size()).toBe(0);
  });

  it('refuses a transaction: only postgresOutbox stores inside the caller’s transaction', async () => {
    const s = sink();
    const publisher = createPublisher({ transport: s.transport, catalog: buddyCatalog });
    await expect(publisher.enqueue('buddy.match.created', MATCH_CREATED, { transaction: {} })).rejects.toMatchObject({
      name: 'TypeError',
      message: expect.stringMatching(/postgresOutbox/),
    });
    await publisher.flush();
    expect(s.sent).toHaveLength(0);
  });

  it('close({ timeoutMs }) with the endpoint down returns by its deadline and dead-letters with reason shutdown', async () => {
    const deadLetter = memoryDeadLetterQueue();
    const publisher = createPublisher({ transport: down, catalog: buddyCatalog, deadLetter, concurrency: 2 });
    const ids = await Promise.all([1, 2, 3, 4].map(() => publisher.enqueue('buddy.match.created', MATCH_CREATED)));
    const published = publisher.publish('buddy.match.created', MATCH_CREATED).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await publisher.close({ timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(1000);
    const entries = await deadLetter.list();
    expect(entries).toHaveLength(5);
    expect(entries.map((e) => e.id)).toEqual(expect.arrayContaining(ids));
    for (const entry of entries) expect(entry.error).toMatchObject({ code: 'shutdown' });
    const error = (await published) as Error & { cause?: unknown };
    expect(error).toMatchObject({ name: 'DeliveryError', retryable: true });
    expect(isEventRelayError(error.cause, 'ShutdownError')).toBe(true);
    expect(await publisher.outbox.size()).toBe(0);
  });

  it('close({ timeoutMs }) aborts attempts in flight at its deadline; one that ignores the abort cannot hold it', async () => {
    const aborted: unknown[] = [];
    const hanging: Transport = {
      name: 'hanging',
      send: (_message, context) =>
        new Promise((resolve) =>
          context.signal.addEventListener('abort', () => {
            aborted.push(context.signal.reason);
            resolve({ ok: false, retryable: true, error: new Error('aborted') });
          }),
        ),
    };
    const deadLetter = memoryDeadLetterQueue();
    const polite = createPublisher({ transport: hanging, deadLetter, retry: { timeoutMs: 60_000 } });
    await polite.enqueue('buddy.match.created', MATCH_CREATED);
    let started = performance.now();
    await polite.close({ timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(aborted).toHaveLength(1);
    expect(await deadLetter.list()).toEqual([
      expect.objectContaining({ attempts: 1, error: expect.objectContaining({ code: 'shutdown' }) }),
    ]);

    // A transport that never settles, even when aborted: the attempt is let go all the same.
    const deaf: Transport = { name: 'deaf', send: () => new Promise(() => {}) };
    const stubborn = createPublisher({ transport: deaf, retry: { timeoutMs: 60_000 } });
    await stubborn.enqueue('buddy.match.created', MATCH_CREATED);
    started = performance.now();
    await stubborn.close({ timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await stubborn.deadLetter.size()).toBe(1);
  });

  it('close() rejects a bad timeoutMs with a TypeError naming it', async () => {
    const publisher = createPublisher({ transport: sink().transport });
    await expect(publisher.close({ timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
    await publisher.close({ timeoutMs: 0 });
  });
});

describe('publisher with a durable outbox', () => {
  it('resumes stored records on start, in batches of at most twice the concurrency', async () => {
    const outbox = recordingOutbox();
    const stored = Array.from({ length: 100 }, record);
    for (const r of stored) await outbox.storeAvailable(r);
    const s = sink(2);
    const publisher = createPublisher({ transport: s.transport, outbox, concurrency: 4 });
    await publisher.flush();
    expect(s.ids().sort()).toEqual(stored.map((r) => r.deliveryId).sort());
    expect(Math.max(...outbox.calls.claim)).toBeLessThanOrEqual(8);
    expect(s.maxInFlight).toBeLessThanOrEqual(4);
    expect(await outbox.size()).toBe(0);
    expect(outbox.calls.complete.flat().sort()).toEqual(stored.map((r) => r.deliveryId).sort());
    await publisher.close();
    expect(outbox.calls.close).toBe(1);
  });

  it('resolves enqueue only once the outbox stored the event; a refused add rejects and sends nothing', async () => {
    const outbox = recordingOutbox();
    let storeNow: () => void = () => {};
    outbox.beforeAdd = () =>
      new Promise<void>((resolve) => {
        storeNow = resolve;
      });
    const s = sink();
    const publisher = createPublisher({ transport: s.transport, outbox, catalog: buddyCatalog });
    let resolved = false;
    const enqueued = publisher.enqueue('buddy.match.created', MATCH_CREATED).then((id) => {
      resolved = true;
      return id;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(resolved).toBe(false);
    expect(publisher.pending).toBe(1);
    storeNow();
    const id = await enqueued;
    await publisher.flush();
    expect(s.sent.map((m) => m.envelope.metadata.id)).toEqual([id]);

    outbox.beforeAdd = () => Promise.reject(new Error('disk full'));
    await expect(publisher.enqueue('buddy.match.created', MATCH_CREATED)).rejects.toThrow('disk full');
    await expect(publisher.publish('buddy.match.created', MATCH_CREATED)).rejects.toThrow('disk full');
    await publisher.flush();
    expect(s.sent).toHaveLength(1);
    await publisher.close();
  });

  it("a 'stored' answer (the caller's transaction) is not sent until the outbox says it is visible", async () => {
    const outbox = recordingOutbox({ watch: true });
    const s = sink();
    const publisher = createPublisher({ transport: s.transport, outbox, catalog: buddyCatalog });
    const transaction = { query: () => {} };
    const id = await publisher.enqueue('buddy.match.created', MATCH_CREATED, { transaction });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.sent).toHaveLength(0);
    expect(publisher.pending).toBe(0);
    outbox.notify(); // the commit
    await until(() => s.sent.length === 1);
    expect(s.sent[0]!.envelope.metadata.id).toBe(id);
    await publisher.close();
  });

  it('without watch, polls the outbox about once a second for records another process stored', async () => {
    const outbox = recordingOutbox();
    const s = sink();
    const publisher = createPublisher({ transport: s.transport, outbox });
    await publisher.flush();
    const late = record();
    await outbox.storeAvailable(late);
    const started = performance.now();
    await until(() => s.sent.length === 1, 3000);
    expect(performance.now() - started).toBeLessThan(2500);
    expect(s.ids()).toEqual([late.deliveryId]);
    await publisher.close();
  });

  it('close({ timeoutMs }) with the endpoint down releases what is left; the next publisher delivers it', async () => {
    const outbox = recordingOutbox();
    const deadLetter = memoryDeadLetterQueue();
    const first = createPublisher({ transport: down, outbox, deadLetter, catalog: buddyCatalog, concurrency: 2 });
    const ids = await Promise.all([1, 2, 3, 4].map(() => first.enqueue('buddy.match.created', MATCH_CREATED)));
    const published = first.publish('buddy.match.created', MATCH_CREATED).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await first.close({ timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await deadLetter.size()).toBe(0);
    expect(outbox.calls.release.flat()).toHaveLength(5);
    const error = await published;
    expect(isEventRelayError(error, 'ShutdownError')).toBe(true);
    expect(error).toMatchObject({ kept: true });
    expect(await outbox.size()).toBe(5);

    const s = sink();
    const second = createPublisher({ transport: s.transport, outbox, deadLetter });
    await second.flush();
    expect(s.sent.map((m) => m.envelope.metadata.id)).toEqual(expect.arrayContaining(ids));
    expect(s.sent).toHaveLength(5);
    expect(await outbox.size()).toBe(0);
    await second.close();
  });

  it('reports the outbox depth to the metrics sink', async () => {
    const outbox = recordingOutbox();
    for (let i = 0; i < 3; i++) await outbox.storeAvailable(record());
    const depths: number[] = [];
    const publisher = createPublisher({ transport: down, outbox, metrics: { outboxDepth: (n) => depths.push(n) } });
    await until(() => depths.length > 0);
    expect(depths[0]).toBe(3);
    await publisher.close({ timeoutMs: 100 });
  });

  it('the memory outbox as a plain Outbox: claim, release and complete keep their contract', async () => {
    const outbox = memoryOutbox();
    const [a, b] = [record(), record()];
    expect(await outbox.add(a)).toBe('claimed');
    expect(await outbox.add(b)).toBe('claimed');
    expect(await outbox.claim(10)).toEqual([]);
    await outbox.release([a.deliveryId, 'unknown']);
    expect(await outbox.claim(10)).toEqual([a]);
    await outbox.complete([a.deliveryId, b.deliveryId, 'unknown']);
    expect(await outbox.size()).toBe(0);
  });
});
