/**
 * `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/tools/profile-nats-publisher.ts [count] [raw|send|sdk]...`:
 * publishing rows to NATS JetStream at 256 in flight, alone in this process, for a clean profile: `raw` is
 * `js.publish` with hand-signed headers, `send` calls `natsTransport().send()` directly (the transport without the
 * publisher), `sdk` is `publisher.enqueue` over `natsTransport`, `bare` the same without a catalog. Prints msgs/s and client CPU µs per message per
 * round; read the profile with `bench/tools/profile-top.ts`. NATS_URL (default 127.0.0.1:4222), NO_ASYNC_TRACES=1.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { AttemptContext } from '../../src/delivery/attempt-context.js';
import { buddyCheckinData } from '../lib/payloads.js';
import { lanes, rawPublish } from '../lib/raw-nats-publish.js';
import { buddyCatalog, createEnvelope, createPublisher, ensureStream, natsTransport } from '../lib/sdk.js';

const count = Number(process.argv[2] ?? 10_000);
const modes = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ['raw', 'send', 'sdk'];
const WINDOW = 256;
const TYPE = 'buddy.checkin.completed';
const data = buddyCheckinData(1024);
const secret = 'profile-nats-secret-0123456789';
const key = Buffer.from(secret);
const tag = randomUUID().slice(0, 8);
const stream = `PROFILE_${tag}`;
const subject = `profile${tag}.${TYPE}`;

const nc = await connect({
  servers: (process.env.NATS_URL ?? '127.0.0.1:4222').replace(/^nats:\/\//, ''),
  noAsyncTraces: process.env.NO_ASYNC_TRACES === '1',
});
await ensureStream(nc, { name: stream, subjects: [`profile${tag}.>`] });
const js = jetstream(nc);
const transport = natsTransport({ connection: nc, subject, secret });
const publisher = createPublisher({ transport, catalog: buddyCatalog, concurrency: WINDOW, maxQueue: count + 1 });
const bare = createPublisher({ transport, concurrency: WINDOW, maxQueue: count + 1 });

const rows: Record<string, () => Promise<void>> = {
  raw: () => rawPublish(count, { js, subject, type: TYPE, data, key, window: WINDOW }),
  send: () =>
    lanes(count, WINDOW, () => {
      const envelope = createEnvelope(TYPE, data);
      // The publisher's own attempt context: no AbortController per message, as in the sdk row.
      return transport.send({ envelope, deliveryId: envelope.metadata.id }, new AttemptContext(1));
    }),
  sdk: async () => {
    for (let i = 0; i < count; i++) await publisher.enqueue(TYPE, data);
    await publisher.flush();
  },
  // The publisher without a catalog: what schema validation costs.
  bare: async () => {
    for (let i = 0; i < count; i++) await bare.enqueue(TYPE, data);
    await bare.flush();
  },
};

try {
  for (let round = 0; round < 3; round++) {
    for (const mode of modes) {
      const row = rows[mode];
      if (!row) throw new TypeError(`unknown row ${mode}: raw, send, sdk or bare`);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await row();
      const cpu = process.cpuUsage(cpu0);
      const rate = (count * 1000) / (performance.now() - t0);
      console.log(
        `${mode} round ${round}: ${rate.toFixed(0)} msgs/s, ${((cpu.user + cpu.system) / count).toFixed(1)} µs CPU/msg`,
      );
    }
  }
} finally {
  await publisher.close();
  await bare.close();
  await (await jetstreamManager(nc)).streams.delete(stream);
  await nc.drain();
}
