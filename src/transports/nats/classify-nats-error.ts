/**
 * Turns a failed JetStream publish into a {@link TransportResult}, so the publisher's retries, circuit breaker and
 * dead-letter queue treat NATS exactly as they treat HTTP.
 *
 * @module
 */

import type { TransportResult } from '../../delivery/transport.js';
import { TransportError } from '../../errors.js';

type Failure = Extract<TransportResult, { ok: false }>;

// Connection states the client recovers from by itself (reconnect) or that a redrive can outlive.
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'ConnectionError',
  'ClosedConnectionError',
  'DrainingConnectionError',
  'ProtocolError',
]);

// Misuse that no retry can fix.
const PERMANENT_NAMES = new Set([
  'InvalidSubjectError',
  'InvalidArgumentError',
  'InvalidOperationError',
  'PermissionViolationError',
  'AuthorizationError',
  'UserAuthenticationExpiredError',
]);

// JetStream API errors worth another try although their status is 4xx: the stream is full (discard new) or the
// server is short of resources; consumers or limits may free room.
const RETRYABLE_API_CODES = new Set([10047, 10077, 10078]);

interface ApiErrorLike {
  readonly name: string;
  readonly message: string;
  readonly code?: number;
  readonly status?: number;
}

/**
 * Classifies a publish failure.
 *
 * - No PubAck in time, a connection that is reconnecting, closed or draining: retryable.
 * - No responders: no stream captures the subject, or JetStream is not (yet) up, as right after a server restart.
 *   Retryable, so events survive a stream created a moment late; if it never appears, retries run out and the
 *   event lands in the dead-letter queue, from which a redrive delivers it once the stream exists.
 * - JetStream API errors: retryable on 5xx, 408, 429 and "stream full"; permanent otherwise (status kept).
 * - Bad subject, payload over `max_payload`, permission denied: permanent.
 *
 * @example
 * ```ts
 * try { await js.publish(subject, body, opts) } catch (e) { return classifyNatsError(e, subject) }
 * ```
 */
export function classifyNatsError(error: unknown, subject: string): Failure {
  const e = (error instanceof Error ? error : new Error(String(error))) as ApiErrorLike & Error;
  if (e.name === 'JetStreamNotEnabled' || e.name === 'NoResponders' || isNoResponders(e)) {
    return fail(
      true,
      'nats_no_responders',
      `no JetStream stream answered for subject "${subject}": create one that captures it with ensureStream(); or the stream is electing a leader, or JetStream is starting`,
      e,
    );
  }
  if (e.name === 'JetStreamApiError' || e.name === 'StreamNotFoundError') {
    const status = typeof e.status === 'number' ? e.status : undefined;
    const retryable =
      (status !== undefined && (status >= 500 || status === 408 || status === 429)) ||
      (typeof e.code === 'number' && RETRYABLE_API_CODES.has(e.code));
    return fail(retryable, 'nats_api_error', `JetStream refused the message: ${e.message}`, e, status);
  }
  if (TRANSIENT_NAMES.has(e.name)) {
    return fail(
      true,
      e.name === 'TimeoutError' ? 'timeout' : 'nats_connection',
      `NATS publish failed: ${e.message}`,
      e,
    );
  }
  if (PERMANENT_NAMES.has(e.name)) {
    return fail(false, 'nats_invalid', `NATS refused the publish: ${e.message}`, e);
  }
  // Unknown failures are most likely transient; the publisher bounds the retries.
  return fail(true, 'nats_error', `NATS publish failed: ${e.message}`, e);
}

function isNoResponders(e: Error): boolean {
  const check = (e as { isNoResponders?: () => boolean }).isNoResponders;
  return typeof check === 'function' && check.call(e) === true;
}

function fail(retryable: boolean, code: string, message: string, cause: Error, status?: number): Failure {
  const error = new TransportError(code, message, status === undefined ? { cause } : { cause, status });
  return status === undefined ? { ok: false, retryable, error } : { ok: false, retryable, status, error };
}
