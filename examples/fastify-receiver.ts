/**
 * A CSR receiver in Fastify (4 or 5), with Prometheus metrics on /metrics.
 * Run: `npm run example:fastify`, then `npm run example:publisher` in another terminal.
 *
 * Env: PORT (default 3000), WEBHOOK_SIGNATURE_SECRET (default a development secret),
 * WEBHOOK_SIGNATURE_VALIDATION_ENABLED (default true).
 *
 * @module
 */
import { buddyCatalog, createReceiver } from '@teei/event-relay';
import { fastifyReceiver } from '@teei/event-relay/fastify';
import { prometheusMetrics } from '@teei/event-relay/prometheus';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { exitOnHelp } from './exit-on-help.js';

exitOnHelp(`Usage: npm run example:fastify

A CSR receiver in Fastify on 127.0.0.1, with Prometheus metrics on /metrics.
Start it, then run "npm run example:publisher" in another terminal.

Env:
  PORT                                  port to listen on (default 3000)
  WEBHOOK_SIGNATURE_SECRET              the shared secret (default the examples' development secret)
  WEBHOOK_SIGNATURE_VALIDATION_ENABLED  false to accept unsigned events (default true)`);

const port = Number(process.env.PORT ?? 3000);
const registry = new Registry();
const receiver = createReceiver({
  secret: process.env.WEBHOOK_SIGNATURE_SECRET ?? 'dev-only-secret-change-me-in-production',
  signature: process.env.WEBHOOK_SIGNATURE_VALIDATION_ENABLED === 'false' ? 'disabled' : 'required',
  catalog: buddyCatalog,
  metrics: prometheusMetrics({ registry }),
});

receiver.on('buddy.match.created', async (event, ctx) => {
  console.log(
    `received buddy.match.created ${event.metadata.id}: buddy ${event.data.buddyId} (delivery ${ctx.deliveryId})`,
  );
});
receiver.onAny(async (event) => {
  if (event.type !== 'buddy.match.created') console.log(`received ${event.type} ${event.metadata.id}`);
});

const app = Fastify();
// The plugin parses its own route's body raw, inside its scope; the rest of the app keeps Fastify's JSON parser.
await app.register(fastifyReceiver, { receiver });
app.get('/metrics', async (_request, reply) => {
  reply.type(registry.contentType);
  return registry.metrics();
});

await app.listen({ port, host: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${port}/webhooks/buddy-events (health /health/webhook, metrics /metrics)`);
process.once('SIGTERM', () => void app.close());
process.once('SIGINT', () => void app.close());
