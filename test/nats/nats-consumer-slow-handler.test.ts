// Handlers slower than ack_wait: the consumer keeps the message with working(), so it is not redelivered; and two
// consumer processes on one durable, sharing an idempotency store in Redis, handle each event once.
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buddyCatalog, createPublisher, createReceiver } from '../../src/index.js';
import type { MessageResult, ReceiverMessage } from '../../src/receiver/types.js';
import { natsConsumer, natsTransport } from '../../src/transports/nats.js';
import { type Child, startScript } from '../examples/child.js';
import { NATS_URL, natsAvailable } from '../helpers/nats.js';
import { REDIS_URL, redisAvailable, uniqueName } from '../helpers/services.js';
import {
  connectTestNats,
  createTestStream,
  matchCreatedData,
  SECRET,
  sleep,
  type TestStream,
  waitFor,
} from './support.js';

describe.skipIf(!natsAvailable())('natsConsumer with a handler slower than ackWait', () => {
  let nc: NatsConnection;
  let stream: TestStream;

  beforeAll(async () => {
    nc = await connectTestNats();
    stream = await createTestStream(nc);
  });
  afterAll(async () => {
    await stream.remove();
    await nc.close();
  });

  it('ackWait 1 s and a 2.5 s handler: each event delivered once and handled once', async () => {
    const receiver = createReceiver({ secret: SECRET, catalog: buddyCatalog });
    const handled: string[] = [];
    receiver.on('buddy.match.created', async (event) => {
      await sleep(2500);
      handled.push(event.metadata.id);
    });
    let deliveries = 0;
    const counted = {
      handleMessage(message: ReceiverMessage): Promise<MessageResult> {
        deliveries++;
        return receiver.handleMessage(message);
      },
    };
    const consumer = await natsConsumer({
      connection: nc,
      stream: stream.name,
      durable: 'slow',
      receiver: counted,
      ackWaitMs: 1000,
      concurrency: 4,
    });
    const publisher = createPublisher({
      transport: natsTransport({ connection: nc, subject: stream.subject, secret: SECRET }),
      catalog: buddyCatalog,
    });
    const receipts = await Promise.all(
      Array.from({ length: 3 }, () => publisher.publish('buddy.match.created', matchCreatedData())),
    );
    await waitFor(() => handled.length >= 3, 15_000, 'three slow handlers to finish');
    await sleep(1500); // a redelivery, had there been one, would show by now
    expect(handled.sort()).toEqual(receipts.map((r) => r.eventId).sort());
    expect(deliveries).toBe(3);
    const info = await (await jetstreamManager(nc)).consumers.info(stream.name, 'slow');
    expect(info.num_redelivered).toBe(0);
    expect(info.num_ack_pending).toBe(0);
    await consumer.stop();
    await publisher.close();
  }, 30_000);
});

describe.skipIf(!natsAvailable() || !redisAvailable())('two consumer processes on one durable', () => {
  let nc: NatsConnection;
  let stream: TestStream;
  let redis: Redis;
  const prefix = uniqueName('nats_replicas');
  const children: Child[] = [];

  beforeAll(async () => {
    nc = await connectTestNats();
    stream = await createTestStream(nc);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    for (const child of children) await child.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await stream.remove();
    await nc.close();
  });

  it('with a shared store and a handler slower than ackWait: each event handled once, none dead-lettered', async () => {
    for (let i = 0; i < 2; i++) {
      const child = startScript('test/nats/consumer-process.ts', {
        NATS_URL,
        REDIS_URL,
        PREFIX: prefix,
        STREAM: stream.name,
        DURABLE: 'replicas',
        HANDLER_MS: '1500',
        ACK_WAIT_MS: '1000',
        CONCURRENCY: '4',
      });
      children.push(child);
      await child.waitFor(/ready/, 30_000);
    }
    const publisher = createPublisher({
      transport: natsTransport({ connection: nc, subject: stream.subject, secret: SECRET }),
      catalog: buddyCatalog,
    });
    const receipts = await Promise.all(
      Array.from({ length: 40 }, () => publisher.publish('buddy.match.created', matchCreatedData())),
    );
    const handledCount = () => redis.llen(`${prefix}:handled`);
    await waitFor(async () => (await handledCount()) >= 40, 60_000, '40 events to be handled');
    await sleep(2500); // time for a late second handling to show
    const handled = await redis.lrange(`${prefix}:handled`, 0, -1);
    const ids = handled.map((entry) => entry.split(':')[1]);
    expect(ids.sort()).toEqual(receipts.map((r) => r.eventId).sort()); // each once, none twice
    const pids = new Set(handled.map((entry) => entry.split(':')[0]));
    expect(pids.size).toBe(2); // both processes took a share
    expect(await redis.llen(`${prefix}:dead`)).toBe(0);
    await publisher.close();
  }, 120_000);
});
