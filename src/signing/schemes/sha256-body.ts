/**
 * `sha256-body`, the ADR appendix verbatim (GitHub style): `X-Webhook-Signature: sha256=<hex>`, an HMAC-SHA256 over
 * the body only. `X-Webhook-Id` and `X-Webhook-Timestamp` are sent but not signed, so no tolerance check is possible:
 * replay protection rests on the receiver's idempotency. Opt-in only.
 *
 * @module
 */
import type { Scheme } from './scheme.js';
import { formatSha256List, parseSha256List } from './sha256-hex-list.js';
import { formatIsoTimestamp, parseIsoTimestamp } from './timestamps.js';

/**
 * The `sha256-body` scheme.
 *
 * @example `sha256Body.signedPrefix(id, timestamp) // '' : the body alone is signed`
 */
export const sha256Body: Scheme = {
  name: 'sha256-body',
  headers: { id: 'x-webhook-id', timestamp: 'x-webhook-timestamp', signature: 'x-webhook-signature' },
  wireHeaders: { id: 'X-Webhook-Id', timestamp: 'X-Webhook-Timestamp', signature: 'X-Webhook-Signature' },
  bodyShape: 'nested',
  bindsTimestamp: false,
  requiresTimestamp: false,
  algorithms: ['hmac-sha256'],
  encoding: 'hex',
  signatureFormat: 'sha256=<64 hex digits>, several separated by a space',
  timestampFormat: 'an ISO-8601 UTC date-time such as 2026-01-01T00:00:00.000Z',
  formatTimestamp: formatIsoTimestamp,
  parseTimestamp: parseIsoTimestamp,
  signedPrefix: () => '',
  formatSignatures: (_timestamp, signatures) => formatSha256List(signatures),
  parseSignatures: parseSha256List,
};
