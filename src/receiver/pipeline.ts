/**
 * The transport-neutral pipeline: signature → JSON → envelope → catalog → rate limit → dedupe → handlers. HTTP,
 * `fetch()` and NATS all end here. The body is parsed once and validated once. Each step that may answer with a
 * promise (verifier, schema, store, handlers) continues synchronously when it does not, so a request with
 * synchronous handlers costs no promise at all and one with an async handler costs only that handler's.
 *
 * @module
 */
import type { Catalog, CatalogValidation } from '../catalog/catalog.js';
import type { EventEnvelope } from '../envelope/envelope-schema.js';
import { safeParseEvent } from '../envelope/parse-event.js';
import { isPermanentEventError, isSignatureVerificationError } from '../errors.js';
import type { HeadersLike, Verifier } from '../signing/types.js';
import { fastEnvelope } from './fast-envelope.js';
import type { HandlerRegistry } from './handler-registry.js';
import type { IdempotencyState, IdempotencyStore } from './idempotency-store.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SignatureMode, UnknownTypes } from './receiver-options.js';
import type { Trace } from './receiver-stats.js';
import { acknowledged, failure } from './responses.js';
import { runHandlers } from './run-handlers.js';
import type { ErrorContext, HandlerContext, MessageResult } from './types.js';

/** @internal */
export interface PipelineDeps {
  readonly verifier: Verifier | undefined;
  readonly signature: SignatureMode;
  readonly catalog: Catalog | undefined;
  readonly unknownTypes: UnknownTypes;
  readonly registry: HandlerRegistry;
  readonly limiter: RateLimiter | undefined;
  readonly store: IdempotencyStore;
  readonly inProgressRetryAfterMs: number;
  /** Sends an error to the `onError` listeners and the log. */
  readonly report: (error: Error, ctx: ErrorContext) => void;
}

/** @internal a verdict, or a promise of one when a step answered asynchronously (it may reject: the caller catches) */
export type Verdict = MessageResult | Promise<MessageResult>;

/** @internal `trace` is filled only when given (a logger or a metrics sink is listening). */
export type Pipeline = (
  headers: HeadersLike,
  body: Uint8Array | string,
  receivedAt: Date,
  trace: Trace | undefined,
) => Verdict;

// `fatal`: a body that is not UTF-8 is not JSON, rather than JSON with replacement characters.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** @internal */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function allPermanent(error: Error): boolean {
  if (error instanceof AggregateError) return error.errors.every((e) => isPermanentEventError(e));
  return isPermanentEventError(error);
}

function ids(event: EventEnvelope, ctx: HandlerContext) {
  return { eventId: event.metadata.id, eventType: event.type, deliveryId: ctx.deliveryId };
}

function refuseSignature(error: unknown): MessageResult {
  if (!isSignatureVerificationError(error)) throw error;
  return failure('reject', 401, error.code, error.message, { error });
}

