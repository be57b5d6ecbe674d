/**
 * A CSR receiver in Express (4 or 5), with Prometheus metrics on /metrics.
 * Run: `npm run example:express`, then `npm run example:publisher` in another terminal.
 *
 * Env: PORT (default 3000), WEBHOOK_SIGNATURE_SECRET (default a development secret),
 * WEBHOOK_SIGNATURE_VALIDATION_ENABLED (default true).
 *
 * @module
 */
import { buddyCatalog, createReceiver } from '@teei/event-relay';
import { expressReceiver } from '@teei/event-relay/express';
import { prometheusMetrics } from '@teei/event-relay/prometheus';
import express from 'express';
import { Registry } from 'prom-client';
import { exitOnHelp } from './exit-on-help.js';

exitOnHelp(`Usage: npm run example:express

A CSR receiver in Express (4 or 5) on 127.0.0.1, with Prometheus metrics on /metrics.
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

const app = express();
// The receiver reads the raw body itself: mount it before express.json(), or the signature cannot be checked.
app.use(expressReceiver(receiver));
app.use(express.json());
app.get('/metrics', async (_req, res) => {
  res.type(registry.contentType).send(await registry.metrics());
});

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${port}/webhooks/buddy-events (health /health/webhook, metrics /metrics)`);
});
process.once('SIGTERM', () => server.close());
process.once('SIGINT', () => server.close());
