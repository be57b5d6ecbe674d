/**
 * The `sha256=<hex>` signature list shared by `teei-v1` and `sha256-body`: one or more tokens separated by spaces.
 *
 * @module
 */
import { canonicalHex } from '../encoding.js';
import type { EncodedSignature, ParsedSignatureHeader, SignatureCandidate } from './scheme.js';

const PREFIX = 'sha256=';
const HEX_LENGTH = 64;

/**
 * `sha256=<hex>` tokens joined by a space.
 *
 * @example `formatSha256List([{ algorithm: 'hmac-sha256', encoded: 'ab…' }]) // 'sha256=ab…'`
 */
export function formatSha256List(signatures: readonly EncodedSignature[]): string {
  let value = '';
  for (const signature of signatures) value += (value === '' ? PREFIX : ` ${PREFIX}`) + signature.encoded;
  return value;
}

/**
 * The `sha256=<64 hex>` tokens of a header; tokens of another form are ignored.
 *
 * @example `parseSha256List('sha256=<64 hex> sha256=<64 hex>')?.candidates.length // 2`
 */
export function parseSha256List(value: string): ParsedSignatureHeader | undefined {
  const candidates: SignatureCandidate[] = [];
  // Walks the tokens with indexOf instead of split: one signature is the common case, and it needs no array.
  let start = 0;
  while (start <= value.length) {
    const space = value.indexOf(' ', start);
    const end = space < 0 ? value.length : space;
    if (end - start === PREFIX.length + HEX_LENGTH && value.startsWith(PREFIX, start)) {
      const encoded = canonicalHex(value, start + PREFIX.length, end);
      if (encoded) candidates.push({ algorithm: 'hmac-sha256', encoded });
    }
    start = end + 1;
  }
  return candidates.length > 0 ? { candidates } : undefined;
}
