/**
 * The platform's metric names (the seed's), their labels and histogram buckets: one table shared by the
 * Prometheus sink, the alert rules and the dashboard in `ops/`.
 *
 * @module
 */

/**
 * Every metric `prometheusMetrics()` registers, by role.
 *
 * @example
 * ```ts
 * const text = await registry.getSingleMetricAsString(METRIC_NAMES.publishTotal)
 * ```
 */
export const METRIC_NAMES = Object.freeze({
  publishTotal: 'buddy_webhook_publish_total',
  publishDuration: 'buddy_webhook_publish_duration_ms',
  publishErrors: 'buddy_webhook_publish_errors_total',
  retryAttempts: 'buddy_webhook_retry_attempts_total',
  pendingQueue: 'buddy_webhook_pending_queue',
  outboxDepth: 'buddy_webhook_outbox_depth',
  receivedTotal: 'csr_webhook_received_total',
  processingDuration: 'csr_webhook_processing_duration_ms',
  receiveErrors: 'csr_webhook_errors_total',
  signatureFailures: 'csr_webhook_signature_validation_failures_total',
  processingLag: 'csr_event_processing_lag_ms',
} as const);

/**
 * One of the names in {@link METRIC_NAMES}.
 *
 * @example
 * ```ts
 * const name: MetricName = 'csr_event_processing_lag_ms'
 * ```
 */
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/**
 * Histogram buckets, in milliseconds.
 * - publish duration: the seed's buckets, whole deliveries including retries.
 * - processing duration: the seed's buckets plus 1 and 5 ms, because a receiver that only enqueues answers in
 *   single milliseconds and would otherwise sit entirely in the first bucket.
 * - processing lag: up to 5 minutes, because retries (about 31 s in all by default) and redrives arrive late, and the
 *   lag alert fires at 5 s.
 *
 * @example
 * ```ts
 * prometheusMetrics({ buckets: { processingLag: [...DEFAULT_BUCKETS.processingLag, 3_600_000] } })
 * ```
 */
export const DEFAULT_BUCKETS = Object.freeze({
  publishDuration: Object.freeze([10, 50, 100, 500, 1000, 5000, 10000]),
  processingDuration: Object.freeze([1, 5, 10, 50, 100, 500, 1000, 5000, 10000]),
  processingLag: Object.freeze([10, 50, 100, 500, 1000, 5000, 10000, 30000, 60000, 300000]),
} as const);