/** @internal */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { verifier, signature, catalog, unknownTypes, registry, limiter, store, report } = deps;
  const verifyAlways = signature === 'required';
  // node:crypto verifies synchronously: no promise, no extra tick, on the hot path.
  const verifySync = verifier?.verifySync;

  function parse(
    headers: HeadersLike,
    body: Uint8Array | string,
    receivedAt: Date,
    trace: Trace | undefined,
    signedId: string | undefined,
  ): Verdict {
    let json: unknown;
    try {
      json = JSON.parse(typeof body === 'string' ? body : decoder.decode(body));
    } catch {
      return failure('reject', 400, 'invalid_json', 'the body is not valid UTF-8 JSON');
    }
    let event = fastEnvelope(json);
    if (event === undefined) {
      const parsed = safeParseEvent(json);
      if (!parsed.success) {
        const { error } = parsed;
        return failure('reject', 400, 'invalid_envelope', error.message, {
          issues: error.issues,
          error,
          ...(error.eventType === undefined ? {} : { eventType: error.eventType }),
          ...(signedId === undefined ? {} : { deliveryId: signedId }),
        });
      }
      event = parsed.envelope;
    }
    const { type, metadata } = event;
    if (trace !== undefined) {
      trace.timestamp = metadata.timestamp;
      if (metadata.correlationId !== undefined) trace.correlationId = metadata.correlationId;
    }
    const ctx: HandlerContext = { deliveryId: signedId ?? metadata.id, headers, receivedAt };

    if (catalog?.has(type)) {
      const checked = catalog.validate(type, event.data);
      const valid = event;
      return isThenable(checked)
        ? Promise.resolve(checked).then((v) => validated(valid, ctx, v))
        : validated(event, ctx, checked);
    }
    if (unknownTypes === 'reject' && (catalog !== undefined || !registry.names(type))) {
      return failure('reject', 400, 'unknown_type', `unknown event type ${JSON.stringify(type)}`, {
        ...ids(event, ctx),
        issues: [{ path: ['type'], message: 'Unknown event type' }],
      });
    }
    return admit(event, ctx);
  }

  function validated(event: EventEnvelope, ctx: HandlerContext, validation: CatalogValidation): Verdict {
    if (!validation.success) {
      const { error } = validation;
      return failure('reject', 400, error.code === 'unknown_type' ? 'unknown_type' : 'invalid_data', error.message, {
        ...ids(event, ctx),
        issues: error.issues,
        error,
      });
    }
    event.data = validation.data as Record<string, unknown>;
    return admit(event, ctx);
  }

  function admit(event: EventEnvelope, ctx: HandlerContext): Verdict {
    if (limiter !== undefined) {
      const waitMs = limiter.take();
      if (waitMs > 0) {
        return failure('retry', 429, 'rate_limited', 'too many events: retry after the Retry-After delay', {
          ...ids(event, ctx),
          retryAfterMs: waitMs,
        });
      }
    }
    const begun = store.begin(ctx.deliveryId);
    return isThenable(begun) ? Promise.resolve(begun).then((s) => claimed(event, ctx, s)) : claimed(event, ctx, begun);
  }

  function claimed(event: EventEnvelope, ctx: HandlerContext, state: IdempotencyState): Verdict {
    if (state === 'completed') return acknowledged(event.metadata.id, event.type, ctx.deliveryId, true);
    if (state === 'in_progress') {
      return failure(
        'retry',
        409,
        'in_progress',
        'this delivery is being processed: retry after the Retry-After delay',
        {
          ...ids(event, ctx),
          retryAfterMs: deps.inProgressRetryAfterMs,
        },
      );
    }
    const ran = runHandlers(registry.handlersFor(event.type), event, ctx);
    return isThenable(ran) ? ran.then((error) => ended(event, ctx, error)) : ended(event, ctx, ran);
  }

  function ended(event: EventEnvelope, ctx: HandlerContext, error: Error | undefined): Verdict {
    if (error === undefined) {
      const answer = acknowledged(event.metadata.id, event.type, ctx.deliveryId, false);
      const completing = settle(store.complete, event, ctx);
      return completing === undefined ? answer : completing.then(() => answer);
    }
    // Released first, so the sender's retry (which may follow at once) is processed rather than answered 409.
    const releasing = settle(store.release, event, ctx);
    return releasing === undefined ? failed(event, ctx, error) : releasing.then(() => failed(event, ctx, error));
  }

  function failed(event: EventEnvelope, ctx: HandlerContext, error: Error): MessageResult {
    report(error, { source: 'handler', ...ids(event, ctx) });
    if (allPermanent(error)) {
      return failure('reject', 422, 'permanent_event', error.message, { ...ids(event, ctx), error });
    }
    return failure('retry', 500, 'handler_failed', 'a handler failed: the event will be processed again on retry', {
      ...ids(event, ctx),
      error,
    });
  }

  /** `complete` or `release`: a store failure is reported, never turned into the answer. A promise only for an async store. */
  function settle(
    step: (id: string) => void | Promise<void>,
    event: EventEnvelope,
    ctx: HandlerContext,
  ): Promise<void> | undefined {
    try {
      const r = step.call(store, ctx.deliveryId);
      return isThenable(r) ? Promise.resolve(r).then(undefined, (e: unknown) => storeFailed(e, event, ctx)) : undefined;
    } catch (error) {
      storeFailed(error, event, ctx);
      return undefined;
    }
  }

  function storeFailed(error: unknown, event: EventEnvelope, ctx: HandlerContext): void {
    report(error instanceof Error ? error : new Error(String(error)), { source: 'receiver', ...ids(event, ctx) });
  }

  return function pipeline(headers, body, receivedAt, trace) {
    if (verifier === undefined || !(verifyAlways || verifier.hasSignature(headers))) {
      return parse(headers, body, receivedAt, trace, undefined);
    }
    if (verifySync === undefined) {
      return verifier
        .verify({ headers, body })
        .then((signed) => parse(headers, body, receivedAt, trace, signed.id), refuseSignature);
    }
    let signedId: string;
    try {
      signedId = verifySync({ headers, body }).id;
    } catch (error) {
      return refuseSignature(error);
    }
    return parse(headers, body, receivedAt, trace, signedId);
  };
}
