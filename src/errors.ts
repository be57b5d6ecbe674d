/**
 * Every error the SDK throws or reports. Flat classes with a stable `code`, structured fields and `cause`
 * chaining. Recognise them with `isEventRelayError(e, 'DeliveryError')` rather than `instanceof`: it compares `name`,
 * so it holds across subpath entries, across the ESM and CJS builds, and across two copies of the package in one
 * tree. The per-class guards below (`isDeliveryError` …) serve the SDK's own code; the root entry exports the one
 * guard.
 *
 * @module
 */

/**
 * A path into a validated value, and what was wrong there.
 *
 * @example `const issue: ValidationIssue = { path: ['data', 'matchId'], message: 'Invalid UUID' }`
 */
export interface ValidationIssue {
  /** Dot-free path segments, e.g. `['data', 'matchId']`. */
  readonly path: readonly (string | number)[];
  /** Human-readable reason, e.g. `Invalid UUID`. */
  readonly message: string;
}

/**
 * Base class of every error of `@teei/event-relay`.
 *
 * @example
 * ```ts
 * try { await publisher.publish('buddy.match.created', data) }
 * catch (e) { if (isEventRelayError(e)) console.error(e.code) }
 * ```
 */
export class EventRelayError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = 'EventRelayError';
  }
}

/**
 * A bad option or environment variable. `option` names it, so the fix is obvious.
 *
 * @example
 * ```ts
 * new ConfigError('CSR_WEBHOOK_TIMEOUT_MS must be a positive integer, got "abc"', { option: 'CSR_WEBHOOK_TIMEOUT_MS' })
 * ```
 */
export class ConfigError extends EventRelayError {
  /** The option or environment variable at fault, when there is one. */
  readonly option: string | undefined;
  constructor(message: string, options?: ErrorOptions & { option?: string }) {
    super('config_error', message, options);
    this.name = 'ConfigError';
    this.option = options?.option;
  }
}

/**
 * Why an event was refused before delivery or handling.
 *
 * @example `const code: EventValidationCode = 'unknown_type'`
 */
export type EventValidationCode = 'invalid_envelope' | 'unknown_type' | 'invalid_data' | 'invalid_json';

/**
 * An event that is not a valid envelope, has a type the catalog does not know, or data that its schema rejects.
 * Nothing was sent (publisher) or handled (receiver).
 *
 * @example
 * ```ts
 * catch (e) { if (isEventValidationError(e)) for (const i of e.issues) console.log(i.path.join('.'), i.message) }
 * ```
 */
export class EventValidationError extends EventRelayError {
  override readonly code: EventValidationCode;
  /** Each problem, with the path of the field. */
  readonly issues: readonly ValidationIssue[];
  /** The event type, when it could be read. */
  readonly eventType: string | undefined;
  constructor(
    code: EventValidationCode,
    message: string,
    options?: ErrorOptions & { issues?: readonly ValidationIssue[]; eventType?: string },
  ) {
    super(code, message, options);
    this.code = code;
    this.name = 'EventValidationError';
    this.issues = options?.issues ?? [];
    this.eventType = options?.eventType;
  }
}

/**
 * Why a signature check failed. One code per reason, as the Standard Webhooks library does.
 *
 * @example `const code: SignatureVerificationCode = 'timestamp_out_of_tolerance'`
 */
export type SignatureVerificationCode =
  | 'missing_header'
  | 'malformed_header'
  | 'timestamp_out_of_tolerance'
  | 'invalid_signature';

/**
 * A request whose signature headers are missing, malformed, stale or wrong. The message never contains a secret,
 * a received signature or an expected signature.
 *
 * @example
 * ```ts
 * catch (e) { if (isSignatureVerificationError(e) && e.code === 'timestamp_out_of_tolerance') checkClock() }
 * ```
 */
export class SignatureVerificationError extends EventRelayError {
  override readonly code: SignatureVerificationCode;
  constructor(code: SignatureVerificationCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.code = code;
    this.name = 'SignatureVerificationError';
  }
}

