/**
 * `prometheusMetrics()`: a {@link MetricsSink} that records into prom-client under the platform's metric names.
 *
 * @module
 */
import { Counter, Gauge, Histogram, type Registry, type RegistryContentType, register } from 'prom-client';
import type { MetricsSink } from '../metrics.js';
import { DEFAULT_BUCKETS, METRIC_NAMES } from './metric-names.js';
import { reuseMetric } from './reuse-metric.js';

/**
 * Histogram buckets in milliseconds; each field replaces the default of that histogram.
 *
 * @example
 * ```ts
 * const buckets: PrometheusBuckets = { processingDuration: [1, 2, 5, 10, 25, 50, 100] }
 * ```
 */
export interface PrometheusBuckets {
  /** @default [10, 50, 100, 500, 1000, 5000, 10000] */
  publishDuration?: readonly number[];
  /** @default [1, 5, 10, 50, 100, 500, 1000, 5000, 10000] */
  processingDuration?: readonly number[];
  /** @default [10, 50, 100, 500, 1000, 5000, 10000, 30000, 60000, 300000] */
  processingLag?: readonly number[];
}

/**
 * Options of {@link prometheusMetrics}.
 *
 * @example
 * ```ts
 * const options: PrometheusMetricsOptions = { registry: new Registry(), maxEventTypes: 20 }
 * ```
 */
export interface PrometheusMetricsOptions {
  /** Where the metrics are registered. @default prom-client's global `register` */
  registry?: Registry<RegistryContentType>;
  /** Histogram buckets. Ignored for a histogram the registry already holds. @default DEFAULT_BUCKETS */
  buckets?: PrometheusBuckets;
  /**
   * Distinct `event_type` label values kept; later ones are counted as `other`, so a sender inventing types cannot
   * grow the series without bound. @default 100
   */
  maxEventTypes?: number;
}

/**
 * The sink, with every method present, and the registry it writes to (serve `registry.metrics()` on `/metrics`).
 *
 * @example
 * ```ts
 * const metrics: PrometheusMetrics = prometheusMetrics()
 * res.end(await metrics.registry.metrics())
 * ```
 */
export interface PrometheusMetrics extends Required<MetricsSink> {
  readonly registry: Registry<RegistryContentType>;
}

const DEFAULT_OPTIONS = { maxEventTypes: 100 } as const;

// Each sink's last size, per gauge (pending queue, outbox depth): the gauge shows their sum, so two publishers in one
// process (each with its own sink on one registry) do not overwrite each other.
const sizesBySink = new WeakMap<object, Map<object, number>>();

/** Records one sink's size in a gauge that shows the sum over the sinks of its registry. */
function summedGauge(gauge: { set(value: number): void }, sinkKey: object): (size: number) => void {
  let sizes = sizesBySink.get(gauge);
  if (sizes === undefined) {
    sizes = new Map();
    sizesBySink.set(gauge, sizes);
  }
  const all = sizes;
  return (size) => {
    // A NaN would poison the sum of every sink on this registry until this one reported again.
    if (!Number.isFinite(size)) return;
    all.set(sinkKey, size);
    let total = 0;
    for (const value of all.values()) total += value;
    gauge.set(total);
  };
}

/** Distinct `error_type` values kept per counter and sink; far more than the SDK's own codes. */
const MAX_ERROR_TYPES = 50;

/** A label value mapper keeping at most `limit` distinct values; later ones become `other`, an empty one `unknown`. */
function cappedLabel(limit: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    const label = typeof value === 'string' && value !== '' ? value : 'unknown';
    if (seen.has(label)) return label;
    if (seen.size >= limit) return 'other';
    seen.add(label);
    return label;
  };
}

function checkBuckets(name: keyof PrometheusBuckets, buckets: readonly number[] | undefined): number[] {
  const value = buckets ?? DEFAULT_BUCKETS[name];
  const ascending = value.every((b, i) => Number.isFinite(b) && (i === 0 || b > (value[i - 1] as number)));
  if (value.length === 0 || !ascending) {
    throw new TypeError(`prometheusMetrics: buckets.${name} must be a non-empty list of ascending finite numbers`);
  }
  return [...value];
}

/**
 * Creates a metrics sink that records the publisher's and the receiver's activity in prom-client. Calling it again
 * with the same registry reuses the metrics already there, so a publisher and a receiver in one process can each
 * call it. Give each publisher its own sink: `buddy_webhook_pending_queue` and `buddy_webhook_outbox_depth` show the sum
 * of their queues and outboxes; publishers of one process that share one outbox (`postgresOutbox`) share one sink, so
 * its depth is counted once.
 *
 * Metrics: `buddy_webhook_publish_total{event_type,status}`, `buddy_webhook_publish_duration_ms`,
 * `buddy_webhook_publish_errors_total{error_type}`, `buddy_webhook_retry_attempts_total{attempt_number}`,
 * `buddy_webhook_pending_queue`, `buddy_webhook_outbox_depth`, `csr_webhook_received_total{event_type,status}`,
 * `csr_webhook_processing_duration_ms`, `csr_webhook_errors_total{error_type}`,
 * `csr_webhook_signature_validation_failures_total`, `csr_event_processing_lag_ms`.
 *
 * Never throws once created: a non-finite duration is counted but not observed, and `event_type` (`maxEventTypes`)
 * and `error_type` (50 per counter) keep a bounded number of values, the rest counted as `other`.
 *
 * @param options - registry, buckets, label cap.
 * @throws {TypeError} on a bad `registry`, `buckets` or `maxEventTypes`, or when the registry holds an
 *   incompatible metric of the same name.
 * @example
 * ```ts
 * import { Registry } from 'prom-client'
 * import { prometheusMetrics } from '@teei/event-relay/prometheus'
 *
 * const registry = new Registry()
 * const metrics = prometheusMetrics({ registry })
 * const publisher = createPublisher({ transport, metrics })
 * // GET /metrics → res.end(await registry.metrics())
 * ```
 */
