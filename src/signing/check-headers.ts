/**
 * The part of verification that needs no key: read the scheme's headers, parse them, check the tolerance. Every
 * failure is a `SignatureVerificationError` whose message names the header and the fix, and never holds a
 * signature or a secret.
 *
 * @module
 */
import { SignatureVerificationError } from '../errors.js';
import { readHeaderAs } from './read-header.js';
import { type Scheme, SIGNATURE_HEADER_LIMITS, type SignatureCandidate } from './schemes/scheme.js';
import type { HeadersLike } from './types.js';

/**
 * The headers of a request, parsed and within tolerance, ready for the signature check.
 *
 * @example `const checked: CheckedHeaders = checkHeaders(scheme, headers, now, 300)`
 */
export interface CheckedHeaders {
  readonly id: string;
  readonly timestampMs: number;
  /** The signed content is `prefix + body`. */
  readonly prefix: string;
  readonly candidates: readonly SignatureCandidate[];
}

function malformed(header: string, problem: string): SignatureVerificationError {
  return new SignatureVerificationError('malformed_header', `the ${header} header is malformed: ${problem}`);
}

function missing(scheme: Scheme, header: string): SignatureVerificationError {
  return new SignatureVerificationError(
    'missing_header',
    `the ${header} header is missing: the request is not signed with the ${scheme.name} scheme`,
  );
}

function describeSkew(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  return skewMs > 0 ? `${seconds} s in the past` : `${seconds} s in the future`;
}

/**
 * Reads and checks the scheme's headers.
 *
 * @throws SignatureVerificationError `missing_header`, `malformed_header` or `timestamp_out_of_tolerance`.
 *
 * @example `const { id, prefix, candidates } = checkHeaders(teeiV1, req.headers, Date.now(), 300)`
 */
export function checkHeaders(
  scheme: Scheme,
  headers: HeadersLike,
  nowMs: number,
  toleranceSeconds: number,
): CheckedHeaders {
  const names = scheme.headers;
  const wire = scheme.wireHeaders;
  const id = readHeaderAs(headers, names.id, wire.id);
  if (!id) throw missing(scheme, wire.id);
  const signature = readHeaderAs(headers, names.signature, wire.signature);
  if (!signature) throw missing(scheme, wire.signature);
  let timestamp: string | undefined;
  if (names.timestamp !== undefined && wire.timestamp !== undefined) {
    timestamp = readHeaderAs(headers, names.timestamp, wire.timestamp) || undefined;
    if (timestamp === undefined && scheme.bindsTimestamp) throw missing(scheme, wire.timestamp);
  }

  if (signature.length > SIGNATURE_HEADER_LIMITS.maxLength) {
    throw malformed(wire.signature, `longer than ${SIGNATURE_HEADER_LIMITS.maxLength} characters`);
  }
  const parsed = scheme.parseSignatures(signature);
  if (!parsed) throw malformed(wire.signature, `expected ${scheme.signatureFormat}`);
  if (parsed.candidates.length > SIGNATURE_HEADER_LIMITS.maxSignatures) {
    throw malformed(wire.signature, `more than ${SIGNATURE_HEADER_LIMITS.maxSignatures} signatures`);
  }
  if (parsed.timestamp !== undefined) timestamp = parsed.timestamp;

  let timestampMs = nowMs;
  if (timestamp !== undefined) {
    const ms = scheme.parseTimestamp(timestamp);
    if (ms === undefined) {
      const where = wire.timestamp ?? wire.signature;
      throw new SignatureVerificationError(
        'malformed_header',
        `the timestamp in the ${where} header is malformed: expected ${scheme.timestampFormat}`,
      );
    }
    timestampMs = ms;
  }
  if (scheme.bindsTimestamp) {
    const skew = nowMs - timestampMs;
    if (Math.abs(skew) > toleranceSeconds * 1000) {
      throw new SignatureVerificationError(
        'timestamp_out_of_tolerance',
        `the signed timestamp is ${describeSkew(skew)}, beyond the ${toleranceSeconds} s tolerance: check the sender's clock, or this is a replay`,
      );
    }
  }
  return { id, timestampMs, prefix: scheme.signedPrefix(id, timestamp ?? ''), candidates: parsed.candidates };
}

/**
 * The error for a request whose signatures match no configured key.
 *
 * @example `if (!ok) throw invalidSignature(scheme)`
 */
export function invalidSignature(scheme: Scheme): SignatureVerificationError {
  return new SignatureVerificationError(
    'invalid_signature',
    `no signature in the ${scheme.wireHeaders.signature} header matches a configured secret: check the secret, the scheme (${scheme.name}) and that the body is the raw bytes received`,
  );
}