/**
 * A transport-level failure of one attempt: a network error, a timeout, or a non-2xx answer.
 *
 * @example
 * ```ts
 * return { ok: false, retryable: true, error: new TransportError('timeout', 'no answer within 5000 ms') }
 * ```
 */
export class TransportError extends EventRelayError {
  /** HTTP status, when the failure was an answer. */
  readonly status: number | undefined;
  constructor(code: string, message: string, options?: ErrorOptions & { status?: number }) {
    super(code, message, options);
    this.name = 'TransportError';
    this.status = options?.status;
  }
}

/**
 * An event that could not be delivered: retries ran out or the failure was permanent. It is in the dead-letter
 * queue when one is configured.
 *
 * @example
 * ```ts
 * catch (e) { if (isDeliveryError(e)) log.error({ eventId: e.eventId, attempts: e.attempts }, 'dead-lettered') }
 * ```
 */
export class DeliveryError extends EventRelayError {
  readonly eventId: string;
  readonly deliveryId: string;
  readonly attempts: number;
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(
    message: string,
    fields: { eventId: string; deliveryId: string; attempts: number; status?: number; retryable: boolean },
    options?: ErrorOptions,
  ) {
    super('delivery_failed', message, options);
    this.name = 'DeliveryError';
    this.eventId = fields.eventId;
    this.deliveryId = fields.deliveryId;
    this.attempts = fields.attempts;
    this.status = fields.status;
    this.retryable = fields.retryable;
  }
}

/**
 * The publisher's queue is full: backpressure, never a silent drop. Wait for `flush()` or slow down.
 *
 * @example
 * ```ts
 * catch (e) { if (isQueueFullError(e)) await publisher.flush() }
 * ```
 */
export class QueueFullError extends EventRelayError {
  readonly maxQueue: number;
  constructor(maxQueue: number) {
    super('queue_full', `the publisher queue is full (maxQueue ${maxQueue}); await publisher.flush() or slow down`);
    this.name = 'QueueFullError';
    this.maxQueue = maxQueue;
  }
}

/**
 * The publisher was closed; it refuses new events.
 *
 * @example
 * ```ts
 * await publisher.close(); await publisher.publish(e) // rejects with PublisherClosedError
 * ```
 */
export class PublisherClosedError extends EventRelayError {
  constructor() {
    super('publisher_closed', 'the publisher is closed and refuses new events');
    this.name = 'PublisherClosedError';
  }
}

/**
 * The publisher's `close({ timeoutMs })` deadline passed before this event was delivered. With a durable outbox the
 * event stays there (`kept: true`) and the next publisher that opens the outbox delivers it; with the memory outbox it
 * is dead-lettered with `error.code: 'shutdown'` (`kept: false`).
 *
 * @example
 * ```ts
 * catch (e) { if (isShutdownError(e) && e.kept) log.info({ eventId: e.eventId }, 'delivered after the restart') }
 * ```
 */
export class ShutdownError extends EventRelayError {
  override readonly code = 'shutdown' as const;
  readonly eventId: string;
  /** Whether the event is still in a durable outbox (delivered after the next start), or was dead-lettered. */
  readonly kept: boolean;
  constructor(message: string, fields: { eventId: string; kept: boolean }, options?: ErrorOptions) {
    super('shutdown', message, options);
    this.name = 'ShutdownError';
    this.eventId = fields.eventId;
    this.kept = fields.kept;
  }
}

/**
 * Why an outbox refused: `outbox_locked` (another live process has the directory open), `outbox_closed` (used after
 * `close()`), `outbox_io` (the disk refused a write or a read).
 *
 * @example `const code: OutboxErrorCode = 'outbox_locked'`
 */
export type OutboxErrorCode = 'outbox_locked' | 'outbox_closed' | 'outbox_io';