export function prometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  const registry = options.registry ?? register;
  if (typeof registry?.getSingleMetric !== 'function' || typeof registry.registerMetric !== 'function') {
    throw new TypeError('prometheusMetrics: registry must be a prom-client Registry');
  }
  const maxEventTypes = options.maxEventTypes ?? DEFAULT_OPTIONS.maxEventTypes;
  if (!Number.isInteger(maxEventTypes) || maxEventTypes < 1) {
    throw new TypeError('prometheusMetrics: maxEventTypes must be a positive integer');
  }
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    reuseMetric(registry, name, 'inc', labelNames, () => new Counter({ name, help, labelNames, registers }));
  const histogram = (name: string, help: string, key: keyof PrometheusBuckets) => {
    const buckets = checkBuckets(key, options.buckets?.[key]);
    return reuseMetric(registry, name, 'observe', [], () => new Histogram({ name, help, buckets, registers }));
  };

  const publishTotal = counter(METRIC_NAMES.publishTotal, 'Deliveries ended, by event type and outcome.', [
    'event_type',
    'status',
  ]);
  const publishDuration = histogram(
    METRIC_NAMES.publishDuration,
    'Time from publish to the end of delivery, retries included (ms).',
    'publishDuration',
  );
  const publishErrors = counter(METRIC_NAMES.publishErrors, 'Failed delivery attempts, by error type.', ['error_type']);
  const retryAttempts = counter(METRIC_NAMES.retryAttempts, 'Retries scheduled, by number of the attempt to run.', [
    'attempt_number',
  ]);
  const pendingQueue = reuseMetric(registry, METRIC_NAMES.pendingQueue, 'set', [], () => {
    return new Gauge({ name: METRIC_NAMES.pendingQueue, help: 'Events queued or in flight.', registers });
  });
  const outboxDepth = reuseMetric(registry, METRIC_NAMES.outboxDepth, 'set', [], () => {
    const help = 'Events stored in the outbox, not yet delivered or dead-lettered.';
    return new Gauge({ name: METRIC_NAMES.outboxDepth, help, registers });
  });
  const receivedTotal = counter(METRIC_NAMES.receivedTotal, 'Webhooks answered, by event type and HTTP status.', [
    'event_type',
    'status',
  ]);
  const processingDuration = histogram(
    METRIC_NAMES.processingDuration,
    'Time to answer a webhook, handlers included (ms).',
    'processingDuration',
  );
  const receiveErrors = counter(METRIC_NAMES.receiveErrors, 'Webhooks refused or failed, by error type.', [
    'error_type',
  ]);
  const signatureFailures = counter(METRIC_NAMES.signatureFailures, 'Webhooks whose signature check failed.', []);
  const processingLag = histogram(
    METRIC_NAMES.processingLag,
    'Receipt time minus the event timestamp (ms); 0 when the sender clock is ahead.',
    'processingLag',
  );

  const sinkKey = {};
  const setPending = summedGauge(pendingQueue, sinkKey);
  const setOutboxDepth = summedGauge(outboxDepth, sinkKey);

  const eventTypeLabel = cappedLabel(maxEventTypes);
  // error_type comes from the transport's error codes, which a custom transport chooses: capped too.
  const publishErrorLabel = cappedLabel(MAX_ERROR_TYPES);
  const receiveErrorLabel = cappedLabel(MAX_ERROR_TYPES);

  // prom-client throws on a non-finite observation; a sink on the hot path must count the event and skip the value.
  const observeFinite = (histogram: { observe(value: number): void }, value: number): void => {
    if (Number.isFinite(value)) histogram.observe(value);
  };

  return Object.freeze({
    registry,
    published({ eventType, status, durationMs }) {
      publishTotal.inc({ event_type: eventTypeLabel(eventType), status });
      observeFinite(publishDuration, durationMs);
    },
    publishError({ errorType }) {
      publishErrors.inc({ error_type: publishErrorLabel(errorType) });
    },
    retry({ attempt }) {
      retryAttempts.inc({ attempt_number: String(attempt) });
    },
    pendingQueue: setPending,
    outboxDepth: setOutboxDepth,
    received({ eventType, status, durationMs, lagMs }) {
      receivedTotal.inc({ event_type: eventTypeLabel(eventType), status: String(status) });
      observeFinite(processingDuration, durationMs);
      // A sender clock ahead of ours gives a negative lag: recorded as 0 rather than dragging the sum below zero.
      if (lagMs !== undefined && Number.isFinite(lagMs)) processingLag.observe(Math.max(0, lagMs));
    },
    receiveError({ errorType }) {
      receiveErrors.inc({ error_type: receiveErrorLabel(errorType) });
    },
    signatureFailure() {
      signatureFailures.inc();
    },
  } satisfies PrometheusMetrics);
}
