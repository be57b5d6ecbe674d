// A connection that is closed for good: without `connect`, publish() settles fast (dead-lettered, the caller told
// why); with `connect`, the transport dials a new connection, with backoff while the server is away, and delivers.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buddyCatalog, createPublisher, isEventRelayError } from '../../src/index.js';
import { ensureStream, natsTransport } from '../../src/transports/nats.js';
import { natsAvailable } from '../helpers/nats.js';
import { type NatsServerProcess, natsServerProcess } from './nats-server-process.js';
import { matchCreatedData, SECRET, waitFor } from './support.js';

describe.skipIf(!natsAvailable())('natsTransport on a connection closed for good', () => {
  let server: NatsServerProcess | undefined;
  const opened: NatsConnection[] = [];
  // A client that gives up after one failed reconnect: its connection closes for good soon after the server goes.
  const dial = async (): Promise<NatsConnection> => {
    const nc = await connect({ servers: server?.url ?? '', maxReconnectAttempts: 1, reconnectTimeWait: 100 });
    opened.push(nc);
    return nc;
  };

  beforeAll(async () => {
    server = await natsServerProcess();
    await server.start();
    const nc = await dial();
    await ensureStream(nc);
    await nc.close();
  });
  afterEach(async () => {
    await server?.start();
    for (const nc of opened.splice(0)) await nc.close().catch(() => undefined);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const storedCount = async (): Promise<number> => {
    const nc = await dial();
    const info = await (await jetstreamManager(nc)).streams.info('BUDDY_EVENTS');
    return info.state.messages;
  };

  it('without connect: publish() settles within 10 s, dead-lettered with an error that says what to do', async () => {
    const nc = await dial();
    const publisher = createPublisher({
      transport: natsTransport({ connection: nc, secret: SECRET }),
      catalog: buddyCatalog,
    });
    await server?.stop();
    await waitFor(() => nc.isClosed(), 10_000, 'the client to give up');
    const started = Date.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => publisher.publish('buddy.match.created', matchCreatedData())),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason;
      expect(isEventRelayError(error, 'DeliveryError')).toBe(true);
      expect(error.message).toMatch(/maxReconnectAttempts: -1|`connect`/);
    }
    const parked = await publisher.deadLetter.list();
    expect(parked).toHaveLength(50);
    expect(parked.every((entry) => entry.error.code === 'nats_connection_closed' && !entry.retryable)).toBe(true);
    await publisher.close();
  }, 30_000);

  it('without connect: a publish in flight when the connection closes settles at once, not after its timeout', async () => {
    const nc = await dial();
    const transport = natsTransport({ connection: nc, secret: SECRET, timeoutMs: 60_000 });
    const publisher = createPublisher({ transport, catalog: buddyCatalog, retry: { timeoutMs: 60_000 } });
    await server?.stop();
    // Sent while the client still tries to reconnect: the attempt waits for the connection, which then closes.
    const pending = publisher.publish('buddy.match.created', matchCreatedData());
    const started = Date.now();
    await expect(pending).rejects.toThrow(/closed for good/);
    expect(Date.now() - started).toBeLessThan(10_000);
    await publisher.close();
  }, 30_000);

  it('with connect: dials again with backoff while the server is away, then delivers every event once', async () => {
    const first = await dial();
    let dials = 0;
    const transport = natsTransport({
      connection: first,
      connect: () => {
        dials++;
        return dial();
      },
      secret: SECRET,
      redialBackoffMs: [100, 200],
    });
    const publisher = createPublisher({
      transport,
      catalog: buddyCatalog,
      circuitBreaker: false,
      retry: { retries: 50, initialDelayMs: 100, maxDelayMs: 300 },
    });
    const before = await storedCount();
    await server?.stop();
    await waitFor(() => first.isClosed(), 10_000, 'the first connection to close for good');
    const receipts = Promise.all(
      Array.from({ length: 40 }, () => publisher.publish('buddy.match.created', matchCreatedData())),
    );
    await waitFor(() => dials >= 3, 10_000, 'the transport to try dialing while the server is down');
    await server?.start();
    const delivered = await receipts;
    expect(delivered).toHaveLength(40);
    expect(await storedCount()).toBe(before + 40);
    await publisher.close();
    // close() drained the connection the transport dialed, not only marked it.
    expect(opened.filter((nc) => nc !== first).some((nc) => nc.isClosed())).toBe(true);
  }, 60_000);

  it('with connect: the application closed the connection; the next publish dials and delivers', async () => {
    const first = await dial();
    const transport = natsTransport({ connection: first, connect: dial, secret: SECRET });
    const publisher = createPublisher({ transport, catalog: buddyCatalog });
    await first.close();
    const receipt = await publisher.publish('buddy.match.created', matchCreatedData());
    expect(receipt.attempts).toBe(1);
    await publisher.close();
    expect(first.isClosed()).toBe(true);
  }, 30_000);

  it('dials lazily when given only connect', async () => {
    let dials = 0;
    const transport = natsTransport({
      connect: () => {
        dials++;
        return dial();
      },
      secret: SECRET,
    });
    expect(dials).toBe(0);
    const publisher = createPublisher({ transport, catalog: buddyCatalog });
    await publisher.publish('buddy.match.created', matchCreatedData());
    await publisher.publish('buddy.match.created', matchCreatedData());
    expect(dials).toBe(1);
    await publisher.close();
  }, 30_000);
});
