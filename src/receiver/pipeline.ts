/**
 * The transport-neutral pipeline: signature → JSON → envelope → catalog → rate limit → dedupe → handlers. HTTP,
 * `fetch()` and NATS all end here. The body is parsed once and validated once; nothing here awaits unless a
 * verifier, a schema, a store or a handler hands back a promise.
 *
 * @module
 */
import type { Catalog } from '../catalog/catalog.js';
import { safeParseEvent } from '../envelope/parse-event.js';
import { isPermanentEventError, isSignatureVerificationError } from '../errors.js';
import type { HeadersLike, Verifier } from '../signing/types.js';
import { fastEnvelope } from './fast-envelope.js';
import type { HandlerRegistry } from './handler-registry.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SignatureMode, UnknownTypes } from './receiver-options.js';
import type { Trace } from './receiver-stats.js';
import { acknowledged, failure } from './responses.js';
import { runHandlers } from './run-handlers.js';
import type { ErrorContext, MessageResult } from './types.js';

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

/** @internal */
export type Pipeline = (
  headers: HeadersLike,
  body: Uint8Array | string,
  receivedAt: Date,
  trace: Trace,
) => Promise<MessageResult>;

// `fatal`: a body that is not UTF-8 is not JSON, rather than JSON with replacement characters.
const decoder = new TextDecoder('utf-8', { fatal: true });

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function allPermanent(error: Error): boolean {
  if (error instanceof AggregateError) return error.errors.every((e) => isPermanentEventError(e));
  return isPermanentEventError(error);
}

/** @internal */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { verifier, signature, catalog, unknownTypes, registry, limiter, store, report } = deps;
  const verifyAlways = signature === 'required';
  // node:crypto verifies synchronously: no promise, no extra tick, on the hot path.
  const verifySync = verifier?.verifySync;

  /** `complete` or `release`: a store failure is reported, never turned into the answer. A promise only for an async store. */
  function settle(
    step: (id: string) => void | Promise<void>,
    deliveryId: string,
    ids: () => Omit<ErrorContext, 'source'>,
  ): Promise<void> | undefined {
    const failed = (error: unknown): void => {
      report(error instanceof Error ? error : new Error(String(error)), { source: 'receiver', ...ids() });
    };
    try {
      const r = step.call(store, deliveryId);
      return isThenable(r) ? Promise.resolve(r).then(undefined, failed) : undefined;
    } catch (error) {
      failed(error);
      return undefined;
    }
  }

  return async function pipeline(headers, body, receivedAt, trace) {
    let deliveryId: string | undefined;
    if (verifier !== undefined && (verifyAlways || verifier.hasSignature(headers))) {
      try {
        deliveryId = (verifySync ? verifySync({ headers, body }) : await verifier.verify({ headers, body })).id;
      } catch (error) {
        if (!isSignatureVerificationError(error)) throw error;
        return failure('reject', 401, error.code, error.message, { error });
      }
    }

    let json: unknown;
    try {
      json = JSON.parse(typeof body === 'string' ? body : decoder.decode(body));
    } catch {
      return failure('reject', 400, 'invalid_json', 'the body is not valid UTF-8 JSON');
    }
    let event = fastEnvelope(json);
    if (event === undefined) {
      const parsed = safeParseEvent(json);
      if (parsed.success) event = parsed.envelope;
      else {
        const { error } = parsed;
        return failure('reject', 400, 'invalid_envelope', error.message, {
          issues: error.issues,
          error,
          ...(error.eventType === undefined ? {} : { eventType: error.eventType }),
          ...(deliveryId === undefined ? {} : { deliveryId }),
        });
      }
    }
    const { type } = event;
    const eventId = event.metadata.id;
    deliveryId ??= eventId;
    trace.timestamp = event.metadata.timestamp;
    if (event.metadata.correlationId !== undefined) trace.correlationId = event.metadata.correlationId;
    // Built only on the paths that report: the accepted path allocates nothing it does not return.
    const ids = () => ({ eventId, eventType: type, deliveryId: deliveryId as string });

    if (catalog?.has(type)) {
      const checked = catalog.validate(type, event.data);
      const validation = isThenable(checked) ? await checked : checked;
      if (!validation.success) {
        const { error } = validation;
        return failure('reject', 400, error.code === 'unknown_type' ? 'unknown_type' : 'invalid_data', error.message, {
          ...ids(),
          issues: error.issues,
          error,
        });
      }
      event.data = validation.data as Record<string, unknown>;
    } else if (unknownTypes === 'reject' && (catalog !== undefined || !registry.names(type))) {
      return failure('reject', 400, 'unknown_type', `unknown event type ${JSON.stringify(type)}`, {
        ...ids(),
        issues: [{ path: ['type'], message: 'Unknown event type' }],
      });
    }

    if (limiter !== undefined) {
      const waitMs = limiter.take();
      if (waitMs > 0) {
        return failure('retry', 429, 'rate_limited', 'too many events: retry after the Retry-After delay', {
          ...ids(),
          retryAfterMs: waitMs,
        });
      }
    }

    const begun = store.begin(deliveryId);
    const state = isThenable(begun) ? await begun : begun;
    if (state === 'completed') return acknowledged(eventId, type, deliveryId, true);
    if (state === 'in_progress') {
      return failure(
        'retry',
        409,
        'in_progress',
        'this delivery is being processed: retry after the Retry-After delay',
        {
          ...ids(),
          retryAfterMs: deps.inProgressRetryAfterMs,
        },
      );
    }

    const ran = runHandlers(registry.handlersFor(type), event, { deliveryId, headers, receivedAt });
    const error = isThenable(ran) ? await ran : ran;
    if (error === undefined) {
      const completing = settle(store.complete, deliveryId, ids);
      if (completing !== undefined) await completing;
      return acknowledged(eventId, type, deliveryId, false);
    }
    // Released first, so the sender's retry (which may follow at once) is processed rather than answered 409.
    const releasing = settle(store.release, deliveryId, ids);
    if (releasing !== undefined) await releasing;
    report(error, { source: 'handler', ...ids() });
    if (allPermanent(error)) {
      return failure('reject', 422, 'permanent_event', error.message, { ...ids(), error });
    }
    return failure('retry', 500, 'handler_failed', 'a handler failed: the event will be processed again on retry', {
      ...ids(),
      error,
    });
  };
}
