/**
 * The checks an HTTP request passes before its body matters: method, content type, size. Adapters run them before
 * reading the body (by `Content-Length`) and again once the body is in.
 *
 * @module
 */
import { readHeaderAs } from '../signing/read-header.js';
import type { HeadersLike } from '../signing/types.js';
import { failure } from './responses.js';
import type { MessageResult } from './types.js';

/** `application/json`, with parameters (`; charset=utf-8`), or any `application/<x>+json`. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** @internal whether a `Content-Type` value names JSON */
export function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && JSON_MEDIA_TYPE.test(value);
}

/**
 * @internal 405, 415 or 413 in that order, or `undefined` when the request may go on. `bodyBytes` is the
 * `Content-Length` before reading, or the bytes read so far.
 */
export function checkHttpRequest(
  method: string | undefined,
  headers: HeadersLike,
  bodyBytes: number | undefined,
  maxBodyBytes: number,
): MessageResult | undefined {
  if (method !== undefined && method !== 'POST' && (typeof method !== 'string' || method.toUpperCase() !== 'POST')) {
    return failure('reject', 405, 'method_not_allowed', 'only POST is allowed here');
  }
  if (!isJsonContentType(readHeaderAs(headers, 'content-type', 'Content-Type'))) {
    return failure('reject', 415, 'unsupported_media_type', 'the body must be sent as Content-Type: application/json');
  }
  if (bodyBytes !== undefined && bodyBytes > maxBodyBytes) {
    return failure('reject', 413, 'payload_too_large', `the body is larger than ${maxBodyBytes} bytes`);
  }
  return undefined;
}

/** @internal `Content-Length` as a number, when present and well-formed */
export function contentLength(headers: HeadersLike): number | undefined {
  const value = readHeaderAs(headers, 'content-length', 'Content-Length');
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
