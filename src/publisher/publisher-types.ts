/**
 * The publisher's public types: options, receipts and the `Publisher` object.
 *
 * @module
 */
import type { Catalog, CatalogEventInput, CatalogEventType } from '../catalog/catalog.js';
import type { DeadLetterEntry, DeadLetterQueue } from '../delivery/dead-letter-queue.js';
import type { Transport } from '../delivery/transport.js';
import type { EventEnvelope } from '../envelope/envelope-schema.js';
import type { FlatEvent } from '../envelope/flat-event.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics.js';
import type { CircuitBreakerOptions, CircuitState } from './circuit-breaker.js';
import type { Outbox } from './outbox.js';
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
  /**
   * Where accepted events wait until they are delivered or dead-lettered. A durable one (`fileOutbox(dir)`,
   * `postgresOutbox(...)`) keeps them across a crash or a restart: `enqueue` resolves once the event is stored, and
   * the next publisher that opens it resumes what was not delivered. `undefined` (e.g. `publisherConfigFromEnv()`'s
   * `outbox` when `CSR_WEBHOOK_OUTBOX_DIR` is unset) means the default. @default memoryOutbox()
   */
  outbox?: Outbox | undefined;
  /** Called after an event is dead-lettered (alerting); a throw is logged and ignored. @default undefined */
  onDeadLetter?: (entry: DeadLetterEntry) => void | Promise<void>;
  /** Deliveries in flight at once. @default 16 */
  concurrency?: number;
  /** Events queued or in flight beyond which `enqueue` and `publish` reject with `QueueFullError`. @default 10000 */
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
 * Per-event options of `enqueue(type, data, options)`.
 *
 * @example
 * ```ts
 * await client.query('BEGIN')
 * await publisher.enqueue('buddy.match.created', data, { transaction: client }) // postgresOutbox only
 * await client.query('COMMIT') // delivered once committed; never sent if rolled back
 * ```
 */
export interface EnqueueOptions extends PublishOptions {
  /**
   * The caller's database client inside their own open transaction: the event is stored with it, so it is delivered
   * once the transaction commits and never if it rolls back (the transactional outbox). Only an outbox that supports
   * it (`postgresOutbox`) accepts one; the others reject with a `TypeError`. @default undefined
   */
  transaction?: unknown;
}

/**
 * Per-event options of `enqueue(envelope, options)`.
 *
 * @example
 * ```ts
 * await publisher.enqueue(envelope, { deliveryId: `${envelope.metadata.id}-replay`, transaction: client })
 * ```
 */
export interface EnqueueEnvelopeOptions extends PublishEnvelopeOptions {
  /** As {@link EnqueueOptions.transaction}. @default undefined */
  transaction?: unknown;
}

/**
 * Options of {@link Publisher.close}.
 *
 * @example
 * ```ts
 * process.on('SIGTERM', () => publisher.close({ timeoutMs: 8000 }).then(() => process.exit(0)))
 * ```
 */
export interface CloseOptions {
  /**
   * The longest `close()` waits for deliveries in flight or queued. Past it, what is left stays in a durable outbox for
   * the next start, or is dead-lettered with reason `shutdown` from the memory outbox. @default 10000
   */
  timeoutMs?: number;
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
 * const id = await publisher.enqueue('buddy.checkin.completed', checkin) // resolves once stored in the outbox
 * await publisher.close({ timeoutMs: 5000 })
 * ```
 */
export interface Publisher<C extends Catalog = Catalog> {
  /**
   * Validates, stores the event in the outbox, delivers it and resolves with a receipt; rejects with `DeliveryError`
   * once dead-lettered. The envelope overload comes first so that a wrong `data` object is reported field by field
   * (TypeScript names the last overload it tried).
   */
  publish(envelope: EventEnvelope | FlatEvent, options?: PublishEnvelopeOptions): Promise<DeliveryReceipt>;
  publish<T extends CatalogEventType<C>>(
    type: T,
    data: PublisherEventData<C, T>,
    options?: PublishOptions,
  ): Promise<DeliveryReceipt>;
  /**
   * Validates and stores the event in the outbox, then resolves with its id; delivery runs in the background. With a
   * durable outbox, a resolved `enqueue` survives a crash. Rejects (nothing stored, nothing sent) on invalid data,
   * `QueueFullError`, `PublisherClosedError`, or an outbox that could not store it.
   */
  enqueue(envelope: EventEnvelope | FlatEvent, options?: EnqueueEnvelopeOptions): Promise<string>;
  enqueue<T extends CatalogEventType<C>>(
    type: T,
    data: PublisherEventData<C, T>,
    options?: EnqueueOptions,
  ): Promise<string>;
  /** Events being stored, queued or in flight in this process (not those waiting in a durable outbox). */
  readonly pending: number;
  /** The transport's circuit breaker. */
  readonly circuitState: CircuitState;
  /** The dead-letter queue in use. */
  readonly deadLetter: DeadLetterQueue;
  /** The outbox in use. */
  readonly outbox: Outbox;
  /**
   * Resolves when every event accepted so far has been delivered or dead-lettered, including those a durable outbox
   * handed back on start.
   */
  flush(): Promise<void>;
  /**
   * Refuses new events at once, waits for deliveries until `timeoutMs` (never longer), then stops what is left: kept in
   * a durable outbox for the next start, or dead-lettered (`shutdown`) from the memory outbox. Then closes the outbox
   * and the transport. Idempotent: a second call returns the first call's promise.
   */
  close(options?: CloseOptions): Promise<void>;
  /** Re-sends dead-lettered events with their original delivery ids; removes those delivered. */
  redrive(options?: RedriveOptions): Promise<RedriveResult>;
}
