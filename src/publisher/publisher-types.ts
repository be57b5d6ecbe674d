/**
 * The publisher's public types: options, receipts and the `Publisher` object.
 *
 * @module
 */
import type { Catalog, CatalogEventInput, CatalogEventType } from '../catalog/catalog.js';
import type { EventEnvelope } from '../envelope/envelope-schema.js';
import type { FlatEvent } from '../envelope/flat-event.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics.js';
import type { Transport } from '../transports/transport.js';
import type { CircuitBreakerOptions, CircuitState } from './circuit-breaker.js';
import type { DeadLetterEntry, DeadLetterQueue } from './dead-letter-queue.js';
import type { RetryOptions } from './retry-policy.js';

/**
 * Options of {@link createPublisher}.
 *
 * @example
 * ```ts
 * const options: PublisherOptions<typeof buddyCatalog> = { transport, catalog: buddyCatalog, concurrency: 32 }
 * ```
 */
export interface PublisherOptions<C extends Catalog = Catalog> {
  /** Where events go: `httpTransport(...)`, `fanoutTransport(...)`, `natsTransport(...)` or your own. */
  transport: Transport;
  /** Validates `data` by type before anything is sent, and types `publish`. @default undefined (envelope checks only) */
  catalog?: C;
  /** Retry schedule and hooks. @default DEFAULT_RETRY (5 retries: 1, 2, 4, 8, 16 s with jitter; 5 s per attempt) */
  retry?: RetryOptions;
  /** Breaker settings, or `false` for none. @default DEFAULT_CIRCUIT_BREAKER (opens after 5 failures, probes after 30 s) */
  circuitBreaker?: CircuitBreakerOptions | false;
  /** Where undeliverable events go. @default memoryDeadLetterQueue() */
  deadLetter?: DeadLetterQueue;
  /** Called after an event is dead-lettered (alerting); a throw is logged and ignored. @default undefined */
  onDeadLetter?: (entry: DeadLetterEntry) => void | Promise<void>;
  /** Deliveries in flight at once. @default 16 */
  concurrency?: number;
  /** Events queued or in flight beyond which `enqueue` and `publish` throw `QueueFullError`. @default 10000 */
  maxQueue?: number;
  /** A pino-compatible logger. @default silentLogger */
  logger?: Logger;
  /** A metrics sink, e.g. `prometheusMetrics()`. @default noopMetrics */
  metrics?: MetricsSink;
  /** `metadata.source` of envelopes the publisher builds, e.g. `buddy-system`. @default undefined */
  source?: string;
}

/**
 * Per-event options of `publish(type, data, options)` and `enqueue(type, data, options)`.
 *
 * @example
 * ```ts
 * publisher.publish('buddy.checkin.completed', data, { correlationId: requestId })
 * ```
 */
export interface PublishOptions extends PublishEnvelopeOptions {
  /** The event id. @default crypto.randomUUID() */
  id?: string;
  /** The event time. @default now */
  timestamp?: string | Date;
  correlationId?: string;
  causationId?: string;
}

/**
 * Per-event options of `publish(envelope, options)` and `enqueue(envelope, options)`.
 *
 * @example
 * ```ts
 * publisher.publish(envelope, { deliveryId: `${envelope.metadata.id}-replay`, signal: AbortSignal.timeout(60_000) })
 * ```
 */
export interface PublishEnvelopeOptions {
  /** The id receivers deduplicate on. @default envelope.metadata.id */
  deliveryId?: string;
  /** Cancels the delivery (queued, in flight or between retries); the promise rejects with the signal's reason and nothing is dead-lettered. @default undefined */
  signal?: AbortSignal;
}

/**
 * What a successful delivery reports.
 *
 * @example
 * ```ts
 * const { eventId, attempts, durationMs }: DeliveryReceipt = await publisher.publish(envelope)
 * ```
 */
export interface DeliveryReceipt {
  readonly eventId: string;
  readonly deliveryId: string;
  /** Attempts made, 1 when the first one succeeded. */
  readonly attempts: number;
  /** HTTP status of the successful attempt, when the transport has one. */
  readonly status?: number;
  /** From the first attempt to the outcome, retries included, queue wait excluded. */
  readonly durationMs: number;
}

/**
 * Options of {@link Publisher.redrive}.
 *
 * @example
 * ```ts
 * await publisher.redrive({ limit: 100 })
 * ```
 */
export interface RedriveOptions {
  /** Entries to re-send, oldest first. @default all */
  limit?: number;
}

/**
 * What {@link Publisher.redrive} did.
 *
 * @example
 * ```ts
 * const { delivered, failed }: RedriveResult = await publisher.redrive()
 * ```
 */
export interface RedriveResult {
  /** Delivered and removed from the dead-letter queue. */
  readonly delivered: number;
  /** Still failing; left in the queue. */
  readonly failed: number;
}

/**
 * The data `publish(type, data)` accepts: the catalog schema's input for `T`, or any object when the catalog is not
 * typed (or there is none).
 *
 * @example
 * ```ts
 * type Data = PublisherEventData<typeof buddyCatalog, 'buddy.match.created'> // { matchId: string; … }
 * ```
 */
export type PublisherEventData<C extends Catalog, T extends string> =
  string extends CatalogEventType<C> ? object : T extends CatalogEventType<C> ? CatalogEventInput<C, T> : never;

/**
 * Sends events: validated, signed by the transport, retried, dead-lettered when they cannot be delivered.
 *
 * @example
 * ```ts
 * const receipt = await publisher.publish('buddy.match.created', data)
 * publisher.enqueue('buddy.checkin.completed', checkin) // returns the event id at once
 * await publisher.close()
 * ```
 */
export interface Publisher<C extends Catalog = Catalog> {
  /** Validates, then delivers and resolves with a receipt; rejects with `DeliveryError` once dead-lettered. */
  publish<T extends CatalogEventType<C>>(
    type: T,
    data: PublisherEventData<C, T>,
    options?: PublishOptions,
  ): Promise<DeliveryReceipt>;
  publish(envelope: EventEnvelope | FlatEvent, options?: PublishEnvelopeOptions): Promise<DeliveryReceipt>;
  /** Validates synchronously, queues, and returns the event id; delivery runs in the background. */
  enqueue<T extends CatalogEventType<C>>(type: T, data: PublisherEventData<C, T>, options?: PublishOptions): string;
  enqueue(envelope: EventEnvelope | FlatEvent, options?: PublishEnvelopeOptions): string;
  /** Events queued or in flight. */
  readonly pending: number;
  /** The transport's circuit breaker. */
  readonly circuitState: CircuitState;
  /** The dead-letter queue in use. */
  readonly deadLetter: DeadLetterQueue;
  /** Resolves when every queued event has been delivered or dead-lettered. */
  flush(): Promise<void>;
  /** Refuses new events at once, flushes, then closes the transport. Idempotent. */
  close(): Promise<void>;
  /** Re-sends dead-lettered events with their original delivery ids; removes those delivered. */
  redrive(options?: RedriveOptions): Promise<RedriveResult>;
}
