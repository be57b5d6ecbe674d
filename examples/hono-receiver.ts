/**
 * A CSR receiver in Hono on Node (through @hono/node-server), with Prometheus metrics on /metrics. The same app
 * runs on Bun, Deno or Workers: pass `app` to the runtime instead of `serve()` (prom-client needs Node).
 * Run: `npm run example:hono`, then `npm run example:publisher` in another terminal.
 *
 * Env: PORT (default 3000), WEBHOOK_SIGNATURE_SECRET (default a development secret),
 * WEBHOOK_SIGNATURE_VALIDATION_ENABLED (default true).
 *
 * @module
 */
import { serve } from '@hono/node-server';
import { buddyCatalog, createReceiver } from '@teei/event-relay';
import { honoReceiver } from '@teei/event-relay/hono';
import { prometheusMetrics } from '@teei/event-relay/prometheus';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { exitOnHelp } from './exit-on-help.js';

exitOnHelp(`Usage: npm run example:hono

A CSR receiver in Hono (served by @hono/node-server) on 127.0.0.1, with Prometheus metrics on /metrics.
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

const app = new Hono();
app.route('/', honoReceiver(receiver));
app.get('/metrics', async (c) => c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }));

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  console.log(`listening on http://127.0.0.1:${port}/webhooks/buddy-events (health /health/webhook, metrics /metrics)`);
});
process.once('SIGTERM', () => server.close());
process.once('SIGINT', () => server.close());
