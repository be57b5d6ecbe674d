/**
 * `standard-webhooks`, per the Standard Webhooks spec: `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature`, a space-separated list of `v1,<base64>` (HMAC-SHA256) and `v1a,<base64>` (ed25519)
 * signatures over `id + "." + timestamp + "." + body`.
 *
 * @module
 */
import { decodeBase64 } from '../encoding.js';
import type { Scheme, SignatureAlgorithm, SignatureCandidate } from './scheme.js';
import { formatUnixSeconds, parseUnixSeconds } from './timestamps.js';

const VERSION_OF: Record<SignatureAlgorithm, string> = { 'hmac-sha256': 'v1', ed25519: 'v1a' };
const HMAC_BYTES = 32;
const ED25519_BYTES = 64;

function parseToken(token: string): SignatureCandidate | undefined {
  const comma = token.indexOf(',');
  if (comma < 0) return undefined;
  const version = token.slice(0, comma);
  const bytes = decodeBase64(token.slice(comma + 1));
  if (!bytes) return undefined;
  if (version === 'v1' && bytes.length === HMAC_BYTES) return { algorithm: 'hmac-sha256', bytes };
  if (version === 'v1a' && bytes.length === ED25519_BYTES) return { algorithm: 'ed25519', bytes };
  return undefined;
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
    for (const token of value.split(' ')) {
      const candidate = parseToken(token);
      if (candidate) candidates.push(candidate);
    }
    return candidates.length > 0 ? { candidates } : undefined;
  },
};
