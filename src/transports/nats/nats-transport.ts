/**
 * A {@link Transport} that publishes to NATS JetStream: `msgID` = delivery id (the stream drops duplicates inside
 * its window), the scheme's signature headers as NATS headers, the serialised envelope as the payload. It rides
 * out a reconnect (publishes wait for the connection and are re-sent once it is back), fails fast on a connection
 * closed for good, or, given `connect`, dials a new one.
 *
 * @module
 */
import { headers } from '@nats-io/transport-node';
import { isAborted } from '../../delivery/attempt-context.js';
import type { SendContext, Transport, TransportMessage, TransportResult } from '../../delivery/transport.js';
import type { EventEnvelope } from '../../envelope/envelope-schema.js';
import { serializeEvent } from '../../envelope/serialize-event.js';
import { TransportError } from '../../errors.js';
import { createSigner } from '../../signing/create-signer.js';
import { schemeBodyShape, schemeHeaders } from '../../signing/schemes/registry.js';
import { classifyNatsError } from './classify-nats-error.js';
import { NatsLink } from './nats-link.js';
import {
  checkTransportOptions,
  DEFAULT_NATS_TRANSPORT_OPTIONS,
  type NatsTransportOptions,
} from './nats-transport-options.js';
import { publishFlight } from './publish-flight.js';

/**
 * Creates a JetStream transport for `createPublisher` (or `fanoutTransport`). A PubAck is success, a duplicate
 * PubAck too (`duplicate: true`). While the client reconnects, an attempt waits for the connection (within
 * `timeoutMs`) and is re-sent once it is back; timeouts and no responders are retryable failures, so the
 * publisher's retries and dead-letter queue apply unchanged. A connection closed for good fails every attempt at
 * once, not retryable, unless `connect` is given: then the transport dials a new connection, with backoff.
 *
 * @throws TypeError on a missing connection or a bad option (the message names it); ConfigError for a secret given as undefined
 * @example
 * ```ts
 * import { connect } from '@nats-io/transport-node'
 * import { createPublisher } from '@teei/event-relay'
 * import { ensureStream, natsTransport } from '@teei/event-relay/nats'
 *
 * const dial = () => connect({ servers: 'nats://127.0.0.1:4222', maxReconnectAttempts: -1, reconnectTimeWait: 500 })
 * const nc = await dial()
 * await ensureStream(nc) // BUDDY_EVENTS on buddy.>
 * const transport = natsTransport({ connection: nc, connect: dial, secret: process.env.CSR_WEBHOOK_SECRET })
 * const publisher = createPublisher({ transport })
 * await publisher.publish('buddy.match.created', { matchId: 'm-1' })
 * ```
 */
export function natsTransport(options: NatsTransportOptions): Transport {
  checkTransportOptions(options);
  const { subject } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_NATS_TRANSPORT_OPTIONS.timeoutMs;
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
  const link = new NatsLink({
    connection: options.connection,
    connect: options.connect,
    redialBackoffMs: options.redialBackoffMs ?? DEFAULT_NATS_TRANSPORT_OPTIONS.redialBackoffMs,
  });

  const publish = (
    message: TransportMessage,
    context: SendContext,
    target: string,
    body: Uint8Array,
    signature: Record<string, string> | undefined,
  ): Promise<TransportResult> => {
    const h = headers();
    if (signature) for (const name in signature) h.set(name, signature[name] as string);
    else h.set(idHeader, message.deliveryId);
    return publishFlight(link, { subject: target, body, msgID: message.deliveryId, headers: h }, context, timeoutMs);
  };

  return {
    name: 'nats',
    // Not async: on the hot path (a synchronous signer) the attempt's promise is the flight's own, with no extra
    // promise and microtask per message.
    send(message: TransportMessage, context: SendContext): Promise<TransportResult> {
      if (isAborted(context)) return Promise.resolve(aborted());
      let target = '';
      try {
        target = subjectOf(message.envelope);
        // Encoded once for both the HMAC and the wire (nats.js would encode a string again).
        const body = Buffer.from(serializeEvent(message.envelope, shape));
        if (signer === undefined) return publish(message, context, target, body, undefined);
        const input = { id: message.deliveryId, body };
        // The synchronous path (node:crypto) saves a microtask per message.
        if (signSync) return publish(message, context, target, body, signSync(input));
        return signer.sign(input).then(
          (signature) => publish(message, context, target, body, signature),
          (error: unknown) => classifyNatsError(error, target),
        );
      } catch (error) {
        return Promise.resolve(classifyNatsError(error, target));
      }
    },
    close: () => link.close(),
  };
}

function aborted(): TransportResult {
  return {
    ok: false,
    retryable: true,
    error: new TransportError('timeout', 'the attempt was aborted (timeout or cancellation) before a PubAck came'),
  };
}
