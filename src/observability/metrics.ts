/**
 * The metrics sink: a small interface the publisher and receiver call on their hot paths. Every method is optional,
 * so a sink implements only what it records. `prometheusMetrics()` from `@teei/event-relay/prometheus` implements
 * all of them with the platform's metric names.
 *
 * @module
 */

/** Outcome of one `publish` or background delivery. */
export type PublishStatus = 'delivered' | 'dead_lettered' | 'failed';

/**
 * Where the publisher and receiver report what they did.
 *
 * @example
 * ```ts
 * const counts = new Map<string, number>()
 * const metrics: MetricsSink = { published: ({ eventType }) => counts.set(eventType, (counts.get(eventType) ?? 0) + 1) }
 * ```
 */
export interface MetricsSink {
  /** A delivery ended (`buddy_webhook_publish_total`, `buddy_webhook_publish_duration_ms`). */
  published?(event: { eventType: string; status: PublishStatus; durationMs: number }): void;
  /** An attempt failed (`buddy_webhook_publish_errors_total{error_type}`), e.g. `timeout`, `http_503`, `network`. */
  publishError?(event: { errorType: string }): void;
  /** A retry is scheduled; `attempt` is the number of the attempt about to run (2 for the first retry). */
  retry?(event: { attempt: number }): void;
  /** Events queued or in flight in the publisher (`buddy_webhook_pending_queue`). */
  pendingQueue?(size: number): void;
  /**
   * Events stored in the publisher's outbox and not yet delivered or dead-lettered, reported once a second
   * (`buddy_webhook_outbox_depth`). With a shared outbox, every publisher on it reports the same depth.
   */
  outboxDepth?(size: number): void;
  /**
   * A request or message was answered (`csr_webhook_received_total`, `csr_webhook_processing_duration_ms`,
   * `csr_event_processing_lag_ms` when `lagMs` is known).
   */
  received?(event: { eventType: string; status: number; durationMs: number; lagMs?: number }): void;
  /** The receiver refused or failed an event (`csr_webhook_errors_total{error_type}`), e.g. `invalid_data`. */
  receiveError?(event: { errorType: string }): void;
  /** A signature check failed (`csr_webhook_signature_validation_failures_total`). */
  signatureFailure?(): void;
}

/**
 * The default sink: records nothing.
 *
 * @example
 * ```ts
 * const metrics = options.metrics ?? noopMetrics
 * ```
 */
export const noopMetrics: MetricsSink = Object.freeze({});
