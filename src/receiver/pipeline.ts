/**
 * The transport-neutral pipeline: signature → JSON → envelope → catalog → rate limit → dedupe → handlers. HTTP,
 * `fetch()` and NATS all end here. One async function, each step in order: the body is parsed once, the envelope
 * checked once (fast-envelope.ts, else the schemas) and the event's data validated once by the catalog.
 *
 * @module
 */
import type { Catalog } from '../catalog/catalog.js';
import { safeParseEvent } from '../envelope/parse-event.js';
import { isSignatureVerificationError } from '../errors.js';
import type { HeadersLike, Verifier } from '../signing/types.js';
import { createDedupe, type DedupeDeps, ids } from './dedupe.js';
import { fastEnvelope } from './fast-envelope.js';
import { ReceiverHandlerContext } from './handler-context.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SignatureMode, UnknownTypes } from './receiver-options.js';
import type { Trace } from './receiver-stats.js';
import { failure } from './responses.js';
import type { MessageResult } from './types.js';

/** @internal */
export interface PipelineDeps extends DedupeDeps {
  readonly verifier: Verifier | undefined;
  readonly signature: SignatureMode;
  readonly catalog: Catalog | undefined;
  readonly unknownTypes: UnknownTypes;
  readonly limiter: RateLimiter | undefined;
}

/**
 * @internal Never resolves to a thrown handler error (those become verdicts); it rejects only on a bug, which the
 * caller turns into a 500. `trace` is filled only when given (a logger or a metrics sink is listening).
 */
export type Pipeline = (
  headers: HeadersLike,
  body: Uint8Array | string,
  receivedAt: Date,
  trace: Trace | undefined,
) => Promise<MessageResult>;

// `fatal`: a body that is not UTF-8 is not JSON, rather than JSON with replacement characters.
const decoder = new TextDecoder('utf-8', { fatal: true });

const NOT_JSON = Symbol('not JSON');

function parseJson(body: Uint8Array | string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : decoder.decode(body));
  } catch {
    return NOT_JSON;
  }
}

/** @internal */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { verifier, signature, catalog, unknownTypes, registry, limiter } = deps;
  const dedupe = createDedupe(deps);
  const verifyAlways = signature === 'required';
  // On Node the verifier also verifies synchronously; the pipeline then skips a promise and an await per request.
  const verifySync = verifier?.verifySync;

  return async function pipeline(headers, body, receivedAt, trace) {
    // The signed delivery id; `undefined` when the request is let in unsigned (`optional`, `disabled`).
    let signedId: string | undefined;
    if (verifier !== undefined && (verifyAlways || verifier.hasSignature(headers))) {
      try {
        const input = { headers, body };
        signedId = (verifySync ? verifySync(input) : await verifier.verify(input)).id;
      } catch (error) {
        if (!isSignatureVerificationError(error)) throw error;
        return failure('reject', 401, error.code, error.message, { error });
      }
    }

    const json = parseJson(body);
    if (json === NOT_JSON) return failure('reject', 400, 'invalid_json', 'the body is not valid UTF-8 JSON');
    // A valid envelope through the fast path (see fast-envelope.ts for what it buys); anything else through the
    // schemas, which name the issues.
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
      const validation = await catalog.validate(type, event.data);
      if (!validation.success) {
        const { error } = validation;
        const code = error.code === 'unknown_type' ? 'unknown_type' : 'invalid_data';
        return failure('reject', 400, code, error.message, { ...ids(event, ctx), issues: error.issues, error });
      }
      event.data = validation.data as Record<string, unknown>;
    } else if (unknownTypes === 'reject' && (catalog !== undefined || !registry.names(type))) {
      return failure('reject', 400, 'unknown_type', `unknown event type ${JSON.stringify(type)}`, {
        ...ids(event, ctx),
        issues: [{ path: ['type'], message: 'Unknown event type' }],
      });
    }

    const waitMs = limiter?.take() ?? 0;
    if (waitMs > 0) {
      return failure('retry', 429, 'rate_limited', 'too many events: retry after the Retry-After delay', {
        ...ids(event, ctx),
        retryAfterMs: waitMs,
      });
    }
    return dedupe(event, ctx);
  };
}
