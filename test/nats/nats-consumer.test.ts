// End to end through JetStream: createPublisher + natsTransport → stream → natsConsumer → createReceiver pipeline.
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buddyCatalog,
  createEnvelope,
  createPublisher,
  createReceiver,
  type DeadLetterEntry,
  type Logger,
  memoryDeadLetterQueue,
} from '../../src/index.js';
import type { MessageResult, ReceiverMessage } from '../../src/receiver/types.js';
import { type NatsConsumer, natsConsumer, natsTransport } from '../../src/transports/nats.js';
import { natsAvailable } from '../helpers/nats.js';
import {
  connectTestNats,
  createTestStream,
  matchCreatedData,
  SECRET,
  sleep,
  type TestStream,
  waitFor,
} from './support.js';

describe.skipIf(!natsAvailable())('natsConsumer with the receiver pipeline', () => {
  let nc: NatsConnection;
  const streams: TestStream[] = [];
  const consumers: NatsConsumer[] = [];

  beforeAll(async () => {
    nc = await connectTestNats();
  });
  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    for (const stream of streams) await stream.remove();
    await nc.close();
  });

  async function setup(
    options: { maxDeliver?: number; backoffMs?: number[]; concurrency?: number; logger?: Logger } = {},
  ) {
    const stream = await createTestStream(nc);
    streams.push(stream);
    const receiver = createReceiver({ secret: SECRET, catalog: buddyCatalog });
    const deadLetter = memoryDeadLetterQueue();
    const deadLettered: DeadLetterEntry[] = [];
    let pipelineCalls = 0;
    // Counts every delivery the consumer hands to the pipeline, whatever the outcome.
    const counted = {
      handleMessage(message: ReceiverMessage): Promise<MessageResult> {
        pipelineCalls++;
        return receiver.handleMessage(message);
      },
    };
    const consumer = await natsConsumer({
      connection: nc,
      stream: stream.name,
      durable: 'csr',
      receiver: counted,
      deadLetter,
      onDeadLetter: (entry) => {
        deadLettered.push(entry);
      },
      ...options,
    });
    consumers.push(consumer);
    const publisher = createPublisher({
      transport: natsTransport({ connection: nc, subject: stream.subject, secret: SECRET }),
      catalog: buddyCatalog,
      retry: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    const consumerInfo = async () => (await jetstreamManager(nc)).consumers.info(stream.name, 'csr');
    return {
      stream,
      receiver,
      deadLetter,
      deadLettered,
      consumer,
      publisher,
      consumerInfo,
      calls: () => pipelineCalls,
    };
  }

  it('handles 1,000 published events exactly once each', async () => {
    const { receiver, publisher, consumerInfo, deadLettered } = await setup({ concurrency: 32 });
    const seen = new Map<string, number>();
    receiver.on('buddy.match.created', async (event) => {
      seen.set(event.metadata.id, (seen.get(event.metadata.id) ?? 0) + 1);
    });
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) ids.add(await publisher.enqueue('buddy.match.created', matchCreatedData()));
    await publisher.flush();
    await waitFor(() => seen.size === 1000, 30_000, '1,000 handled events');
    await waitFor(async () => (await consumerInfo()).num_ack_pending === 0, 10_000, 'every ack');
    expect([...seen.keys()].sort()).toEqual([...ids].sort());
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(deadLettered).toEqual([]);
    const info = await consumerInfo();
    expect(info.num_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
    await publisher.close();
  });

  it('stores one message when the same delivery id is published twice, and both publishes succeed', async () => {
    const { stream, publisher } = await setup();
    const envelope = createEnvelope('buddy.match.created', matchCreatedData());
    const first = await publisher.publish(envelope);
    const second = await publisher.publish(envelope);
    expect(first.deliveryId).toBe(envelope.metadata.id);
    expect(second.deliveryId).toBe(envelope.metadata.id);
    expect(await stream.messageCount()).toBe(1);
    await publisher.close();
  });

  it('redelivers a failing handler after the backoffMs delays and handles the event once in the end', async () => {
    const { receiver, publisher, consumerInfo } = await setup({ backoffMs: [100, 200], maxDeliver: 5 });
    const attempts: number[] = [];
    let handled = 0;
    receiver.on('buddy.match.created', async () => {
      attempts.push(Date.now());
      if (attempts.length <= 2) throw new Error('database unavailable');
      handled++;
    });
    await publisher.publish('buddy.match.created', matchCreatedData());
    await waitFor(() => handled === 1, 10_000, 'the third delivery to succeed');
    await waitFor(async () => (await consumerInfo()).num_ack_pending === 0, 5000, 'the ack');
    await sleep(300);
    expect(attempts).toHaveLength(3);
    expect(handled).toBe(1);
    // Lower bounds: the consumer asked the server for these delays (a behaviour, not a speed, check).
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(100);
    expect((attempts[2] ?? 0) - (attempts[1] ?? 0)).toBeGreaterThanOrEqual(200);
    await publisher.close();
  });

  it('dead-letters a message that always fails after maxDeliver deliveries, and never redelivers it', async () => {
    const { receiver, publisher, deadLetter, deadLettered, consumerInfo } = await setup({
      backoffMs: [50],
      maxDeliver: 3,
    });
    let attempts = 0;
    receiver.on('buddy.match.created', async () => {
      attempts++;
      throw new Error('always broken');
    });
    const receipt = await publisher.publish('buddy.match.created', matchCreatedData());
    await waitFor(() => deadLettered.length === 1, 10_000, 'the dead-letter entry');
    await sleep(400);
    expect(attempts).toBe(3);
    expect(await deadLetter.size()).toBe(1);
    expect(deadLettered[0]).toMatchObject({
      id: receipt.deliveryId,
      deliveryId: receipt.deliveryId,
      attempts: 3,
      retryable: true,
      source: 'nats-consumer',
      envelope: { type: 'buddy.match.created', metadata: { id: receipt.eventId } },
    });
    const info = await consumerInfo();
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    await publisher.close();
  });

  it('terminates and dead-letters a message with a bad signature at its first delivery', async () => {
    const { stream, receiver, deadLettered, calls } = await setup({ backoffMs: [50] });
    let handled = 0;
    receiver.on('buddy.match.created', async () => {
      handled++;
    });
    const forged = natsTransport({ connection: nc, subject: stream.subject, secret: 'not-the-shared-secret-000' });
    const envelope = createEnvelope('buddy.match.created', matchCreatedData());
    const sent = await forged.send(
      { envelope, deliveryId: envelope.metadata.id },
      { attempt: 1, signal: new AbortController().signal },
    );
    expect(sent.ok).toBe(true);
    await waitFor(() => deadLettered.length === 1, 10_000, 'the dead-letter entry');
    await sleep(300);
    expect(handled).toBe(0);
    expect(calls()).toBe(1);
    expect(deadLettered[0]).toMatchObject({ attempts: 1, retryable: false, error: { status: 401 }, envelope });
  });

  it('terminates and dead-letters an event with invalid data at its first delivery', async () => {
    const { stream, deadLettered, calls } = await setup({ backoffMs: [50] });
    // The publisher validates before sending, so this bypasses it: a transport alone signs anything.
    const transport = natsTransport({ connection: nc, subject: stream.subject, secret: SECRET });
    const envelope = createEnvelope('buddy.match.created', { ...matchCreatedData(), matchId: 'not-a-uuid' });
    await transport.send(
      { envelope, deliveryId: envelope.metadata.id },
      { attempt: 1, signal: new AbortController().signal },
    );
    await waitFor(() => deadLettered.length === 1, 10_000, 'the dead-letter entry');
    await sleep(300);
    expect(calls()).toBe(1);
    expect(deadLettered[0]).toMatchObject({
      deliveryId: envelope.metadata.id,
      attempts: 1,
      retryable: false,
      error: { code: 'invalid_data', status: 400 },
    });
  });

  it('a logger that throws changes nothing: events are acked, dead-lettered and reported to onDeadLetter', async () => {
    const boom = (): never => {
      throw new Error('logger broke');
    };
    const { stream, receiver, publisher, deadLettered, consumerInfo } = await setup({
      backoffMs: [50],
      logger: { debug: boom, info: boom, warn: boom, error: boom },
    });
    let handled = 0;
    receiver.on('buddy.match.created', async () => {
      handled++;
    });
    await publisher.publish('buddy.match.created', matchCreatedData());
    const transport = natsTransport({ connection: nc, subject: stream.subject, secret: SECRET });
    const invalid = createEnvelope('buddy.match.created', { ...matchCreatedData(), matchId: 'not-a-uuid' });
    await transport.send(
      { envelope: invalid, deliveryId: invalid.metadata.id },
      { attempt: 1, signal: new AbortController().signal },
    );
    await waitFor(() => handled === 1 && deadLettered.length === 1, 10_000, 'the handled and the dead-lettered event');
    await waitFor(async () => (await consumerInfo()).num_ack_pending === 0, 5000, 'both settled');
    expect(deadLettered[0]).toMatchObject({ deliveryId: invalid.metadata.id, retryable: false });
    expect((await consumerInfo()).num_redelivered).toBe(0);
    await publisher.close();
  });
});
