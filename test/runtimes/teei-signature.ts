/**
 * The `teei-v1` signature computed with `node:crypto` alone, to check the package's signer (and what a runtime
 * sends) against an implementation that shares no code with it.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `sha256=<hex>` over `id.timestamp.body`.
 *
 * @example `teeiSignature(secret, id, timestamp, body) === headers['X-Webhook-Signature']`
 */
export function teeiSignature(secret: string, id: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Whether the headers carry a valid `teei-v1` signature of `body` (names case-insensitive).
 *
 * @example `if (!validTeeiSignature(secret, req.headers, body)) res.writeHead(401)`
 */
export function validTeeiSignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): boolean {
  const get = (name: string): string => {
    const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
    const value = entry?.[1];
    return (Array.isArray(value) ? value[0] : value) ?? '';
  };
  const expected = Buffer.from(teeiSignature(secret, get('x-webhook-id'), get('x-webhook-timestamp'), body));
  return get('x-webhook-signature')
    .split(' ')
    .some((given) => given.length === expected.length && timingSafeEqual(Buffer.from(given), expected));
}
