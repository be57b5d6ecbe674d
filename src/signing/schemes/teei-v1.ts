/**
 * `teei-v1`, the default: `X-Webhook-Id`, `X-Webhook-Timestamp` (ISO-8601 UTC of the attempt) and
 * `X-Webhook-Signature: sha256=<hex>`, an HMAC-SHA256 over `id + "." + timestamp + "." + body`.
 *
 * @module
 */
import type { Scheme } from './scheme.js';
import { formatSha256List, parseSha256List } from './sha256-hex-list.js';
import { formatIsoTimestamp, parseIsoTimestamp } from './timestamps.js';

/**
 * The `teei-v1` scheme.
 *
 * @example `teeiV1.signedPrefix(id, '2026-01-01T00:00:00.000Z') // `${id}.2026-01-01T00:00:00.000Z.``
 */
export const teeiV1: Scheme = {
  name: 'teei-v1',
  headers: { id: 'x-webhook-id', timestamp: 'x-webhook-timestamp', signature: 'x-webhook-signature' },
  wireHeaders: { id: 'X-Webhook-Id', timestamp: 'X-Webhook-Timestamp', signature: 'X-Webhook-Signature' },
  bodyShape: 'nested',
  bindsTimestamp: true,
  encoding: 'hex',
  signatureFormat: 'sha256=<64 hex digits>, several separated by a space',
  timestampFormat: 'an ISO-8601 UTC date-time such as 2026-01-01T00:00:00.000Z',
  formatTimestamp: formatIsoTimestamp,
  parseTimestamp: parseIsoTimestamp,
  signedPrefix: (id, timestamp) => `${id}.${timestamp}.`,
  formatSignatures: (_timestamp, signatures) => formatSha256List(signatures),
  parseSignatures: parseSha256List,
};
