// Throughput of natsTransport against raw `js.publish` (msgID set) at 256 in flight, against the local NATS.
// Not a test (no assertions, timing varies with load): a bench script for the lead to move under bench/.
// Run: npx tsx test/nats/publish-throughput.ts   (N=20000, NO_ASYNC_TRACES=1 to connect with noAsyncTraces)
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { buddyCatalog, createEnvelope, createPublisher, serializeEvent } from '../../src/index.js';
import { ensureStream, natsTransport } from '../../src/transports/nats.js';
import { NATS_URL } from '../helpers/nats.js';
import { matchCreatedData, SECRET } from './support.js';

const N = Number(process.env.N ?? 20_000);
const WINDOW = 256;
const ROUNDS = 3;

const nc = await connect({
  servers: NATS_URL.replace(/^nats:\/\//, ''),
  noAsyncTraces: process.env.NO_ASYNC_TRACES === '1',
});
const name = `BENCH_${randomUUID().slice(0, 8).toUpperCase()}`;
const prefix = name.toLowerCase();
await ensureStream(nc, { name, subjects: [`${prefix}.>`] });
const subject = (e: { type: string }) => `${prefix}.${e.type}`;
const js = jetstream(nc);

async function inWindow(work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < N) await work(next++);
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  return N / ((performance.now() - started) / 1000);
}

const envelopes = () => Array.from({ length: N }, () => createEnvelope('buddy.match.created', matchCreatedData()));

async function raw(): Promise<number> {
  const list = envelopes();
  return inWindow((i) => {
    const e = list[i] ?? list[0];
    if (!e) throw new Error('no envelope');
    return js.publish(subject(e), serializeEvent(e), { msgID: e.metadata.id });
  });
}

async function publisher(): Promise<number> {
  const transport = natsTransport({ connection: nc, secret: SECRET, subject });
  const p = createPublisher({
    transport,
    catalog: buddyCatalog,
    concurrency: WINDOW,
    maxQueue: N + 1,
    circuitBreaker: false,
  });
  const data = Array.from({ length: N }, matchCreatedData);
  const started = performance.now();
  for (const d of data) void p.enqueue('buddy.match.created', d);
  await p.flush();
  const rate = N / ((performance.now() - started) / 1000);
  await p.close();
  return rate;
}

const results = { raw: [] as number[], publisher: [] as number[] };
await raw(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  results.raw.push(await raw());
  results.publisher.push(await publisher());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const r = median(results.raw);
const p = median(results.publisher);
console.log(
  `raw js.publish: ${Math.round(r)}/s; natsTransport via publisher: ${Math.round(p)}/s (${((p / r) * 100).toFixed(0)} %)`,
);
await (await jetstreamManager(nc)).streams.delete(name);
await nc.close();
