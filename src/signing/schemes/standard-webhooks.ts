/**
 * `standard-webhooks`, per the Standard Webhooks spec: `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature`, a space-separated list of `v1,<base64>` (HMAC-SHA256) and `v1a,<base64>` (ed25519)
 * signatures over `id + "." + timestamp + "." + body`.
 *
 * @module
 */
import { canonicalBase64 } from '../encoding.js';
import type { Scheme, SignatureAlgorithm, SignatureCandidate } from './scheme.js';
import { formatUnixSeconds, parseUnixSeconds } from './timestamps.js';

const VERSION_OF: Record<SignatureAlgorithm, string> = { 'hmac-sha256': 'v1', ed25519: 'v1a' };
const HMAC_BYTES = 32;
const ED25519_BYTES = 64;

/** The signature of `value[start..end)` (`v1,<base64>` or `v1a,<base64>`), or `undefined`. */
function parseToken(value: string, start: number, end: number): SignatureCandidate | undefined {
  const comma = value.indexOf(',', start);
  if (comma < 0 || comma >= end) return undefined;
  const version = comma - start === 2 ? 'v1' : comma - start === 3 ? 'v1a' : '';
  if (version === '' || !value.startsWith(version, start)) return undefined;
  const isHmac = version === 'v1';
  const encoded = canonicalBase64(value, comma + 1, end, isHmac ? HMAC_BYTES : ED25519_BYTES);
  if (encoded === undefined) return undefined;
  return { algorithm: isHmac ? 'hmac-sha256' : 'ed25519', encoded };
}

/**
 * The `standard-webhooks` scheme.
 *
 * @example `standardWebhooks.formatTimestamp(new Date(1_614_265_330_000)) // '1614265330'`
 */
export const standardWebhooks: Scheme = {
  name: 'standard-webhooks',
  headers: { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
  wireHeaders: { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
  bodyShape: 'nested',
  bindsTimestamp: true,
  encoding: 'base64',
  signatureFormat: 'v1,<base64> or v1a,<base64>, several separated by a space',
  timestampFormat: 'integer unix seconds',
  formatTimestamp: formatUnixSeconds,
  parseTimestamp: parseUnixSeconds,
  signedPrefix: (id, timestamp) => `${id}.${timestamp}.`,
  formatSignatures: (_timestamp, signatures) =>
    signatures.map((signature) => `${VERSION_OF[signature.algorithm]},${signature.encoded}`).join(' '),
  parseSignatures(value) {
    const candidates: SignatureCandidate[] = [];
    // Walks the tokens with indexOf instead of split: one signature is the common case, and it needs no array.
    for (let start = 0; start <= value.length; ) {
      const space = value.indexOf(' ', start);
      const end = space < 0 ? value.length : space;
      const candidate = parseToken(value, start, end);
      if (candidate) candidates.push(candidate);
      start = end + 1;
    }
    return candidates.length > 0 ? { candidates } : undefined;
  },
};
