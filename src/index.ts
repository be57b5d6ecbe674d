/**
 * `@teei/event-relay`: typed envelopes, HMAC signatures, retried delivery with a dead-letter queue, and a
 * framework-agnostic receiver. Framework adapters, NATS, the stores with a server, Prometheus, the Buddy event
 * schemas and test helpers live in their own subpaths.
 *
 * @module
 */

export { buddyCatalog } from './catalog/buddy-catalog.js';
export type { Catalog, CatalogEnvelope, CatalogEventData, CatalogEventType } from './catalog/catalog.js';
export { createCatalog } from './catalog/create-catalog.js';
export { defineEvent } from './catalog/define-event.js';
export { DEFAULTS } from './defaults.js';
export type { DeadLetterEntry, DeadLetterQueue } from './delivery/dead-letter-queue.js';
export type { SendContext, Transport, TransportMessage, TransportResult } from './delivery/transport.js';
export { createEnvelope } from './envelope/create-envelope.js';
export { type EventEnvelope, EventEnvelopeSchema } from './envelope/envelope-schema.js';
export { type FlatEvent, FlatEventSchema, fromFlatEvent, toFlatEvent } from './envelope/flat-event.js';
export { parseEvent, safeParseEvent } from './envelope/parse-event.js';
export { serializeEvent } from './envelope/serialize-event.js';
export {
  ClaimLostError,
  ConfigError,
  DeliveryError,
  EventRelayError,
  EventValidationError,
  HandlerTimeoutError,
  isEventRelayError,
  OutboxError,
  PermanentEventError,
  PublisherClosedError,
  QueueFullError,
  ShutdownError,
  SignatureVerificationError,
  TransportError,
} from './errors.js';
export { type Logger, stderrLogger } from './observability/logger.js';
export type { MetricsSink } from './observability/metrics.js';
export { createPublisher } from './publisher/create-publisher.js';
export { memoryDeadLetterQueue } from './publisher/memory-dead-letter-queue.js';
export { memoryOutbox } from './publisher/memory-outbox.js';
export type { Outbox, OutboxRecord } from './publisher/outbox.js';
export { publisherConfigFromEnv } from './publisher/publisher-config-from-env.js';
export type {
  DeliveryReceipt,
  EnqueueOptions,
  Publisher,
  PublisherOptions,
  PublishOptions,
} from './publisher/publisher-types.js';
export type { RetryContext, RetryOptions } from './publisher/retry-policy.js';
export { createReceiver } from './receiver/create-receiver.js';
export type { IdempotencyState, IdempotencyStore } from './receiver/idempotency-store.js';
export { memoryIdempotencyStore } from './receiver/memory-idempotency-store.js';
export type { Receiver } from './receiver/receiver.js';
export { receiverConfigFromEnv } from './receiver/receiver-config-from-env.js';
export type { ReceiverOptions } from './receiver/receiver-options.js';
export type { HandlerContext, ReceiverRequest, ReceiverResponse } from './receiver/types.js';
export { createSigner } from './signing/create-signer.js';
export { createVerifier } from './signing/create-verifier.js';
export { generateEd25519KeyPair, generateSecret } from './signing/generate-keys.js';
export { sign } from './signing/sign.js';
export {
  type KeyOptions,
  type SchemeName,
  SIGNATURE_SCHEMES,
  type SignOptions,
  type VerifierOptions,
  type VerifyOptions,
} from './signing/types.js';
export { verify } from './signing/verify.js';
export { fileDeadLetterQueue } from './stores/file/file-dead-letter-queue.js';
export { fileOutbox } from './stores/file/file-outbox.js';
export { fanoutTransport } from './transports/fanout-transport.js';
export { type HttpTransportOptions, httpTransport } from './transports/http-transport.js';
export { VERSION } from './version.js';
