/**
 * `@teei/event-relay`: typed envelopes, HMAC signatures, retried delivery with a dead-letter queue, and a
 * framework-agnostic receiver. Framework adapters, NATS and Prometheus live in their own subpaths.
 *
 * @module
 */

export { type BuddyCheckinCompletedData, BuddyCheckinCompletedSchema } from './catalog/buddy/checkin-completed.js';
export { type BuddyEventAttendedData, BuddyEventAttendedSchema } from './catalog/buddy/event-attended.js';
export { type BuddyEventLoggedData, BuddyEventLoggedSchema } from './catalog/buddy/event-logged.js';
export { type BuddyFeedbackSubmittedData, BuddyFeedbackSubmittedSchema } from './catalog/buddy/feedback-submitted.js';
export { type BuddyMatchCreatedData, BuddyMatchCreatedSchema } from './catalog/buddy/match-created.js';
export { type BuddyMatchEndedData, BuddyMatchEndedSchema } from './catalog/buddy/match-ended.js';
export { type BuddyMilestoneReachedData, BuddyMilestoneReachedSchema } from './catalog/buddy/milestone-reached.js';
export {
  type BuddySkillShareCompletedData,
  BuddySkillShareCompletedSchema,
} from './catalog/buddy/skill-share-completed.js';
export { BUDDY_EVENT_TYPES, type BuddyCatalog, type BuddyEventType, buddyCatalog } from './catalog/buddy-catalog.js';
export type {
  Catalog,
  CatalogDefinition,
  CatalogEntry,
  CatalogEntryOf,
  CatalogEnvelope,
  CatalogEventData,
  CatalogEventInput,
  CatalogEventType,
  CatalogValidation,
} from './catalog/catalog.js';
export { createCatalog } from './catalog/create-catalog.js';
export { defineEvent, type EventDefinition } from './catalog/define-event.js';
export type { StandardSchemaV1 } from './catalog/standard-schema.js';
export type { DeadLetterEntry, DeadLetterListOptions, DeadLetterQueue } from './delivery/dead-letter-queue.js';
export { parseRetryAfter } from './delivery/retry-after.js';
export type { SendContext, Transport, TransportMessage, TransportResult } from './delivery/transport.js';
export { type CreateEnvelopeOptions, createEnvelope } from './envelope/create-envelope.js';
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
export { silentLogger, stderrLogger } from './observability/logger.js';
export type { MetricsSink, PublishStatus } from './observability/metrics.js';
export { noopMetrics } from './observability/metrics.js';
export {
  type CircuitBreakerOptions,
  type CircuitState,
  DEFAULT_CIRCUIT_BREAKER,
} from './publisher/circuit-breaker.js';
export { createPublisher, DEFAULT_PUBLISHER } from './publisher/create-publisher.js';
export { fileDeadLetterQueue } from './publisher/file-dead-letter-queue.js';
export { type MemoryDeadLetterQueueOptions, memoryDeadLetterQueue } from './publisher/memory-dead-letter-queue.js';
export { memoryOutbox } from './publisher/memory-outbox.js';
export type { Outbox, OutboxAddOptions, OutboxAddResult, OutboxRecord } from './publisher/outbox.js';
export { type PublisherEnvConfig, publisherConfigFromEnv } from './publisher/publisher-config-from-env.js';
export { DEFAULT_CLOSE } from './publisher/publisher-shutdown.js';
export type {
  CloseOptions,
  DeliveryReceipt,
  EnqueueEnvelopeOptions,
  EnqueueOptions,
  PublishEnvelopeOptions,
  Publisher,
  PublisherEventData,
  PublisherOptions,
  PublishOptions,
  RedriveOptions,
  RedriveResult,
} from './publisher/publisher-types.js';
export {
  DEFAULT_RETRY,
  type NormalizedRetryOptions,
  normalizeRetryOptions,
  type RetryContext,
  type RetryOptions,
  retryDelay,
} from './publisher/retry-policy.js';
export { createReceiver } from './receiver/create-receiver.js';
export {
  DEFAULT_IDEMPOTENCY_TIMES,
  type IdempotencyState,
  type IdempotencyStore,
  type IdempotencyTimes,
} from './receiver/idempotency-store.js';
export {
  DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS,
  type MemoryIdempotencyStoreOptions,
  memoryIdempotencyStore,
} from './receiver/memory-idempotency-store.js';
export type { RateLimitOptions } from './receiver/rate-limiter.js';
export type {
  AnyReceiverEvent,
  ErrorHandler,
  EventHandler,
  Receiver,
  ReceiverCore,
  ReceiverEvent,
  ReceiverEventType,
  UncheckedEvent,
} from './receiver/receiver.js';
export { type ReceiverEnvConfig, receiverConfigFromEnv } from './receiver/receiver-config-from-env.js';
export {
  DEFAULT_RECEIVER_OPTIONS,
  type ReceiverOptions,
  type SignatureMode,
  type UnknownTypes,
} from './receiver/receiver-options.js';
export type { ReceiverErrorCode } from './receiver/responses.js';
export type {
  ErrorContext,
  HandlerContext,
  MessageOutcome,
  MessageResult,
  ReceiverHealth,
  ReceiverMessage,
  ReceiverRequest,
  ReceiverResponse,
  ReceiverResponseBody,
} from './receiver/types.js';
export { createSigner } from './signing/create-signer.js';
export { createVerifier } from './signing/create-verifier.js';
export { type Ed25519KeyPair, generateEd25519KeyPair, generateSecret } from './signing/generate-keys.js';
export { DEFAULT_SIGNING_OPTIONS } from './signing/options.js';
export { readHeader } from './signing/read-header.js';
export { schemeBodyShape, schemeHeaders } from './signing/schemes/registry.js';
export { SECRET_MIN_BYTES, type SecretWarningCode } from './signing/secret-rules.js';
export { sign } from './signing/sign.js';
export {
  type BodyShape,
  DEFAULT_SCHEME,
  type HeadersLike,
  type KeyEncoding,
  type KeyOptions,
  type SchemeHeaderNames,
  type SchemeName,
  type SecretInput,
  SIGNATURE_SCHEMES,
  type SignableBody,
  type Signer,
  type SignerOptions,
  type SignInput,
  type SignOptions,
  type VerifiedSignature,
  type Verifier,
  type VerifierOptions,
  type VerifyInput,
  type VerifyOptions,
} from './signing/types.js';
export { verify } from './signing/verify.js';
export {
  DEFAULT_FILE_OUTBOX,
  type FileOutbox,
  type FileOutboxOptions,
  fileOutbox,
} from './stores/file/file-outbox.js';
export type { FileOutboxStats } from './stores/file/segment-log.js';
export { DEFAULT_FANOUT, type FanoutTransportOptions, fanoutTransport } from './transports/fanout-transport.js';
export { isRetryableStatus } from './transports/http/classify-response.js';
export { DEFAULT_HTTP_TRANSPORT, type HttpTransportOptions, httpTransport } from './transports/http-transport.js';
export { VERSION } from './version.js';
