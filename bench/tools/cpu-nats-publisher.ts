/**
 * `npx tsx bench/tools/cpu-nats-publisher.ts [count] [rounds]`: the client-side CPU per message of the publishing
 * rows of `profile-nats-publisher.ts` (raw `js.publish`, `natsTransport().send()`, the publisher without and with a
 * catalog), against an in-process stand-in for the server that answers every publish with a PubAck on the next
 * tick. No server and no network: on a busy shared machine this isolates what the client code costs. Prints the
 * median µs of CPU per message of each row and its ratio to raw. `ROWS=raw,send` runs only those rows (to profile
 * one with `node --cpu-prof --import tsx`).
 *
 * @module
 */
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { AttemptContext } from '../../src/delivery/attempt-context.js';
import { buddyCheckinData } from '../lib/payloads.js';
import { lanes, rawPublish } from '../lib/raw-nats-publish.js';
import { buddyCatalog, createEnvelope, createPublisher, natsTransport } from '../lib/sdk.js';

const count = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 7);
const WINDOW = 256;
const TYPE = 'buddy.checkin.completed';
const data = buddyCheckinData(1024);
const secret = 'cpu-nats-secret-0123456789';
const key = Buffer.from(secret);
const subject = `cpu.${TYPE}`;

// What nats.js' request() resolves with, enough for js.publish: a PubAck as JSON bytes.
let seq = 0;
const encoder = new TextEncoder();
const stand_in = {
  options: { inboxPrefix: '_INBOX' },
  // Encodes a string payload as nats.js does before writing it, so raw pays what it pays on a real connection.
  request: (_subject: string, payload: string | Uint8Array) =>
    new Promise((resolve) =>
      setImmediate(() => {
        if (typeof payload === 'string') encoder.encode(payload);
        resolve({ data: encoder.encode(`{"stream":"CPU","seq":${++seq}}`), headers: undefined });
      }),
    ),
  isClosed: () => false,
  closed: () => new Promise(() => {}),
  status: async function* () {},
} as unknown as NatsConnection;
const js = jetstream(stand_in);
const transport = natsTransport({ connection: stand_in, subject, secret });
const withCatalog = createPublisher({ transport, catalog: buddyCatalog, concurrency: WINDOW, maxQueue: count + 1 });
const bare = createPublisher({ transport, concurrency: WINDOW, maxQueue: count + 1 });

const rows: Record<string, () => Promise<void>> = {
  raw: () => rawPublish(count, { js, subject, type: TYPE, data, key, window: WINDOW }),
  send: () =>
    lanes(count, WINDOW, () => {
      const envelope = createEnvelope(TYPE, data);
      return transport.send({ envelope, deliveryId: envelope.metadata.id }, new AttemptContext(1));
    }),
  bare: async () => {
    for (let i = 0; i < count; i++) await bare.enqueue(TYPE, data);
    await bare.flush();
  },
  sdk: async () => {
    for (let i = 0; i < count; i++) await withCatalog.enqueue(TYPE, data);
    await withCatalog.flush();
  },
};

const cpu = new Map<string, number[]>();
for (let round = -1; round < rounds; round++) {
  for (const [name, row] of Object.entries(rows).filter(([n]) =>
    (process.env.ROWS ?? 'raw,send,bare,sdk').split(',').includes(n),
  )) {
    const before = process.cpuUsage();
    await row();
    const used = process.cpuUsage(before);
    if (round >= 0) cpu.set(name, [...(cpu.get(name) ?? []), (used.user + used.system) / count]);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const raw = median(cpu.get('raw') ?? []);
for (const [name, values] of cpu) {
  const m = median(values);
  console.log(`${name.padEnd(5)} ${m.toFixed(1).padStart(6)} µs CPU/msg  raw/row ${((raw / m) * 100).toFixed(0)} %`);
}
await withCatalog.close();
await bare.close();
