/**
 * Every log record and metric of a delivery, in one place: a delivery goes deliver → conclude → report, and only
 * this file knows the record fields (the SPEC's `operation, eventId, eventType, deliveryId, attempt, …`), the
 * messages and which metric counts what. A silent logger is `undefined` in the runtime, so no record is built.
 *
 * @module
 */
import type { DeadLetterEntry } from '../delivery/dead-letter-queue.js';
import type { TransportMessage, TransportResult } from '../delivery/transport.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics.js';

type Failure = Extract<TransportResult, { ok: false }>;

/**
 * @internal the observers a report goes to: `log` is `undefined` when the logger is silent
 * @example
 * ```ts
 * const observers: Observers = { log: undefined, metrics: noopMetrics }
 * ```
 */
export interface Observers {
  readonly log: Logger | undefined;
  readonly metrics: MetricsSink;
}

/**
 * @internal the `error_type` label of a failed attempt
 *
 * @example
 * ```ts
 * metrics.publishError?.({ errorType: errorTypeOf(result) }) // 'timeout', 'http_503', …
 * ```
 */
export function errorTypeOf(result: Failure): string {
  const code = (result.error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return result.status === undefined ? 'network' : `http_${result.status}`;
}

/**
 * @internal a log record with the SPEC's fields
 *
 * @example
 * ```ts
 * log.warn(record(message, 2, { status: 503 }), 'retrying')
 * ```
 */
export function record(
  message: TransportMessage,
  attempt: number,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const { envelope } = message;
  return {
    operation: 'publish',
    eventId: envelope.metadata.id,
    eventType: envelope.type,
    deliveryId: message.deliveryId,
    correlationId: envelope.metadata.correlationId,
    attempt,
    ...extra,
  };
}

/**
 * @internal One failed attempt: counted by error type, logged at debug; a 410 also at error (the endpoint is
 * retired). Returns the error type.
 * @example
 * ```ts
 * const errorType = reportFailedAttempt(runtime, message, attempt, result)
 * ```
 */
export function reportFailedAttempt(
  { log, metrics }: Observers,
  message: TransportMessage,
  attempt: number,
  result: Failure,
): string {
  const errorType = errorTypeOf(result);
  metrics.publishError?.({ errorType });
  log?.debug(
    record(message, attempt, {
      status: result.status,
      errorType,
      retryable: result.retryable,
      err: result.error.message,
    }),
    'attempt failed',
  );
  if (result.status === 410) {
    log?.error(record(message, attempt, { status: 410, errorType }), 'the endpoint answered 410 Gone: it is retired');
  }
  return errorType;
}

/**
 * @internal A retry is scheduled after `attempt` failed.
 * @example
 * ```ts
 * reportRetry(runtime, message, attempt, result, { errorType, delayMs, retriesLeft })
 * ```
 */
export function reportRetry(
  { log, metrics }: Observers,
  message: TransportMessage,
  attempt: number,
  result: Failure,
  next: { readonly errorType: string; readonly delayMs: number; readonly retriesLeft: number },
): void {
  metrics.retry?.({ attempt: attempt + 1 });
  log?.warn(
    record(message, attempt, {
      status: result.status,
      errorType: next.errorType,
      delay_ms: next.delayMs,
      retriesLeft: next.retriesLeft,
    }),
    `attempt ${attempt} failed (${result.error.message}); retrying in ${next.delayMs} ms`,
  );
}

/**
 * @internal A warning about `attempt` that does not change the delivery (a hook threw, say).
 * @example
 * ```ts
 * reportWarning(runtime, message, 2, error, 'retry.onRetry threw; ignored')
 * ```
 */
export function reportWarning(
  { log }: Observers,
  message: TransportMessage,
  attempt: number,
  error: Error,
  text: string,
): void {
  log?.warn(record(message, attempt, { err: error.message }), text);
}

/**
 * @internal The delivery succeeded.
 * @example
 * ```ts
 * reportDelivered(runtime, message, { attempts: 1, status: 200, durationMs: 3.2 })
 * ```
 */
export function reportDelivered(
  { log, metrics }: Observers,
  message: TransportMessage,
  outcome: { readonly attempts: number; readonly status?: number; readonly durationMs: number },
): void {
  metrics.published?.({ eventType: message.envelope.type, status: 'delivered', durationMs: outcome.durationMs });
  log?.info(
    record(message, outcome.attempts, { status: outcome.status, duration_ms: Math.round(outcome.durationMs) }),
    'event published',
  );
}

/**
 * @internal The caller's signal cancelled the delivery: counted as failed, not dead-lettered.
 * @example
 * ```ts
 * reportCancelled(runtime, message, outcome)
 * ```
 */
export function reportCancelled(
  { log, metrics }: Observers,
  message: TransportMessage,
  outcome: { readonly attempts: number; readonly durationMs: number },
): void {
  metrics.published?.({ eventType: message.envelope.type, status: 'failed', durationMs: outcome.durationMs });
  log?.warn(record(message, outcome.attempts, {}), 'delivery cancelled by its signal; not dead-lettered');
}

/**
 * @internal Dead-lettering went partly wrong: the queue refused the entry, or `onDeadLetter` threw.
 * @example
 * ```ts
 * reportDeadLetterTrouble(runtime, message, attempts, error, 'onDeadLetter threw; ignored')
 * ```
 */
export function reportDeadLetterTrouble(
  { log }: Observers,
  message: TransportMessage,
  attempts: number,
  error: unknown,
  text: string,
): void {
  log?.error(record(message, attempts, { err: (error as Error)?.message }), text);
}

/**
 * @internal The event went to the dead-letter queue, for the reason `why`.
 * @example
 * ```ts
 * reportDeadLettered(runtime, message, outcome, entry, 'retries exhausted')
 * ```
 */
export function reportDeadLettered(
  { log, metrics }: Observers,
  message: TransportMessage,
  outcome: { readonly attempts: number; readonly status?: number; readonly durationMs: number; readonly error: Error },
  entry: DeadLetterEntry,
  why: string,
): void {
  metrics.published?.({ eventType: message.envelope.type, status: 'dead_lettered', durationMs: outcome.durationMs });
  log?.error(
    record(message, outcome.attempts, {
      status: outcome.status,
      duration_ms: Math.round(outcome.durationMs),
      errorType: entry.error.code,
      err: outcome.error.message,
    }),
    `event dead-lettered: ${why}`,
  );
}
