// A real 3-node JetStream cluster (test/nats/nats-cluster.ts): an R3 stream keeps every event through the SIGKILL of
// its leader. 2,000 events go through the publisher while a consumer handles them; midway the stream leader is
// killed and restarted a few seconds later; every event is handled exactly once and none is dead-lettered.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buddyCatalog,
  createPublisher,
  createReceiver,
  type DeliveryReceipt,
  memoryDeadLetterQueue,
} from '../../src/index.js';
import { ensureStream, natsConsumer, natsTransport } from '../../src/transports/nats.js';
import { natsAvailable } from '../helpers/nats.js';
import { type NatsCluster, startNatsCluster } from './nats-cluster.js';
import { matchCreatedData, SECRET, sleep, waitFor } from './support.js';

const EVENTS = 2000;

describe.skipIf(!natsAvailable())('a 3-node JetStream cluster', () => {
  let cluster: NatsCluster | undefined;
  const connections: NatsConnection[] = [];
  const dial = async (): Promise<NatsConnection> => {
    if (!cluster) throw new Error('no cluster');
    // The options the docs give: keep reconnecting, to any node of the cluster.
    const nc = await connect({ servers: cluster.servers, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    cluster = await startNatsCluster();
  }, 60_000);
  afterAll(async () => {
    for (const nc of connections) await nc.close().catch(() => undefined);
    await cluster?.dispose();
  });

  it('ensureStream({ replicas: 3 }) makes an R3 stream; a later call without replicas keeps it', async () => {
    const nc = await dial();
    const info = await ensureStream(nc, { name: 'R3_CHECK', subjects: ['r3check.>'], replicas: 3 });
    expect(info.config.num_replicas).toBe(3);
    expect(info.cluster?.replicas).toHaveLength(2);
    const again = await ensureStream(nc, { name: 'R3_CHECK', subjects: ['r3check.>'] });
    expect(again.config.num_replicas).toBe(3);
    await (await jetstreamManager(nc)).streams.delete('R3_CHECK');
  });

  it(`${EVENTS} events, stream leader SIGKILLed midway and restarted: each handled exactly once, none dead-lettered`, async () => {
    if (!cluster) throw new Error('no cluster');
    const nc = await dial();
    await ensureStream(nc, { replicas: 3 });
    const jsm = await jetstreamManager(nc);

    const receiver = createReceiver({ secret: SECRET, catalog: buddyCatalog });
    const handled = new Map<string, number>();
    receiver.on('buddy.match.created', async (event) => {
      handled.set(event.metadata.id, (handled.get(event.metadata.id) ?? 0) + 1);
    });
    const consumerDeadLetter = memoryDeadLetterQueue();
    const consumer = await natsConsumer({
      connection: await dial(),
      stream: 'BUDDY_EVENTS',
      durable: 'csr-platform',
      receiver,
      ackWaitMs: 5000,
      deadLetter: consumerDeadLetter,
    });
    // The sizing docs/nats.md gives for a cluster: an attempt outlasts a stream leader election (4 to 9 s on
    // nats-server 2.9), so a failover costs a pause, not failures that open the breaker.
    const publisher = createPublisher({
      transport: natsTransport({ connection: nc, secret: SECRET, timeoutMs: 15_000 }),
      catalog: buddyCatalog,
      concurrency: 32,
      retry: { timeoutMs: 15_000 },
    });
    const breakerStates: string[] = [];
    const watchBreaker = setInterval(() => {
      if (breakerStates.at(-1) !== publisher.circuitState) breakerStates.push(publisher.circuitState);
    }, 20);

    const receipts: Promise<DeliveryReceipt>[] = [];
    let killed: string | undefined;
    let restarted: Promise<void> | undefined;
    for (let i = 0; i < EVENTS; i++) {
      receipts.push(publisher.publish('buddy.match.created', matchCreatedData()));
      if (i % 20 === 19) await sleep(20); // about 600 events/s: the kill lands while events flow both ways
      if (i === EVENTS / 2) {
        const leader = (await jsm.streams.info('BUDDY_EVENTS')).cluster?.leader;
        if (!leader) throw new Error('the stream has no leader');
        killed = leader;
        await cluster.kill(leader);
        const node = leader;
        restarted = sleep(3000).then(() => cluster?.restart(node));
      }
    }
    const killedAt = Date.now();
    const settled = await Promise.allSettled(receipts);
    const pauseMs = Date.now() - killedAt;
    clearInterval(watchBreaker);
    await restarted;
    const rejected = settled.filter((s) => s.status === 'rejected');
    expect(rejected.map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    await waitFor(() => handled.size >= EVENTS, 60_000, `${EVENTS} events to be handled`);
    await sleep(1000); // a late duplicate handling would show by now

    const ids = settled.map((s) => (s as PromiseFulfilledResult<DeliveryReceipt>).value.eventId);
    expect(new Set(ids).size).toBe(EVENTS);
    expect([...handled.keys()].sort()).toEqual([...ids].sort());
    expect([...handled.values()].every((count) => count === 1)).toBe(true);
    expect(await publisher.deadLetter.list()).toEqual([]);
    expect(await consumerDeadLetter.list()).toEqual([]);
    expect((await jsm.streams.info('BUDDY_EVENTS')).state.messages).toBe(EVENTS);
    expect(killed).toBeDefined();
    expect(breakerStates).toEqual(['closed']); // the failover never opened the publisher's breaker
    console.info(`cluster failover: stream leader ${killed} killed; every publish settled ${pauseMs} ms later`);

    await consumer.stop();
    await publisher.close();
  }, 180_000);
});