/**
 * An outbox could not store, hand out or forget an event. `enqueue`/`publish` reject with it and nothing is sent.
 *
 * @example
 * ```ts
 * catch (e) { if (isOutboxError(e) && e.code === 'outbox_locked') process.exit(1) }
 * ```
 */
export class OutboxError extends EventRelayError {
  override readonly code: OutboxErrorCode;
  constructor(code: OutboxErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.code = code;
    this.name = 'OutboxError';
  }
}

/**
 * Throw it from a receiver handler when retrying cannot help (the event is wrong for this system): the receiver
 * answers 422 so the sender dead-letters instead of retrying.
 *
 * @example
 * ```ts
 * receiver.on('buddy.match.created', (e) => { if (!known(e.data.programId)) throw new PermanentEventError('unknown program') })
 * ```
 */
export class PermanentEventError extends EventRelayError {
  constructor(message: string, options?: ErrorOptions) {
    super('permanent_event', message, options);
    this.name = 'PermanentEventError';
  }
}

/**
 * A handler ran longer than the receiver's `handlerTimeoutMs`. The receiver stopped waiting: it aborted the handler's
 * `ctx.signal`, released the event's idempotency claim and answered 500, so the sender's retry runs the event again.
 *
 * @example
 * ```ts
 * receiver.onError((e) => { if (isHandlerTimeoutError(e)) console.warn(`${e.eventId} hung for ${e.timeoutMs} ms`) })
 * ```
 */
