import { Counter, Registry, register } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvelope, createPublisher } from '../../src/index.js';
import { DEFAULT_BUCKETS, METRIC_NAMES, prometheusMetrics } from '../../src/observability/prometheus.js';

async function values(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (metric === undefined) throw new Error(`${name} is not registered`);
  return metric;
}

describe('prometheusMetrics', () => {
  afterEach(() => register.clear());

  it('registers every metric of METRIC_NAMES with its type and labels', async () => {
    const registry = new Registry();
    prometheusMetrics({ registry });
    const byName = new Map(registry.getMetricsAsArray().map((m) => [m.name, m]));
    expect([...byName.keys()].sort()).toEqual(Object.values(METRIC_NAMES).sort());
    const types = Object.fromEntries((await registry.getMetricsAsJSON()).map((m) => [m.name, m.type]));
    expect(types).toMatchObject({
      buddy_webhook_publish_total: 'counter',
      buddy_webhook_publish_duration_ms: 'histogram',
      buddy_webhook_publish_errors_total: 'counter',
      buddy_webhook_retry_attempts_total: 'counter',
      buddy_webhook_pending_queue: 'gauge',
      buddy_webhook_outbox_depth: 'gauge',
      csr_webhook_received_total: 'counter',
      csr_webhook_processing_duration_ms: 'histogram',
      csr_webhook_errors_total: 'counter',
      csr_webhook_signature_validation_failures_total: 'counter',
      csr_event_processing_lag_ms: 'histogram',
    });
  });

  it('records the publisher side with the seed labels and buckets', async () => {
    const registry = new Registry();
    const metrics = prometheusMetrics({ registry });
    metrics.published({ eventType: 'buddy.match.created', status: 'delivered', durationMs: 42 });
    metrics.published({ eventType: 'buddy.match.created', status: 'delivered', durationMs: 700 });
    metrics.published({ eventType: 'buddy.match.ended', status: 'dead_lettered', durationMs: 20_000 });
    metrics.publishError({ errorType: 'http_503' });
    metrics.retry({ attempt: 2 });
    metrics.retry({ attempt: 2 });
    metrics.pendingQueue(7);

    const text = await registry.metrics();
    expect(text).toContain('buddy_webhook_publish_total{event_type="buddy.match.created",status="delivered"} 2');
    expect(text).toContain('buddy_webhook_publish_total{event_type="buddy.match.ended",status="dead_lettered"} 1');
    expect(text).toContain('buddy_webhook_publish_errors_total{error_type="http_503"} 1');
    expect(text).toContain('buddy_webhook_retry_attempts_total{attempt_number="2"} 2');
    expect(text).toContain('buddy_webhook_pending_queue 7');
    const les = (await values(registry, METRIC_NAMES.publishDuration)).values
      .filter((v) => (v as { metricName?: string }).metricName === 'buddy_webhook_publish_duration_ms_bucket')
      .map((v) => [v.labels.le, v.value]);
    expect(les).toEqual([
      [10, 0],
      [50, 1],
      [100, 1],
      [500, 1],
      [1000, 2],
      [5000, 2],
      [10000, 2],
      ['+Inf', 3],
    ]);
  });

  it('records the receiver side, clamping a negative lag to 0 and skipping an unknown one', async () => {
    const registry = new Registry();
    const metrics = prometheusMetrics({ registry });
    metrics.received({ eventType: 'buddy.checkin.completed', status: 202, durationMs: 3, lagMs: 1200 });
    metrics.received({ eventType: 'buddy.checkin.completed', status: 202, durationMs: 3, lagMs: -5000 });
    metrics.received({ eventType: '', status: 401, durationMs: 1 });
    metrics.receiveError({ errorType: 'invalid_signature' });
    metrics.signatureFailure();

    const text = await registry.metrics();
    expect(text).toContain('csr_webhook_received_total{event_type="buddy.checkin.completed",status="202"} 2');
    expect(text).toContain('csr_webhook_received_total{event_type="unknown",status="401"} 1');
    expect(text).toContain('csr_webhook_errors_total{error_type="invalid_signature"} 1');
    expect(text).toContain('csr_webhook_signature_validation_failures_total 1');
    expect(text).toContain('csr_webhook_processing_duration_ms_count 3');
    expect(text).toContain('csr_event_processing_lag_ms_count 2');
    expect(text).toContain('csr_event_processing_lag_ms_sum 1200');
    expect(text).toContain('csr_event_processing_lag_ms_bucket{le="10"} 1');
  });

  it('reuses the metrics when called twice on one registry', async () => {
    const registry = new Registry();
    const a = prometheusMetrics({ registry });
    const b = prometheusMetrics({ registry });
    a.signatureFailure();
    b.signatureFailure();
    expect(await registry.metrics()).toContain('csr_webhook_signature_validation_failures_total 2');
  });

  it('sums the pending queues of several sinks on one registry', async () => {
    const registry = new Registry();
    const http = prometheusMetrics({ registry });
    const nats = prometheusMetrics({ registry });
    http.pendingQueue(5);
    nats.pendingQueue(3);
    http.pendingQueue(2);
    expect(await registry.metrics()).toContain('buddy_webhook_pending_queue 5');
    nats.pendingQueue(0);
    expect(await registry.metrics()).toContain('buddy_webhook_pending_queue 2');
  });

  it('sums the outbox depths of several sinks, and a publisher reports its outbox through it', async () => {
    const registry = new Registry();
    const a = prometheusMetrics({ registry });
    const b = prometheusMetrics({ registry });
    a.outboxDepth(4);
    b.outboxDepth(6);
    expect(await registry.metrics()).toContain('buddy_webhook_outbox_depth 10');
    a.outboxDepth(Number.NaN);
    a.outboxDepth(0);
    expect(await registry.metrics()).toContain('buddy_webhook_outbox_depth 6');

    const own = new Registry();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const publisher = createPublisher({
      transport: {
        name: 'gated',
        async send() {
          await gate;
          return { ok: true };
        },
      },
      metrics: prometheusMetrics({ registry: own }),
    });
    await Promise.all([1, 2, 3].map(() => publisher.enqueue(createEnvelope('buddy.match.created', {}))));
    await vi.waitFor(async () => expect(await own.metrics()).toContain('buddy_webhook_outbox_depth 3'), {
      timeout: 3000,
    });
    release();
    await publisher.close();
    expect(await own.metrics()).toContain('buddy_webhook_outbox_depth 0');
  });

  it('uses the global register by default', async () => {
    prometheusMetrics().pendingQueue(3);
    expect(await register.metrics()).toContain('buddy_webhook_pending_queue 3');
  });

  it('refuses a registry holding an incompatible metric of the same name', () => {
    const registry = new Registry();
    new Counter({ name: METRIC_NAMES.publishTotal, help: 'x', labelNames: ['other'], registers: [registry] });
    expect(() => prometheusMetrics({ registry })).toThrow(/buddy_webhook_publish_total/);
  });

  it('caps distinct event_type values, counting the rest as other', async () => {
    const registry = new Registry();
    const metrics = prometheusMetrics({ registry, maxEventTypes: 2 });
    for (const eventType of ['a.b.c', 'a.b.d', 'a.b.e', 'a.b.c']) {
      metrics.received({ eventType, status: 202, durationMs: 1 });
    }
    const text = await registry.metrics();
    expect(text).toContain('csr_webhook_received_total{event_type="a.b.c",status="202"} 2');
    expect(text).toContain('csr_webhook_received_total{event_type="other",status="202"} 1');
    expect(text).not.toContain('a.b.e');
  });

  it('never throws on a non-finite value: counts the event, skips the observation', async () => {
    const registry = new Registry();
    const metrics = prometheusMetrics({ registry });
    expect(() => metrics.published({ eventType: 'a.b.c', status: 'delivered', durationMs: Number.NaN })).not.toThrow();
    expect(() =>
      metrics.received({ eventType: 'a.b.c', status: 202, durationMs: Number.POSITIVE_INFINITY }),
    ).not.toThrow();
    metrics.pendingQueue(4);
    expect(() => metrics.pendingQueue(Number.NaN)).not.toThrow();
    const text = await registry.metrics();
    expect(text).toContain('buddy_webhook_publish_total{event_type="a.b.c",status="delivered"} 1');
    expect(text).toContain('csr_webhook_received_total{event_type="a.b.c",status="202"} 1');
    expect(text).toContain('buddy_webhook_publish_duration_ms_count 0');
    expect(text).toContain('csr_webhook_processing_duration_ms_count 0');
    expect(text).toContain('buddy_webhook_pending_queue 4');
  });

  it('caps distinct error_type values at 50 per counter, counting the rest as other', async () => {
    const registry = new Registry();
    const metrics = prometheusMetrics({ registry });
    for (let i = 0; i < 60; i++) metrics.publishError({ errorType: `custom_${i}` });
    metrics.publishError({ errorType: 'custom_0' });
    metrics.receiveError({ errorType: 'invalid_signature' });
    const text = await registry.metrics();
    expect(text).toContain('buddy_webhook_publish_errors_total{error_type="custom_0"} 2');
    expect(text).toContain('buddy_webhook_publish_errors_total{error_type="custom_49"} 1');
    expect(text).not.toContain('custom_50');
    expect(text).toContain('buddy_webhook_publish_errors_total{error_type="other"} 10');
    // Each counter has its own cap: a noisy transport does not hide the receiver's codes.
    expect(text).toContain('csr_webhook_errors_total{error_type="invalid_signature"} 1');
  });

  it('takes custom buckets and rejects bad ones and a bad maxEventTypes', async () => {
    const registry = new Registry();
    prometheusMetrics({ registry, buckets: { processingLag: [...DEFAULT_BUCKETS.processingLag, 3_600_000] } });
    expect(await registry.metrics()).toContain('csr_event_processing_lag_ms_bucket{le="3600000"} 0');
    expect(() => prometheusMetrics({ registry: new Registry(), buckets: { publishDuration: [5, 1] } })).toThrow(
      /buckets\.publishDuration/,
    );
    expect(() => prometheusMetrics({ registry: new Registry(), maxEventTypes: 0 })).toThrow(/maxEventTypes/);
    expect(() => prometheusMetrics({ registry: {} as Registry })).toThrow(/registry must be a prom-client Registry/);
  });
});
