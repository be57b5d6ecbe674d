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
import { isSignatureVerificationError } from '../errors.js';
import type { HeadersLike, Verifier } from '../signing/types.js';
import { createDedupe, ids } from './dedupe.js';
import { fastEnvelope } from './fast-envelope.js';
import { ReceiverHandlerContext } from './handler-context.js';
import type { HandlerRegistry } from './handler-registry.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { isThenable } from './is-thenable.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SignatureMode, UnknownTypes } from './receiver-options.js';
import type { Trace } from './receiver-stats.js';
import { failure } from './responses.js';
import type { ErrorContext, MessageResult } from './types.js';

export { isThenable };

/** @internal */
export interface PipelineDeps {
  readonly verifier: Verifier | undefined;
  readonly signature: SignatureMode;
  readonly catalog: Catalog | undefined;
  readonly unknownTypes: UnknownTypes;
  readonly registry: HandlerRegistry;
  readonly limiter: RateLimiter | undefined;
  readonly store: IdempotencyStore;
  readonly handlerTimeoutMs: number;
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

function refuseSignature(error: unknown): MessageResult {
  if (!isSignatureVerificationError(error)) throw error;
  return failure('reject', 401, error.code, error.message, { error });
}

/** @internal */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { verifier, signature, catalog, unknownTypes, registry, limiter } = deps;
  const dedupe = createDedupe(deps);
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
    // The delivery id is for the handlers and the logs; dedupe keys on `metadata.id`, which the signature covers.
    const ctx = new ReceiverHandlerContext(signedId ?? metadata.id, headers, receivedAt);

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

  function validated(event: EventEnvelope, ctx: ReceiverHandlerContext, validation: CatalogValidation): Verdict {
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

  function admit(event: EventEnvelope, ctx: ReceiverHandlerContext): Verdict {
    if (limiter !== undefined) {
      const waitMs = limiter.take();
      if (waitMs > 0) {
        return failure('retry', 429, 'rate_limited', 'too many events: retry after the Retry-After delay', {
          ...ids(event, ctx),
          retryAfterMs: waitMs,
        });
      }
    }
    return dedupe(event, ctx);
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