export class HandlerTimeoutError extends EventRelayError {
  readonly eventId: string;
  readonly timeoutMs: number;
  constructor(eventId: string, timeoutMs: number) {
    super(
      'handler_timeout',
      `the handlers of event ${eventId} ran longer than handlerTimeoutMs (${timeoutMs} ms): the receiver stopped waiting and released the event for a retry; make the handler finish sooner (honour ctx.signal), or raise handlerTimeoutMs`,
    );
    this.name = 'HandlerTimeoutError';
    this.eventId = eventId;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The receiver's idempotency claim on an event was lost while its handlers ran: the lease lapsed (renewals failed
 * or came too late) and another delivery took the event over, so the handlers may run twice. The handler's
 * `ctx.signal` is aborted with this error.
 *
 * @example
 * ```ts
 * receiver.onError((e) => { if (isClaimLostError(e)) metrics.increment('claims_lost') })
 * ```
 */
export class ClaimLostError extends EventRelayError {
  readonly eventId: string;
  constructor(eventId: string, options?: ErrorOptions) {
    super(
      'claim_lost',
      `the idempotency claim on event ${eventId} was lost while its handlers ran (another delivery took it over after the lease lapsed): the event may be handled twice; check the store's latency, or raise its leaseMs`,
      options,
    );
    this.name = 'ClaimLostError';
    this.eventId = eventId;
  }
}

function hasName(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

const RELAY_ERROR_NAMES = new Set([
  'EventRelayError',
  'ConfigError',
  'EventValidationError',
  'SignatureVerificationError',
  'TransportError',
  'DeliveryError',
  'QueueFullError',
  'PublisherClosedError',
  'PermanentEventError',
  'ShutdownError',
  'OutboxError',
  'HandlerTimeoutError',
  'ClaimLostError',
]);

/**
 * Every error class of the SDK by its `name`: what {@link isEventRelayError} narrows to.
 *
 * @example `const name: keyof EventRelayErrors = 'DeliveryError'`
 */
export interface EventRelayErrors {
  EventRelayError: EventRelayError;
  ConfigError: ConfigError;
  EventValidationError: EventValidationError;
  SignatureVerificationError: SignatureVerificationError;
  TransportError: TransportError;
  DeliveryError: DeliveryError;
  QueueFullError: QueueFullError;
  PublisherClosedError: PublisherClosedError;
  PermanentEventError: PermanentEventError;
  ShutdownError: ShutdownError;
  OutboxError: OutboxError;
  HandlerTimeoutError: HandlerTimeoutError;
  ClaimLostError: ClaimLostError;
}

/**
 * Whether `e` is an error of this SDK. It compares `name` and `code`, never `instanceof`, so it holds across subpath
 * entries, the ESM and CJS builds, and two copies of the package in one tree.
 *
 * @param e - anything caught
 * @example
 * ```ts
 * try { await publisher.publish('buddy.match.created', data) }
 * catch (e) { if (isEventRelayError(e)) console.error(e.code) }
 * ```
 */
export function isEventRelayError(e: unknown): e is EventRelayError;
/**
 * Whether `e` is an error of the class named `name` (`'EventRelayError'`: any error of this SDK). It compares
 * `name`, never `instanceof`, so it holds across subpath entries, the ESM and CJS builds, and two copies of the
 * package in one tree.
 *
 * @param e - anything caught
 * @param name - a class name, e.g. `'DeliveryError'`
 * @example
 * ```ts
 * try { await publisher.publish('buddy.match.created', data) }
 * catch (e) { if (isEventRelayError(e, 'DeliveryError')) console.error(e.attempts, e.cause) }
 * ```
 */
export function isEventRelayError<N extends keyof EventRelayErrors>(e: unknown, name: N): e is EventRelayErrors[N];
export function isEventRelayError(e: unknown, name?: keyof EventRelayErrors): boolean {
  // `typeof`, not `!== undefined`: as a callback (`errors.some(isEventRelayError)`) the second argument is an index.
  if (typeof name === 'string' && name !== 'EventRelayError') return hasName(e, name);
  return e instanceof Error && RELAY_ERROR_NAMES.has(e.name) && typeof (e as { code?: unknown }).code === 'string';
}
/** @example `if (isConfigError(e)) console.log(e.option)` */
export const isConfigError = (e: unknown): e is ConfigError => hasName(e, 'ConfigError');
/** @example `if (isEventValidationError(e)) console.log(e.issues)` */
export const isEventValidationError = (e: unknown): e is EventValidationError => hasName(e, 'EventValidationError');
/** @example `if (isSignatureVerificationError(e)) console.log(e.code)` */
export const isSignatureVerificationError = (e: unknown): e is SignatureVerificationError =>
  hasName(e, 'SignatureVerificationError');
/** @example `if (isTransportError(e)) console.log(e.status)` */
export const isTransportError = (e: unknown): e is TransportError => hasName(e, 'TransportError');
/** @example `if (isDeliveryError(e)) console.log(e.attempts)` */
export const isDeliveryError = (e: unknown): e is DeliveryError => hasName(e, 'DeliveryError');
/** @example `if (isQueueFullError(e)) await publisher.flush()` */
export const isQueueFullError = (e: unknown): e is QueueFullError => hasName(e, 'QueueFullError');
/** @example `if (isPublisherClosedError(e)) return` */
export const isPublisherClosedError = (e: unknown): e is PublisherClosedError => hasName(e, 'PublisherClosedError');
/** @example `if (isPermanentEventError(e)) return 422` */
export const isPermanentEventError = (e: unknown): e is PermanentEventError => hasName(e, 'PermanentEventError');
/** @example `if (isShutdownError(e) && !e.kept) await publisher.redrive()` */
export const isShutdownError = (e: unknown): e is ShutdownError => hasName(e, 'ShutdownError');
/** @example `if (isOutboxError(e)) console.error(e.code)` */
export const isOutboxError = (e: unknown): e is OutboxError => hasName(e, 'OutboxError');
/** @example `if (isHandlerTimeoutError(e)) console.log(e.timeoutMs)` */
export const isHandlerTimeoutError = (e: unknown): e is HandlerTimeoutError => hasName(e, 'HandlerTimeoutError');
/** @example `if (isClaimLostError(e)) console.log(e.eventId)` */
export const isClaimLostError = (e: unknown): e is ClaimLostError => hasName(e, 'ClaimLostError');
