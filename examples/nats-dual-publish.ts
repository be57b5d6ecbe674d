/**
 * The NATS migration in one process: an HTTP receiver and a JetStream consumer feed ONE receiver, the publisher
 * dual-publishes, and every event is handled once (the second copy is a duplicate by delivery id). Needs NATS with
 * JetStream (NATS_URL, default 127.0.0.1:4222): `npx tsx examples/nats-dual-publish.ts`.
 * EVENT_TRANSPORT=dual (default) | http | nats is the one setting that cuts over or rolls back.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { buddyCatalog, createPublisher, createReceiver, fanoutTransport, httpTransport } from '@teei/event-relay';
import { ensureStream, natsConsumer, natsTransport } from '@teei/event-relay/nats';
import { nodeReceiver } from '@teei/event-relay/node';
import { exitOnHelp } from './exit-on-help.js';

const USAGE = `Usage: npm run example:nats

Publishes three buddy.match.created events over HTTP and/or NATS JetStream into one receiver and prints what arrived.

environment:
  EVENT_TRANSPORT     dual (default) | http | nats: where the publisher sends
  NATS_URL            NATS with JetStream (default 127.0.0.1:4222)
  CSR_WEBHOOK_SECRET  signing secret (default a development secret)`;
const MODES = ['dual', 'http', 'nats'] as const;

exitOnHelp(USAGE);
const mode = process.env.EVENT_TRANSPORT ?? 'dual';
if (!(MODES as readonly string[]).includes(mode)) {
  console.error(`EVENT_TRANSPORT must be one of ${MODES.join(', ')}; got "${mode}" (see --help)`);
  process.exit(2);
}
const secret = process.env.CSR_WEBHOOK_SECRET ?? 'dev-only-secret-change-me-in-production';
const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
// Reconnecting options: the client keeps trying through an outage (every 500 ms) instead of closing for good.
const dial = () => connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 3000 });
let nc: NatsConnection;
try {
  nc = await dial();
} catch (error) {
  console.error(
    `cannot reach NATS at ${servers}: ${(error as Error).message} (start nats-server -js, or set NATS_URL)`,
  );
  process.exit(1);
}
// Step 1, JetStream deployed: production calls ensureStream(nc) (BUDDY_EVENTS on buddy.>); the example keeps apart.
const stream = `EXAMPLE_${randomUUID().slice(0, 8).toUpperCase()}`;
const subject = (e: { type: string }) => `${stream.toLowerCase()}.${e.type}`;
await ensureStream(nc, { name: stream, subjects: [`${stream.toLowerCase()}.>`] });

// Step 3, consume both: the CSR platform's receiver behind HTTP and behind NATS; it dedupes by delivery id.
const receiver = createReceiver({ secret, catalog: buddyCatalog });
receiver.on('buddy.match.created', async (event, ctx) => {
  // natsConsumer hands the message's headers as a record: JetStream's id header marks the NATS path.
  const via = 'Nats-Msg-Id' in ctx.headers ? 'nats' : 'http';
  console.log(`handled ${event.type} ${event.data.matchId} via ${via}`);
});
const server = createServer(nodeReceiver(receiver)).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/buddy-events`;
const consumer = await natsConsumer({ connection: nc, stream, durable: 'csr-platform', receiver });

// Step 2, dual-publish; step 4 cuts over (EVENT_TRANSPORT=nats); rollback is EVENT_TRANSPORT=http.
const http = httpTransport({ url, secret });
const nats = natsTransport({ connection: nc, connect: dial, secret, subject });
const transport = mode === 'http' ? http : mode === 'nats' ? nats : fanoutTransport([http, nats], { mode: 'all' });
const publisher = createPublisher({ transport, catalog: buddyCatalog });
for (let i = 0; i < 3; i++) {
  const now = new Date().toISOString();
  const data = { matchId: randomUUID(), participantId: randomUUID(), buddyId: randomUUID(), matchedAt: now };
  await publisher.publish('buddy.match.created', data);
}

const copies = mode === 'dual' ? 6 : 3; // both paths deliver every event in dual mode
const settled = () => receiver.health().accepted + receiver.health().duplicates >= copies;
for (const end = Date.now() + 10_000; !settled() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
const { accepted, duplicates } = receiver.health();
console.log(`${mode}: ${accepted} events handled once each, ${duplicates} duplicate copies acknowledged`);

await consumer.stop();
await publisher.close();
await (await jetstreamManager(nc)).streams.delete(stream);
await nc.drain();
server.close();
process.exitCode = accepted === 3 ? 0 : 1;
