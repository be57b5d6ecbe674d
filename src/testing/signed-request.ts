/**
 * Builds a signed webhook request (headers, exact body, envelope) for tests: yours and ours.
 *
 * @module
 */
import { BUDDY_EVENT_TYPES, type BuddyEventType } from '../catalog/buddy-catalog.js';
import { createEnvelope } from '../envelope/create-envelope.js';
import type { EventEnvelope } from '../envelope/envelope-schema.js';
import { type EnvelopeShape, serializeEvent } from '../envelope/serialize-event.js';
import { schemeBodyShape } from '../signing/schemes/registry.js';
import { sign } from '../signing/sign.js';
import { DEFAULT_SCHEME, type KeyEncoding, type SchemeName, type SecretInput } from '../signing/types.js';
import { buddySample } from './buddy-samples.js';

/**
 * What {@link signedRequest} returns.
 *
 * @example `const { headers, body, envelope }: SignedRequest = await signedRequest({ secret })`
 */
export interface SignedRequest {
  /** Signature headers plus `content-type: application/json`, every name in lowercase. */
  headers: Record<string, string>;
  /** The exact body that was signed (unless `mutate` changed it). */
  body: string;
  /** The event, nested. */
  envelope: EventEnvelope;
}

/**
 * Options of {@link signedRequest}.
 *
 * @example `await signedRequest({ secret, type: 'buddy.checkin.completed', timestamp: new Date(Date.now() - 600_000) })`
 */
export interface SignedRequestOptions {
  /** The secret to sign with (or `secrets`). */
  secret?: SecretInput | undefined;
  secrets?: readonly SecretInput[] | undefined;
  /** @default 'auto' */
  keyEncoding?: KeyEncoding | undefined;
  /** @default 'teei-v1' */
  scheme?: SchemeName;
  /** A whole envelope to send; `type`, `data` and `id` are then ignored. */
  event?: EventEnvelope;
  /** @default 'buddy.match.created' */
  type?: string;
  /** @default buddySample(type) for a Buddy type, else {} */
  data?: unknown;
  /** The event's `metadata.id`. @default crypto.randomUUID() */
  id?: string;
  /** The delivery id in the signature headers. @default the event's `metadata.id` */
  deliveryId?: string;
  /** The signature time: set it minutes away to test the tolerance. @default now */
  timestamp?: Date;
  /** The body's shape. @default the scheme's (`flat` for `buddy-connector`, else `nested`) */
  shape?: EnvelopeShape;
  /** Changes the request after signing, to break exactly one thing. */
  mutate?: (request: { headers: Record<string, string>; body: string }) => void;
}

function isBuddyType(type: string): type is BuddyEventType {
  return (BUDDY_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * Builds a request signed as a publisher would send it.
 *
 * @param options secret and scheme, the event (or its type, data and id), the signature time, a `mutate` hook.
 * @throws {ConfigError} when no usable secret is given.
 * @example
 * ```ts
 * const req = await signedRequest({ secret: 'test-secret', mutate: (r) => { r.headers['x-webhook-signature'] = 'sha256=00' } })
 * const res = await receiver.handle({ method: 'POST', headers: req.headers, body: req.body })
 * res.status // 401
 * ```
 */
export async function signedRequest(options: SignedRequestOptions): Promise<SignedRequest> {
  const scheme = options.scheme ?? DEFAULT_SCHEME;
  const type = options.type ?? 'buddy.match.created';
  const envelope =
    options.event ??
    createEnvelope(type, (options.data ?? (isBuddyType(type) ? buddySample(type) : {})) as Record<string, unknown>, {
      ...(options.id === undefined ? {} : { id: options.id }),
    });
  const body = serializeEvent(envelope, options.shape ?? schemeBodyShape(scheme));
  const signature = await sign({
    scheme,
    ...(options.secret === undefined ? {} : { secret: options.secret }),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    ...(options.keyEncoding === undefined ? {} : { keyEncoding: options.keyEncoding }),
    id: options.deliveryId ?? envelope.metadata.id,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    body,
  });
  // Lowercase names, so a test reaches a header by one spelling: `headers['x-webhook-signature']`.
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(signature)) headers[name.toLowerCase()] = value;
  const request = { headers, body };
  options.mutate?.(request);
  return { headers: request.headers, body: request.body, envelope };
}
