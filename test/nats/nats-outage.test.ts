// A private nats-server that goes away while events are published: the publisher retries (natsTransport answers
// retryable failures), the connection reconnects, and once the server is back every event is stored exactly once.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buddyCatalog, createPublisher } from '../../src/index.js';
import { ensureStream, natsTransport } from '../../src/transports/nats.js';
import { natsAvailable } from '../helpers/nats.js';
import { type NatsServerProcess, natsServerProcess } from './nats-server-process.js';
import { matchCreatedData, SECRET, sleep, waitFor } from './support.js';

describe.skipIf(!natsAvailable())('natsTransport through a server outage', () => {
  let server: NatsServerProcess | undefined;
  let nc: NatsConnection | undefined;

  beforeAll(async () => {
    server = await natsServerProcess();
    await server.start();
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  });
  afterAll(async () => {
    // Whatever happened above, the child process must not outlive the suite.
    await nc?.close().catch(() => undefined);
    await server?.dispose();
  });

  it('stores every event once after the server comes back', async () => {
    if (!server || !nc) throw new Error('setup failed');
    const connection = nc;
    await ensureStream(connection); // BUDDY_EVENTS on buddy.>: this server is private, the defaults are safe
    // Records which deliveries saw a failed attempt, so the server comes back only once every event has failed.
    const nats = natsTransport({ connection, secret: SECRET, timeoutMs: 500 });
    const failed = new Set<string>();
    const publisher = createPublisher({
      transport: {
        name: nats.name,
        async send(message, context) {
          const result = await nats.send(message, context);
          if (!result.ok) failed.add(message.deliveryId);
          return result;
        },
      },
      catalog: buddyCatalog,
      circuitBreaker: false,
      concurrency: 32,
      retry: { retries: 40, initialDelayMs: 100, maxDelayMs: 400, timeoutMs: 1000 },
    });

    await server.stop();
    const publishes = Array.from({ length: 20 }, () => publisher.publish('buddy.match.created', matchCreatedData()));
    await waitFor(() => failed.size === 20, 15_000, 'every publish to fail at least once');
    await sleep(300);
    await server.start();
    const receipts = await Promise.all(publishes);

    expect(receipts.every((receipt) => receipt.attempts > 1)).toBe(true);
    const jsm = await jetstreamManager(connection);
    const info = await jsm.streams.info('BUDDY_EVENTS');
    expect(info.state.messages).toBe(20);
    const stored = new Set<string>();
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage('BUDDY_EVENTS', { seq });
      stored.add(message?.header.get('Nats-Msg-Id') ?? '');
    }
    expect([...stored].sort()).toEqual(receipts.map((receipt) => receipt.deliveryId).sort());
    await publisher.close();
  });

  it('with the default publisher, delivery resumes within 2 s of the server coming back', async () => {
    if (!server || !nc) throw new Error('setup failed');
    const publisher = createPublisher({
      transport: natsTransport({ connection: nc, secret: SECRET }),
      catalog: buddyCatalog,
    });
    await server.stop();
    // Sent during the outage: each attempt waits for the connection instead of failing, so neither retries nor
    // the breaker (5 failures open it for 30 s) add their delays once the server is back.
    const publishes = Array.from({ length: 50 }, () => publisher.publish('buddy.match.created', matchCreatedData()));
    await sleep(2000);
    await server.start();
    const back = Date.now();
    const receipts = await Promise.all(publishes);
    expect(Date.now() - back).toBeLessThan(2000);
    expect(receipts.every((receipt) => receipt.attempts === 1)).toBe(true);
    expect(publisher.circuitState).toBe('closed');
    await publisher.close();
  });

  it('after an outage that opened the breaker, a 1 s breaker reset resumes delivery within 2 s of the return', async () => {
    if (!server || !nc) throw new Error('setup failed');
    const publisher = createPublisher({
      transport: natsTransport({ connection: nc, secret: SECRET }),
      catalog: buddyCatalog,
      circuitBreaker: { resetTimeoutMs: 1000 },
    });
    const states: string[] = [];
    const watch = setInterval(() => {
      if (states.at(-1) !== publisher.circuitState) states.push(publisher.circuitState);
    }, 20);
    try {
      await server.stop();
      // Longer than an attempt (5 s): attempts fail, the breaker opens. Its probes, one a second, wait in the
      // transport for the connection, so the probe pending when the server returns goes out at once.
      const publishes = Array.from({ length: 50 }, () => publisher.publish('buddy.match.created', matchCreatedData()));
      await sleep(8000);
      await server.start();
      const back = Date.now();
      await Promise.all(publishes);
      expect(Date.now() - back).toBeLessThan(2000);
      expect(states).toContain('open');
    } finally {
      clearInterval(watch);
      await publisher.close();
    }
  }, 30_000);
});
