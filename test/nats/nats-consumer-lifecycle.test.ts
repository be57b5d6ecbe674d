// natsConsumer's own mechanics with a stub receiver (any object with handleMessage): graceful stop, a dead-letter
// queue that refuses an entry, option checks. The pipeline itself is exercised in nats-consumer.test.ts.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetterEntry, DeadLetterQueue } from '../../src/index.js';
import type { MessageResult, ReceiverMessage } from '../../src/receiver/types.js';
import { natsConsumer } from '../../src/transports/nats.js';
import { natsAvailable } from '../helpers/nats.js';
import { connectTestNats, createTestStream, sleep, type TestStream, waitFor } from './support.js';

const ACCEPTED: MessageResult = { outcome: 'accepted', status: 202, body: { acknowledged: true, eventId: 'e' } };
const RETRY: MessageResult = { outcome: 'retry', status: 500, body: { error: 'handler_failed', message: 'boom' } };
const REJECT: MessageResult = { outcome: 'reject', status: 400, body: { error: 'invalid_json', message: 'not JSON' } };

describe.skipIf(!natsAvailable())('natsConsumer lifecycle', () => {
  let nc: NatsConnection;
  const streams: TestStream[] = [];
  const newStream = async () => {
    const stream = await createTestStream(nc);
    streams.push(stream);
    return stream;
  };
  const consumerInfo = async (stream: TestStream, durable: string) =>
    (await jetstreamManager(nc)).consumers.info(stream.name, durable);

  beforeAll(async () => {
    nc = await connectTestNats();
  });
  afterAll(async () => {
    for (const stream of streams) await stream.remove();
    await nc.close();
  });

  it('stop() lets the message in flight finish and be acknowledged, then consumes nothing more', async () => {
    const stream = await newStream();
    const js = jetstream(nc);
    let release: () => void = () => {};
    let started = false;
    const handled: string[] = [];
    const receiver = {
      async handleMessage(message: ReceiverMessage): Promise<MessageResult> {
        const body = new TextDecoder().decode(message.body as Uint8Array);
        if (body === 'slow') {
          started = true;
          await new Promise<void>((resolve) => (release = resolve));
        }
        handled.push(body);
        return ACCEPTED;
      },
    };
    const consumer = await natsConsumer({ connection: nc, stream: stream.name, durable: 'lifecycle', receiver });
    await js.publish(`${stream.prefix}.a.b.c`, 'slow');
    await waitFor(() => started, 5000, 'the slow message to start');
    const stopped = consumer.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await sleep(100);
    expect(done).toBe(false); // still waiting for the handler in flight
    release();
    await stopped;
    expect(handled).toEqual(['slow']);
    await js.publish(`${stream.prefix}.a.b.c`, 'after-stop');
    await sleep(300);
    expect(handled).toEqual(['slow']);
    const info = await consumerInfo(stream, 'lifecycle');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(1); // the message published after stop() waits for the next consumer
  });

  it('stop() also finishes the messages already buffered; the next instance gets only the rest, once', async () => {
    const stream = await newStream();
    const js = jetstream(nc);
    let release: () => void = () => {};
    let started = false;
    const first: string[] = [];
    const slowReceiver = {
      async handleMessage(message: ReceiverMessage): Promise<MessageResult> {
        const body = new TextDecoder().decode(message.body as Uint8Array);
        if (body === 'slow') {
          started = true;
          await new Promise<void>((resolve) => (release = resolve));
        }
        first.push(body);
        return ACCEPTED;
      },
    };
    // concurrency 1: while 'slow' runs, the others wait in the client's buffer.
    const options = { connection: nc, stream: stream.name, durable: 'handover', concurrency: 1 };
    const consumer = await natsConsumer({ ...options, receiver: slowReceiver });
    await js.publish(`${stream.prefix}.a.b.c`, 'slow');
    await waitFor(() => started, 5000, 'the slow message to start');
    for (const body of ['b1', 'b2', 'b3']) await js.publish(`${stream.prefix}.a.b.c`, body);
    await sleep(200); // let them reach the buffer
    const stopped = consumer.stop();
    release();
    await stopped;
    expect(first).toEqual(['slow', 'b1', 'b2', 'b3']);

    await js.publish(`${stream.prefix}.a.b.c`, 'after');
    const second: string[] = [];
    const next = await natsConsumer({
      ...options,
      receiver: {
        async handleMessage(message: ReceiverMessage): Promise<MessageResult> {
          second.push(new TextDecoder().decode(message.body as Uint8Array));
          return ACCEPTED;
        },
      },
    });
    try {
      await waitFor(() => second.length === 1, 5000, 'the message published after stop()');
      await sleep(300);
      expect(second).toEqual(['after']);
    } finally {
      await next.stop();
    }
  });

  it('hands a message back (no term) when the dead-letter queue refuses it, and dead-letters it on redelivery', async () => {
    const stream = await newStream();
    const added: DeadLetterEntry[] = [];
    let refuse = true;
    const deadLetter: DeadLetterQueue = {
      async add(entry) {
        if (refuse) {
          refuse = false;
          throw new Error('disk full');
        }
        added.push(entry);
      },
      list: async () => added,
      remove: async () => false,
      size: async () => added.length,
    };
    let calls = 0;
    const receiver = {
      async handleMessage() {
        calls++;
        return REJECT;
      },
    };
    const consumer = await natsConsumer({
      connection: nc,
      stream: stream.name,
      durable: 'refusing-dlq',
      receiver,
      deadLetter,
      backoffMs: [50],
    });
    try {
      await jetstream(nc).publish(`${stream.prefix}.a.b.c`, 'not json', { msgID: 'dlq-refused' });
      await waitFor(() => added.length === 1, 5000, 'the dead-letter entry');
      expect(calls).toBe(2);
      expect(added[0]).toMatchObject({
        id: 'dlq-refused',
        deliveryId: 'dlq-refused',
        attempts: 2,
        retryable: false,
        source: 'nats-consumer',
        error: { code: 'invalid_json', status: 400 },
        envelope: { type: 'nats.message.unreadable', data: { body: 'not json' } },
      });
    } finally {
      await consumer.stop();
    }
  });

  it('uses the pipeline retryAfterMs over backoffMs', async () => {
    const stream = await newStream();
    const seen: number[] = [];
    const receiver = {
      async handleMessage(): Promise<MessageResult> {
        seen.push(Date.now());
        return seen.length === 1 ? { ...RETRY, retryAfterMs: 400 } : ACCEPTED;
      },
    };
    const consumer = await natsConsumer({
      connection: nc,
      stream: stream.name,
      durable: 'retry-after',
      receiver,
      backoffMs: [10],
    });
    try {
      await jetstream(nc).publish(`${stream.prefix}.a.b.c`, 'x');
      await waitFor(() => seen.length === 2, 5000, 'the redelivery');
      expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(400);
    } finally {
      await consumer.stop();
    }
  });

  it('rejects bad options with a TypeError naming the option', async () => {
    const base = { connection: nc, stream: 'S', durable: 'd', receiver: { handleMessage: async () => ACCEPTED } };
    await expect(natsConsumer({ ...base, durable: 'a.b' })).rejects.toThrow(/`durable`/);
    await expect(natsConsumer({ ...base, maxDeliver: 0 })).rejects.toThrow(/`maxDeliver`/);
    await expect(natsConsumer({ ...base, backoffMs: [] })).rejects.toThrow(/`backoffMs`/);
    await expect(natsConsumer({ ...base, concurrency: 0 })).rejects.toThrow(/`concurrency`/);
    // @ts-expect-error a receiver is required
    await expect(natsConsumer({ ...base, receiver: {} })).rejects.toThrow(/`receiver`/);
  });
});
