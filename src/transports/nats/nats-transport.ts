/**
 * A {@link Transport} that publishes to NATS JetStream: `msgID` = delivery id (the stream drops duplicates inside
 * its window), the scheme's signature headers as NATS headers, the serialised envelope as the payload.
 *
 * @module
 */
import { jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '../../envelope/envelope-schema.js';
import { serializeEvent } from '../../envelope/serialize-event.js';
import { TransportError } from '../../errors.js';
import { AttemptContext, ON_ABORT } from '../../publisher/attempt-context.js';
import { createSigner } from '../../signing/create-signer.js';
import { schemeBodyShape, schemeHeaders } from '../../signing/schemes/registry.js';
import type { KeyEncoding, SchemeName } from '../../signing/types.js';
import type { SendContext, Transport, TransportMessage, TransportResult } from '../transport.js';
import { classifyNatsError } from './classify-nats-error.js';
import { untilAborted } from './until-aborted.js';

/**
 * Options of {@link natsTransport}.
 *
 * @example
 * ```ts
 * const options: NatsTransportOptions = { connection: nc, secret, subject: (e) => `tenant-a.${e.type}` }
 * ```
 */
export interface NatsTransportOptions {
  /** Your connection, from `connect()` of `@nats-io/transport-node`. The transport never dials nor closes it. */
  connection: NatsConnection;
  /**
   * The subject to publish to: a fixed string, or a function of the envelope.
   * @default the event type (`buddy.match.created`), the platform's convention
   */
  subject?: string | ((envelope: EventEnvelope) => string);
  /** HMAC secret. Without `secret` or `secrets` messages go unsigned and carry only the scheme's id header. @default none */
  secret?: string;
  /** Several secrets, during a rotation: every one signs. @default none */
  secrets?: readonly string[];
  /** Signature scheme; `buddy-connector` also sends the flat envelope shape. @default 'teei-v1' */
  scheme?: SchemeName;
  /** How secrets become key bytes. @default 'auto' */
  keyEncoding?: KeyEncoding;
  /** How long to wait for the PubAck. @default 5000 */
  timeoutMs?: number;
}

/**
 * Defaults of {@link NatsTransportOptions}.
 *
 * @example
 * ```ts
 * natsTransport({ connection: nc, secret, timeoutMs: 2 * DEFAULT_NATS_TRANSPORT_OPTIONS.timeoutMs })
 * ```
 */
export const DEFAULT_NATS_TRANSPORT_OPTIONS = Object.freeze({ timeoutMs: 5000, scheme: 'teei-v1' as SchemeName });

const OK: TransportResult = Object.freeze({ ok: true });
const DUPLICATE: TransportResult = Object.freeze({ ok: true, duplicate: true });

/**
 * Creates a JetStream transport for `createPublisher` (or `fanoutTransport`). A PubAck is success, a duplicate
 * PubAck too (`duplicate: true`); timeouts, no responders and a reconnecting, closed or draining connection are
 * retryable failures, so the publisher's retries and dead-letter queue apply unchanged.
 *
 * @throws TypeError on a missing connection or a bad option (the message names it)
 * @example
 * ```ts
 * import { connect } from '@nats-io/transport-node'
 * import { natsTransport, ensureStream } from '@teei/event-relay/nats'
 *
 * const nc = await connect({ servers: 'nats://127.0.0.1:4222' })
 * await ensureStream(nc) // BUDDY_EVENTS on buddy.>
 * const publisher = createPublisher({ transport: natsTransport({ connection: nc, secret: process.env.CSR_WEBHOOK_SECRET }) })
 * await publisher.publish('buddy.match.created', data)
 * ```
 */
export function natsTransport(options: NatsTransportOptions): Transport {
  const { connection, subject } = options;
  if (connection === null || typeof connection !== 'object' || typeof connection.request !== 'function') {
    throw new TypeError('natsTransport: `connection` must be a NatsConnection from connect()');
  }
  if (subject !== undefined && typeof subject !== 'string' && typeof subject !== 'function') {
    throw new TypeError('natsTransport: `subject` must be a string or a function of the envelope');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_NATS_TRANSPORT_OPTIONS.timeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError('natsTransport: `timeoutMs` must be a positive number of milliseconds');
  }
  const scheme = options.scheme ?? DEFAULT_NATS_TRANSPORT_OPTIONS.scheme;
  const shape = schemeBodyShape(scheme);
  const signed = options.secret !== undefined || options.secrets !== undefined;
  const signer = signed
    ? createSigner({
        scheme,
        ...(options.secret !== undefined && { secret: options.secret }),
        ...(options.secrets !== undefined && { secrets: options.secrets }),
        ...(options.keyEncoding !== undefined && { keyEncoding: options.keyEncoding }),
      })
    : undefined;
  const signSync = signer?.signSync;
  const idHeader = schemeHeaders(scheme).id;
  const subjectOf =
    subject === undefined ? (e: EventEnvelope) => e.type : typeof subject === 'string' ? () => subject : subject;
  const js = jetstream(connection);

  return {
    name: 'nats',
    async send(message: TransportMessage, context: SendContext): Promise<TransportResult> {
      // The publisher's attempt builds its AbortSignal only when read (an AbortController per message): ask it
      // through its cheap hook instead, and read `signal` only on contexts from elsewhere.
      const attempt = context instanceof AttemptContext ? context : undefined;
      if (attempt ? attempt.aborted : context.signal.aborted) return aborted();
      let target = '';
      try {
        target = subjectOf(message.envelope);
        // Encoded once for both the HMAC and the wire (nats.js would encode a string again).
        const body = Buffer.from(serializeEvent(message.envelope, shape));
        const h = headers();
        if (signer) {
          // The synchronous path (node:crypto) saves a microtask per message on the hot path.
          const input = { id: message.deliveryId, body };
          const signature = signSync ? signSync(input) : await signer.sign(input);
          for (const name in signature) h.set(name, signature[name] as string);
        } else {
          h.set(idHeader, message.deliveryId);
        }
        // `timeout` bounds the wait for the PubAck; the race below only ends it early on an abort.
        const publishing = js.publish(target, body, { msgID: message.deliveryId, headers: h, timeout: timeoutMs });
        const ack = await (attempt
          ? untilAttemptAborted(publishing, attempt)
          : untilAborted(publishing, context.signal, ABORTED));
        return ack.duplicate ? DUPLICATE : OK;
      } catch (error) {
        if (error === ABORTED) return aborted();
        return classifyNatsError(error, target);
      }
    },
  };
}

// js.publish takes no AbortSignal; a PubAck arriving after an abort is harmless: a retry carries the same msgID
// and the stream drops it as a duplicate.
const ABORTED = Symbol('aborted');

// One promise and one callback on the attempt: no AbortController, no listener, no sweep.
function untilAttemptAborted<T>(promise: Promise<T>, attempt: AttemptContext): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    attempt[ON_ABORT](() => reject(ABORTED));
    promise.then(resolve, reject);
  });
}

function aborted(): TransportResult {
  return {
    ok: false,
    retryable: true,
    error: new TransportError('timeout', 'the attempt was aborted (timeout or cancellation) before a PubAck came'),
  };
}
