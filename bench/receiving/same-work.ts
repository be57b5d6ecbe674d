/**
 * The hand-written route that does the SDK pipeline's work, for an honest ratio: HMAC check (`createHmac` +
 * `timingSafeEqual`), `JSON.parse`, `safeParse` with the Buddy catalog's own zod schema for the event's data, a `Map`
 * dedupe on the event id (capped at 100,000 ids like the SDK's default memory store), then the handler.
 *
 * @module
 */
import { BuddyCheckinCompletedSchema } from '../lib/sdk.js';
import { bareVerify } from './bare-verify.js';

/** What the route answers: a status and a JSON body. */
export interface SameWorkAnswer {
  readonly status: number;
  readonly body: string;
}

const MAX_IDS = 100_000;

/**
 * A request handler over raw headers and body, framework-free: each benchmark server wraps it.
 *
 * @example
 * ```ts
 * const route = sameWorkRoute(Buffer.from(secret), async () => {})
 * const { status, body } = await route(id, timestamp, signature, rawBody)
 * ```
 */
export function sameWorkRoute(key: Buffer, handler: (event: unknown) => Promise<void>) {
  const seen = new Map<string, true>();
  // Eviction order in a ring, not `seen.keys().next()`: V8 walks the holes deletions leave at a Map's head, which
  // at capacity would make this route (the reference) slow for a reason that is not the work.
  const ring: string[] = new Array(MAX_IDS);
  let next = 0;
  return async function route(
    id: string | undefined,
    timestamp: string | undefined,
    signature: string | undefined,
    body: Buffer,
  ): Promise<SameWorkAnswer> {
    if (!bareVerify(key, id, timestamp, signature, body)) return { status: 401, body: '{"error":"invalid_signature"}' };
    let event: { type?: unknown; data?: unknown; metadata?: { id?: unknown } };
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: '{"error":"invalid_json"}' };
    }
    const eventId = event.metadata?.id;
    if (typeof eventId !== 'string') return { status: 400, body: '{"error":"invalid_envelope"}' };
    const parsed = BuddyCheckinCompletedSchema.safeParse(event.data);
    if (!parsed.success) return { status: 400, body: '{"error":"invalid_data"}' };
    const answer = `{"acknowledged":true,"eventId":${JSON.stringify(eventId)}`;
    if (seen.has(eventId)) return { status: 200, body: `${answer},"duplicate":true}` };
    const evicted = ring[next];
    if (evicted !== undefined) seen.delete(evicted);
    ring[next] = eventId;
    next = (next + 1) % MAX_IDS;
    seen.set(eventId, true);
    await handler({ ...event, data: parsed.data });
    return { status: 202, body: `${answer}}` };
  };
}
