/**
 * Reads one header from whatever a server hands over: a Fetch `Headers`, Node's `IncomingHttpHeaders` (lowercase
 * keys, some values arrays) or a plain record in any case.
 *
 * @module
 */
import type { HeadersLike } from './types.js';

type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

// Only strings come back: a number or an object where a header should be (a hand-built record, a framework's
// oddity) reads as absent, so no caller meets an unexpected type on a hostile or odd request.
function first(value: unknown): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === 'string' ? one : undefined;
}

/**
 * One header's value, matched case-insensitively; the first value when the header is an array. A value that is not a
 * string reads as absent.
 *
 * @param headers - A `Headers`, `IncomingHttpHeaders` or plain record.
 * @param name - The header name, in any case.
 * @returns The value, or `undefined` when the header is absent.
 * @example
 * ```ts
 * readHeader(req.headers, 'X-Webhook-Id') // '6f1c…' from Node's { 'x-webhook-id': '6f1c…' }
 * readHeader(new Headers({ 'Webhook-Id': 'msg_1' }), 'webhook-id') // 'msg_1'
 * ```
 */
export function readHeader(headers: HeadersLike, name: string): string | undefined {
  return readHeaderAs(headers, name.toLowerCase(), name);
}

/**
 * `readHeader` for callers that already hold the lowercase name and the usual spelling: Node's lowercase keys and
 * records written by `sign` are then found with one property read, before the case-insensitive scan.
 *
 * @example
 * ```ts
 * readHeaderAs(headers, 'x-webhook-id', 'X-Webhook-Id')
 * ```
 */
export function readHeaderAs(headers: HeadersLike, lower: string, spelled: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return first((headers as Headers).get(lower));
  const record = headers as HeaderRecord;
  const direct = record[lower] ?? record[spelled];
  if (direct !== undefined) return first(direct);
  for (const key in record) {
    if (key.length === lower.length && key.toLowerCase() === lower) return first(record[key]);
  }
  return undefined;
}
