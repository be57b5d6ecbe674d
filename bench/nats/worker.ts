/**
 * Child process: the NATS JetStream rows, against the servers it is given (the parent's 3-node cluster). Publishing at a window of 256: raw `js.publish` with `msgID` against
 * `natsTransport` through the publisher; consuming with ack: a raw pull consumer against `natsConsumer`.
 *
 * @module
 */
import { createHmac, randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { serveParent } from '../lib/child.js';
import { buddyCheckinData } from '../lib/payloads.js';
import { rawPublish } from '../lib/raw-nats-publish.js';
import {
  buddyCatalog,
  createPublisher,
  createReceiver,
  ensureStream,
  natsConsumer,
  natsTransport,
} from '../lib/sdk.js';

const SECRET = 'bench-nats-secret-0123456789abcdef';
const KEY = Buffer.from(SECRET);
const TYPE = 'buddy.checkin.completed';
const DATA = buddyCheckinData(1024);
const WINDOW = 256;

let nc: NatsConnection | undefined;
const tag = randomUUID().slice(0, 8);
const STREAM = `BENCH_${tag}`;
const SUBJECT = `bench${tag}.${TYPE}`;

async function setup(servers: string[], replicas: number): Promise<{ stream: string }> {
  nc = await connect({ servers, timeout: 2000, maxReconnectAttempts: -1 });
  await ensureStream(nc, { name: STREAM, subjects: [`bench${tag}.>`], replicas });
  return { stream: STREAM };
}

async function teardown(): Promise<void> {
  if (!nc) return;
  await (await jetstreamManager(nc)).streams.delete(STREAM).catch(() => false);
  await nc.drain();
}

async function rawPublishRate(count: number): Promise<number> {
  const t0 = performance.now();
  await rawPublish(count, { js: jetstream(nc!), subject: SUBJECT, type: TYPE, data: DATA, key: KEY, window: WINDOW });
  return (count * 1000) / (performance.now() - t0);
}

const publisher = () =>
  createPublisher({
    transport: natsTransport({ connection: nc!, subject: SUBJECT, secret: SECRET }),
    catalog: buddyCatalog,
    concurrency: WINDOW,
    maxQueue: 1_000_000,
  });
let sdkPublisher: ReturnType<typeof publisher> | undefined;

async function transportPublish(count: number): Promise<number> {
  sdkPublisher ??= publisher();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) void sdkPublisher.enqueue(TYPE, DATA);
  await sdkPublisher.flush();
  return (count * 1000) / (performance.now() - t0);
}

async function rawConsume(count: number, durable: string): Promise<number> {
  const t0 = performance.now();
  const jsm = await jetstreamManager(nc!);
  await jsm.consumers.add(STREAM, { durable_name: durable, ack_policy: 'explicit', filter_subject: SUBJECT });
  const consumer = await jetstream(nc!).consumers.get(STREAM, durable);
  const messages = await consumer.consume({ max_messages: 2 * WINDOW });
  let seen = 0;
  for await (const m of messages) {
    const id = m.headers?.get('x-webhook-id', 'insensitive') ?? '';
    const ts = m.headers?.get('x-webhook-timestamp', 'insensitive') ?? '';
    const sig = Buffer.from((m.headers?.get('x-webhook-signature', 'insensitive') ?? '').slice(7), 'hex');
    const expected = createHmac('sha256', KEY).update(`${id}.${ts}.`).update(m.data).digest();
    if (sig.length !== expected.length || !expected.equals(sig)) throw new Error('raw consumer: bad signature');
    JSON.parse(m.string());
    m.ack();
    if (++seen >= count) break;
  }
  const rate = (count * 1000) / (performance.now() - t0);
  await messages.close();
  await jsm.consumers.delete(STREAM, durable);
  return rate;
}

async function sdkConsume(count: number, durable: string): Promise<number> {
  const receiver = createReceiver({ secret: SECRET, catalog: buddyCatalog });
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  receiver.on(TYPE, async () => {
    if (++seen === count) done();
  });
  const t0 = performance.now();
  const consumer = await natsConsumer({
    connection: nc!,
    stream: STREAM,
    durable,
    receiver,
    filterSubject: SUBJECT,
    concurrency: WINDOW,
  });
  await finished;
  const rate = (count * 1000) / (performance.now() - t0);
  await consumer.stop();
  await (await jetstreamManager(nc!)).consumers.delete(STREAM, durable);
  return rate;
}

type Msg =
  | { op: 'setup'; servers: string[]; replicas: number }
  | { op: 'teardown' }
  | { op: 'publish'; row: 'raw' | 'sdk'; count: number }
  | { op: 'consume'; row: 'raw' | 'sdk'; count: number; durable: string }
  | { op: 'stored' };

serveParent(async (raw) => {
  const m = raw as Msg;
  if (m.op === 'setup') return setup(m.servers, m.replicas);
  if (m.op === 'teardown') return teardown();
  if (m.op === 'stored') return (await (await jetstreamManager(nc!)).streams.info(STREAM)).state.messages;
  if (m.op === 'publish') {
    const before = process.cpuUsage();
    const rate = await (m.row === 'raw' ? rawPublishRate(m.count) : transportPublish(m.count));
    const cpu = process.cpuUsage(before);
    return { rate, cpuMicros: (cpu.user + cpu.system) / m.count };
  }
  return m.row === 'raw' ? rawConsume(m.count, m.durable) : sdkConsume(m.count, m.durable);
});
