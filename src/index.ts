/**
 * `@teei/event-relay`: typed envelopes, HMAC signatures, retried delivery with a dead-letter queue, and a
 * framework-agnostic receiver. Framework adapters, NATS and Prometheus live in their own subpaths.
 *
 * @module
 */

export { type CreateEnvelopeOptions, createEnvelope } from './envelope/create-envelope.js';
// --- envelope ---
export {
  DEFAULT_EVENT_VERSION,
  EVENT_TYPE_PATTERN,
  type EventEnvelope,
  EventEnvelopeSchema,
} from './envelope/envelope-schema.js';
export { type FlatEvent, FlatEventSchema, fromFlatEvent, toFlatEvent } from './envelope/flat-event.js';
export { type ParseEventResult, parseEvent, safeParseEvent } from './envelope/parse-event.js';
export { type EnvelopeShape, serializeEvent } from './envelope/serialize-event.js';
export * from './errors.js';
export type { Logger, LogRecord } from './observability/logger.js';
export { silentLogger } from './observability/logger.js';
export type { MetricsSink, PublishStatus } from './observability/metrics.js';
export { noopMetrics } from './observability/metrics.js';
export { VERSION } from './version.js';

// --- catalog (owner: catalog) ---

// --- publisher (owner: publisher) ---
export type { DeadLetterEntry, DeadLetterListOptions, DeadLetterQueue } from './publisher/dead-letter-queue.js';
// --- receiver (owner: receiver) ---
export type {
  MessageOutcome,
  MessageResult,
  ReceiverMessage,
  ReceiverRequest,
  ReceiverResponse,
  ReceiverResponseBody,
} from './receiver/types.js';
// --- signing (owner: signing) ---
export {
  DEFAULT_SCHEME,
  type HeadersLike,
  type KeyEncoding,
  type SchemeName,
  SIGNATURE_SCHEMES,
} from './signing/types.js';
// --- transports (owner: publisher) ---
export type { SendContext, Transport, TransportMessage, TransportResult } from './transports/transport.js';
