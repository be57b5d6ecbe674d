/**
 * `sha256-body`, the ADR appendix verbatim (GitHub style): `X-Webhook-Signature: sha256=<hex>`, an HMAC-SHA256 over
 * the body only. `X-Webhook-Id` and `X-Webhook-Timestamp` are sent but not signed, so no tolerance check is possible:
 * replay protection rests on the receiver's idempotency. Opt-in only.
 *
 * @module
 */
import type { Scheme } from './scheme.js';
import { teeiV1 } from './teei-v1.js';

/**
 * The `sha256-body` scheme: `teei-v1`'s headers and encodings, with nothing but the body signed.
 *
 * @example `sha256Body.signedPrefix(id, timestamp) // '' : the body alone is signed`
 */
export const sha256Body: Scheme = {
  ...teeiV1,
  name: 'sha256-body',
  bindsTimestamp: false,
  signedPrefix: () => '',
};
