/**
 * The reference routes' hand-written check: teei-v1 HMAC over `id.timestamp.body`, compared in constant time.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * True when `signature` (`sha256=<hex>`) signs `id.timestamp.body` with `key`.
 *
 * @example
 * ```ts
 * if (!bareVerify(key, id, ts, sig, body)) return res.writeHead(401).end()
 * ```
 */
export function bareVerify(
  key: Buffer,
  id: string | undefined,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer,
): boolean {
  if (!id || !timestamp || !signature?.startsWith('sha256=')) return false;
  const given = Buffer.from(signature.slice(7), 'hex');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The reference routes' answer body. */
export function accepted(event: unknown): string {
  const id = (event as { metadata?: { id?: string } }).metadata?.id;
  return `{"acknowledged":true,"eventId":${JSON.stringify(id ?? '')}}`;
}
