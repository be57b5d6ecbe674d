/**
 * The small internal interface every signature scheme implements: which headers it writes, what content it signs,
 * how it formats and parses the signature header. Crypto stays out of it, in the engines.
 *
 * @module
 */
import type { EnvelopeShape } from '../../envelope/serialize-event.js';
import type { SchemeHeaderNames, SchemeName } from '../types.js';

/**
 * A signature algorithm a scheme can carry.
 *
 * @example `const algorithm: SignatureAlgorithm = 'ed25519'`
 */
export type SignatureAlgorithm = 'hmac-sha256' | 'ed25519';

/**
 * Bounds on what a signature header may hold, checked before and after parsing. Rotation needs two or three
 * signatures; without a bound a hostile header (fetch `Headers` have no size limit, Node allows 16 KB) buys a
 * string split per byte and an ed25519 verification per `v1a` token: about 0.4 ms each, seconds for a 1 MB header.
 *
 * @example `if (value.length > SIGNATURE_HEADER_LIMITS.maxLength) throw …`
 */
export const SIGNATURE_HEADER_LIMITS = { maxLength: 4096, maxSignatures: 16 } as const;

/**
 * One signature found in a header, as text in its canonical encoding (lowercase hex, or padded base64 with zero
 * unused bits; ed25519 signatures in base64). Kept as text so the engine compares it with the computed digest's
 * text: no decoding on the hot path.
 *
 * @example `{ algorithm: 'hmac-sha256', encoded: canonicalHex(hex, 64) }`
 */
export interface SignatureCandidate {
  readonly algorithm: SignatureAlgorithm;
  readonly encoded: string;
}

/**
 * A computed signature, already in the scheme's text encoding.
 *
 * @example `{ algorithm: 'hmac-sha256', encoded: mac.digest('hex') }`
 */
export interface EncodedSignature {
  readonly algorithm: SignatureAlgorithm;
  readonly encoded: string;
}

/**
 * A parsed signature header.
 *
 * @example `buddyConnector.parseSignatures('t=1,v1=…') // { timestamp: '1', candidates: [...] }`
 */
export interface ParsedSignatureHeader {
  /** The timestamp, for schemes that carry it inside the signature header. */
  readonly timestamp?: string;
  readonly candidates: readonly SignatureCandidate[];
}

/**
 * A built-in signature scheme.
 *
 * @example `const content = scheme.signedPrefix(id, scheme.formatTimestamp(now)) + body`
 */
export interface Scheme {
  readonly name: SchemeName;
  /** Lowercase header names, for reading. */
  readonly headers: SchemeHeaderNames;
  /** Header names as written by `sign`. */
  readonly wireHeaders: SchemeHeaderNames;
  readonly bodyShape: EnvelopeShape;
  /** Whether the timestamp is part of the signed content: then it must be present, and it is checked against the tolerance. */
  readonly bindsTimestamp: boolean;
  /** Text encoding of the signature bytes. */
  readonly encoding: 'hex' | 'base64';
  /** What a well-formed signature header looks like, for error messages. */
  readonly signatureFormat: string;
  /** What a well-formed timestamp looks like, for error messages. */
  readonly timestampFormat: string;
  /** The timestamp text for an attempt at `date`. */
  formatTimestamp(date: Date): string;
  /** Milliseconds since the epoch, or `undefined` when the text is not a timestamp of this scheme. */
  parseTimestamp(text: string): number | undefined;
  /** The signed content is `signedPrefix(id, timestamp) + body`. */
  signedPrefix(id: string, timestamp: string): string;
  /** The signature header's value for these signatures, in order. */
  formatSignatures(timestamp: string, signatures: readonly EncodedSignature[]): string;
  /** The candidates of a signature header, or `undefined` when it holds none in this scheme's format. */
  parseSignatures(value: string): ParsedSignatureHeader | undefined;
}
