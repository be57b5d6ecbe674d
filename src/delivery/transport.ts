/**
 * The one interface every transport implements: HTTP, fan-out, NATS JetStream, or your own. A transport signs
 * what it sends; the publisher owns retries, the circuit breaker and the dead-letter queue.
 *
 * @module
 */
import type { EventEnvelope } from '../envelope/envelope-schema.js';

/**
 * What the publisher hands a transport for one attempt.
 *
 * @example
 * ```ts
 * const message: TransportMessage = { envelope, deliveryId: envelope.metadata.id }
 * ```
 */
export interface TransportMessage {
  /** The event, validated. */
  readonly envelope: EventEnvelope;
  /** Stable across retries and redrives: the receiver deduplicates on it. Defaults to `envelope.metadata.id`. */
  readonly deliveryId: string;
}

/**
 * Per-attempt context.
 *
 * @example
 * ```ts
 * await transport.send(message, { attempt: 1, signal: new AbortController().signal })
 * ```
 */
export interface SendContext {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Aborted when the attempt times out or the delivery is cancelled. */
  readonly signal: AbortSignal;
}

/**
 * The outcome of one attempt.
 *
 * @example
 * ```ts
 * const result: TransportResult = { ok: false, retryable: true, status: 503, error: new TransportError('http_503', 'HTTP 503') }
 * ```
 */
export type TransportResult =
  | {
      readonly ok: true;
      /** HTTP status, when the transport has one. */
      readonly status?: number;
      /** The far side already had this delivery id (a JetStream duplicate PubAck, say). */
      readonly duplicate?: boolean;
    }
  | {
      readonly ok: false;
      /** Whether another attempt may succeed (network errors, timeouts, 408, 409, 425, 429, 5xx). */
      readonly retryable: boolean;
      readonly status?: number;
      /** From a `Retry-After` answer, already converted to milliseconds. */
      readonly retryAfterMs?: number;
      readonly error: Error;
    };

/**
 * A way to deliver one message.
 *
 * @example
 * ```ts
 * const consoleTransport: Transport = {
 *   name: 'console',
 *   async send(message) { console.log(message.deliveryId, message.envelope.type); return { ok: true } },
 * }
 * ```
 */
export interface Transport {
  readonly name: string;
  send(message: TransportMessage, context: SendContext): Promise<TransportResult>;
  /** Releases sockets or connections the transport opened itself. */
  close?(): Promise<void>;
}
