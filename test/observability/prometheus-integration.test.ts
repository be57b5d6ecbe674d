import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeReceiver } from '../../src/adapters/node.js';
import {
  buddyCatalog,
  createPublisher,
  createReceiver,
  httpTransport,
  isEventRelayError,
  PermanentEventError,
} from '../../src/index.js';
import { prometheusMetrics } from '../../src/observability/prometheus.js';
import { buddySample } from '../../src/testing/index.js';

const SECRET = 'integration-secret';
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** One series value from a scrape; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('prometheusMetrics wired to a publisher and a receiver over real HTTP', () => {
  it('exposes counters, histograms and the pending gauge with the right labels and values', async () => {
    const registry = new Registry();
    // Publisher and receiver each call prometheusMetrics on the same registry, as two modules of one app would.
    const receiver = createReceiver({
      secret: SECRET,
      catalog: buddyCatalog,
      metrics: prometheusMetrics({ registry }),
    });
    receiver.on('buddy.milestone.reached', async () => {
      throw new PermanentEventError('milestones are not handled here');
    });
    receiver.onAny(async () => {});
    const handle = nodeReceiver(receiver);
    const attemptsById = new Map<string, number>();
    server = createServer((req, res) => {
      if (req.url === '/metrics') {
        void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
        return;
      }
      // Of the first 10 delivery ids, every second one fails its first attempt with 503: 5 errors, 5 retries.
      const id = String(req.headers['x-webhook-id']);
      const attempt = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, attempt);
      const order = [...attemptsById.keys()].indexOf(id) + 1;
      if (attempt === 1 && order <= 10 && order % 2 === 0) {
        req.resume();
        res.writeHead(503).end();
        return;
      }
      handle(req, res);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const publisher = createPublisher({
      transport: httpTransport({ url: `${base}/webhooks/buddy-events`, secret: SECRET }),
      catalog: buddyCatalog,
      retry: { retries: 2, initialDelayMs: 1, jitter: false },
      metrics: prometheusMetrics({ registry }),
    });
    for (let i = 0; i < 10; i++) await publisher.enqueue('buddy.match.created', buddySample('buddy.match.created'));
    // Queued or in flight right after enqueue: the gauge is set synchronously.
    expect(sample(await registry.metrics(), 'buddy_webhook_pending_queue')).toBe(10);
    await publisher.flush();
    const refused = await publisher
      .publish('buddy.milestone.reached', buddySample('buddy.milestone.reached'))
      .catch((error: unknown) => error);
    expect(isEventRelayError(refused, 'DeliveryError')).toBe(true);
    const forged = await fetch(`${base}/webhooks/buddy-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-id': 'forged', 'x-webhook-signature': 'sha256=00' },
      body: '{}',
    });
    expect(forged.status).toBe(401);
    await publisher.close();

    const text = await (await fetch(`${base}/metrics`)).text();
    const failedFirst = 5;
    expect([...attemptsById.values()].filter((attempts) => attempts === 2)).toHaveLength(failedFirst);
    expect(sample(text, 'buddy_webhook_publish_total{event_type="buddy.match.created",status="delivered"}')).toBe(10);
    expect(
      sample(text, 'buddy_webhook_publish_total{event_type="buddy.milestone.reached",status="dead_lettered"}'),
    ).toBe(1);
    expect(sample(text, 'buddy_webhook_publish_errors_total{error_type="http_503"}')).toBe(failedFirst);
    expect(sample(text, 'buddy_webhook_publish_errors_total{error_type="http_422"}')).toBe(1);
    expect(sample(text, 'buddy_webhook_retry_attempts_total{attempt_number="2"}')).toBe(failedFirst);
    expect(sample(text, 'buddy_webhook_pending_queue')).toBe(0);
    expect(sample(text, 'buddy_webhook_publish_duration_ms_count')).toBe(11);
    expect(sample(text, 'buddy_webhook_publish_duration_ms_bucket{le="+Inf"}')).toBe(11);
    for (const le of ['10', '50', '100', '500', '1000', '5000', '10000']) {
      expect(sample(text, `buddy_webhook_publish_duration_ms_bucket{le="${le}"}`), le).toBeDefined();
    }

    expect(sample(text, 'csr_webhook_received_total{event_type="buddy.match.created",status="202"}')).toBe(10);
    expect(sample(text, 'csr_webhook_received_total{event_type="buddy.milestone.reached",status="422"}')).toBe(1);
    expect(text).toMatch(/csr_webhook_received_total\{event_type="[^"]+",status="401"\} 1/);
    expect(sample(text, 'csr_webhook_errors_total{error_type="permanent_event"}')).toBe(1);
    expect(sample(text, 'csr_webhook_signature_validation_failures_total')).toBe(1);
    expect(sample(text, 'csr_webhook_processing_duration_ms_count')).toBe(12);
    // Lag is known for every event whose envelope was read: the 10 accepted and the refused milestone.
    expect(sample(text, 'csr_event_processing_lag_ms_count')).toBe(11);
    expect(sample(text, 'csr_event_processing_lag_ms_bucket{le="300000"}')).toBe(11);
  });
});
