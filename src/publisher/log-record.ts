/**
 * The shapes the publisher reports in: a log record with the SPEC's fields, and the `error_type` label of a failed
 * attempt.
 *
 * @module
 */
import type { TransportMessage, TransportResult } from '../delivery/transport.js';

/**
 * @internal the `error_type` label of a failed attempt
 *
 * @example
 * ```ts
 * metrics.publishError?.({ errorType: errorTypeOf(result) }) // 'timeout', 'http_503', …
 * ```
 */
export function errorTypeOf(result: Extract<TransportResult, { ok: false }>): string {
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
