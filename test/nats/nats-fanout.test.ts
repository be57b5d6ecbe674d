// The migration's dual-publish step: one event, through fanoutTransport, reaches an HTTP receiver and JetStream.
// A receiver that consumes both paths handles it once: both copies carry the same delivery id.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeReceiver } from '../../src/adapters/node.js';
import {
  buddyCatalog,
  createPublisher,
  createReceiver,
  type EventEnvelope,
  fanoutTransport,
  httpTransport,
} from '../../src/index.js';
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

describe.skipIf(!natsAvailable())('fanoutTransport over HTTP and NATS', () => {
  let nc: NatsConnection;
  const streams: TestStream[] = [];
  const servers: Server[] = [];
  const consumers: NatsConsumer[] = [];

  beforeAll(async () => {
    nc = await connectTestNats();
  });
  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    for (const stream of streams) await stream.remove();
    await nc.close();
  });

  async function listen(receiver: Parameters<typeof nodeReceiver>[0]): Promise<string> {
    const server = createServer(nodeReceiver(receiver));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/buddy-events`;
  }

  async function dualPublisher(url: string) {
    const stream = await createTestStream(nc);
    streams.push(stream);
    const publisher = createPublisher({
      transport: fanoutTransport(
        [
          httpTransport({ url, secret: SECRET }),
          natsTransport({ connection: nc, subject: stream.subject, secret: SECRET }),
        ],
        { mode: 'all' },
      ),
      catalog: buddyCatalog,
    });
    return { stream, publisher };
  }

  it('delivers one event to both an HTTP receiver and the stream', async () => {
    const httpSide = createReceiver({ secret: SECRET, catalog: buddyCatalog });
    const httpEvents: EventEnvelope[] = [];
    httpSide.on('buddy.match.created', async (event) => {
      httpEvents.push(event);
    });
    const natsSide = createReceiver({ secret: SECRET, catalog: buddyCatalog });
    const natsEvents: EventEnvelope[] = [];
    natsSide.on('buddy.match.created', async (event) => {
      natsEvents.push(event);
    });
    const { stream, publisher } = await dualPublisher(await listen(httpSide));
    consumers.push(
      await natsConsumer({ connection: nc, stream: stream.name, durable: 'nats-side', receiver: natsSide }),
    );

    const receipt = await publisher.publish('buddy.match.created', matchCreatedData());
    expect(httpEvents.map((e) => e.metadata.id)).toEqual([receipt.eventId]); // HTTP answered before publish resolved
    await waitFor(() => natsEvents.length === 1, 10_000, 'the event from NATS');
    expect(natsEvents.map((e) => e.metadata.id)).toEqual([receipt.eventId]);
    expect(await stream.messageCount()).toBe(1);
    await publisher.close();
  });

  it('lets one receiver consume both paths and handle each event once', async () => {
    const shared = createReceiver({ secret: SECRET, catalog: buddyCatalog });
    const handled: string[] = [];
    shared.on('buddy.match.created', async (event) => {
      handled.push(event.metadata.id);
    });
    const { stream, publisher } = await dualPublisher(await listen(shared));
    consumers.push(await natsConsumer({ connection: nc, stream: stream.name, durable: 'shared', receiver: shared }));

    const receipts = await Promise.all(
      Array.from({ length: 5 }, () => publisher.publish('buddy.match.created', matchCreatedData())),
    );
    const jsm = await jetstreamManager(nc);
    await waitFor(
      async () => (await jsm.consumers.info(stream.name, 'shared')).ack_floor.stream_seq === 5,
      10_000,
      'the NATS copies to be acknowledged',
    );
    await sleep(200);
    expect(handled.sort()).toEqual(receipts.map((r) => r.eventId).sort());
    expect(shared.health()).toMatchObject({ duplicates: 5 });
    await publisher.close();
  });
});
