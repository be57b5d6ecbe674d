/**
 * `buddy-connector`, the CSR Platform's live receiver: `X-Delivery-Id` and `X-Buddy-Signature: t=<unix seconds>,v1=<hex>`,
 * an HMAC-SHA256 over `t + "." + body`. The delivery id is not signed. With several secrets the header repeats
 * `v1=` as Stripe does (`t=…,v1=<hex>,v1=<hex>`); with one secret it is exactly the platform's format. Receivers
 * of this scheme expect the FLAT envelope.
 *
 * @module
 */
import { canonicalHex } from '../encoding.js';
import type { Scheme, SignatureCandidate } from './scheme.js';
import { formatUnixSeconds, parseUnixSeconds } from './timestamps.js';

const HEX_LENGTH = 64;

/**
 * The `buddy-connector` scheme.
 *
 * @example `buddyConnector.formatSignatures('1', [{ algorithm: 'hmac-sha256', encoded: 'ab' }]) // 't=1,v1=ab'`
 */
export const buddyConnector: Scheme = {
  name: 'buddy-connector',
  headers: { id: 'x-delivery-id', signature: 'x-buddy-signature' },
  wireHeaders: { id: 'X-Delivery-Id', signature: 'X-Buddy-Signature' },
  bodyShape: 'flat',
  bindsTimestamp: true,
  encoding: 'hex',
  signatureFormat: 't=<unix seconds>,v1=<64 hex digits>',
  timestampFormat: 'integer unix seconds in t=',
  formatTimestamp: formatUnixSeconds,
  parseTimestamp: parseUnixSeconds,
  signedPrefix: (_id, timestamp) => `${timestamp}.`,
  formatSignatures(timestamp, signatures) {
    let value = `t=${timestamp}`;
    for (const signature of signatures) value += `,v1=${signature.encoded}`;
    return value;
  },
  parseSignatures(value) {
    let timestamp: string | undefined;
    const candidates: SignatureCandidate[] = [];
    for (const item of value.split(',')) {
      const part = item.trim();
      if (part.startsWith('t=')) {
        // Two timestamps would make "which one was signed" ambiguous.
        if (timestamp !== undefined) return undefined;
        timestamp = part.slice(2);
      } else if (part.startsWith('v1=') && part.length === 3 + HEX_LENGTH) {
        const encoded = canonicalHex(part, 3, part.length);
        if (encoded) candidates.push({ algorithm: 'hmac-sha256', encoded });
      }
    }
    if (timestamp === undefined || candidates.length === 0) return undefined;
    return { timestamp, candidates };
  },
};
