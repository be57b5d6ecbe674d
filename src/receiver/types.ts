/**
 * Types of the receiver's transport-neutral pipeline, shared by `handle()` (HTTP), `fetch()` and the NATS consumer.
 *
 * @module
 */
import type { ValidationIssue } from '../errors.js';
import type { HeadersLike } from '../signing/types.js';
import type { SignatureMode } from './receiver-options.js';

/**
 * One HTTP request as an adapter hands it over: raw bytes, never a parsed body.
 *
 * @example `const res = await receiver.handle({ method: 'POST', headers: req.headers, body: rawBody } satisfies ReceiverRequest)`
 */
export interface ReceiverRequest {
  /** @default 'POST' */
  readonly method?: string | undefined;
  readonly headers: HeadersLike;
  /** The exact bytes received. */
  readonly body: Uint8Array | string;
  /** The sender's address: logged with a refusal (4xx, 5xx). */
  readonly remoteAddress?: string | undefined;
}

/**
 * The answer an adapter writes back. `body` is JSON text.
 *
 * @example `const { status, headers, body }: ReceiverResponse = await receiver.handle(request)`
 */
export interface ReceiverResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A message from a non-HTTP transport (NATS): the same verify → validate → dedupe → handlers pipeline.
 *
 * @example `const result = await receiver.handleMessage({ headers: msg.headers, body: msg.data } satisfies ReceiverMessage)`
 */
export interface ReceiverMessage {
  readonly headers: HeadersLike;
  readonly body: Uint8Array | string;
}

/**
 * What the pipeline decided for one message.
 * - `accepted`: handlers ran and succeeded (HTTP 202).
 * - `duplicate`: this event id was already processed (HTTP 200): acknowledge it.
 * - `retry`: a transient failure (a handler threw, rate limited, or the same id is in progress): redeliver later.
 * - `reject`: permanent (bad signature, invalid event, `PermanentEventError`): do not redeliver; dead-letter.
 *
 * @example `if ((await receiver.handleMessage(msg)).outcome === 'retry') msg.nak(5_000)`
 */
export type MessageOutcome = 'accepted' | 'duplicate' | 'retry' | 'reject';

/**
 * The JSON body of every receiver answer.
 *
 * @example `const body: ReceiverResponseBody = JSON.parse(res.body)`
 */
export type ReceiverResponseBody =
  | { acknowledged: true; eventId: string; duplicate?: true }
  | { error: string; message: string; eventId?: string; issues?: ValidationIssue[] };

/**
 * The pipeline's verdict for one message, with the HTTP status it maps to.
 *
 * @example `const { outcome, status, retryAfterMs }: MessageResult = await receiver.handleMessage(msg)`
 */
export interface MessageResult {
  readonly outcome: MessageOutcome;
  readonly status: number;
  readonly body: ReceiverResponseBody;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly deliveryId?: string;
  /** When `outcome` is `retry` and the pipeline knows how long to wait (rate limit, in-progress duplicate). */
  readonly retryAfterMs?: number;
  /** The failure, for `retry` and `reject`. */
  readonly error?: Error;
}

/**
 * What a handler learns besides the event.
 *
 * @example `receiver.onAny(async (event, { deliveryId, receivedAt }: HandlerContext) => save(deliveryId, receivedAt, event))`
 */
export interface HandlerContext {
  /** The delivery id: the signature scheme's id header when signed, else the event's `metadata.id`. */
  readonly deliveryId: string;
  /** The request's or message's headers, as received. */
  readonly headers: HeadersLike;
  /** When the receiver got the request or message. */
  readonly receivedAt: Date;
  /**
   * Aborted when the receiver stops waiting for this handler: it ran past `handlerTimeoutMs` (a
   * `HandlerTimeoutError`), or the event's idempotency claim was lost to another delivery (a `ClaimLostError`).
   * Pass it to your database or HTTP calls so the abandoned work stops.
   */
  readonly signal: AbortSignal;
}

/**
 * What an `onError` handler learns besides the error.
 *
 * @example `receiver.onError((error, { source, eventId }: ErrorContext) => log.error({ err: error, source, eventId }))`
 */
export interface ErrorContext {
  /** Where the error came from: the event's handlers, or the receiver itself (an adapter's misconfiguration…). */
  readonly source: 'handler' | 'receiver';
  readonly eventId?: string;
  readonly eventType?: string;
  readonly deliveryId?: string;
}

/**
 * `receiver.health()`: counters since the receiver was created.
 *
 * @example `const { status, failed }: ReceiverHealth = receiver.health()`
 */
export interface ReceiverHealth {
  /** Always `'ok'` while the receiver answers; the counters tell the rest. */
  readonly status: 'ok';
  /** How signatures are checked: anything but `'required'` lets unsigned requests in (a warning says so at start). */
  readonly signature: SignatureMode;
  readonly uptimeSeconds: number;
  /** Requests and messages answered. */
  readonly received: number;
  /** Events whose handlers succeeded (202). */
  readonly accepted: number;
  /** Answers in the 4xx range (signature, validation, rate limit, in progress, body timeout, permanent failure). */
  readonly rejected: number;
  /** Deliveries already processed (200 with `duplicate: true`). */
  readonly duplicates: number;
  /** Answers in the 5xx range (a handler threw, or the receiver is misconfigured). */
  readonly failed: number;
  /** ISO-8601 time of the last accepted event, or `null`. */
  readonly lastEventAt: string | null;
}
