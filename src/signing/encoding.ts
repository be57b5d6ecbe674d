/**
 * Byte/text conversions that work with or without Node's `Buffer`, so the Web Crypto path runs on edge runtimes.
 * With `Buffer` present (Node, Deno, Bun) its native codecs are used; the portable versions are the fallback.
 *
 * @module
 */

const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
const encoder = new TextEncoder();
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const HEX_PATTERN = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * The UTF-8 bytes of a string, or the bytes themselves.
 *
 * @example `toBytes('é') // Uint8Array [0xc3, 0xa9]`
 */
export function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

/**
 * Concatenates two byte arrays into a new one.
 *
 * @example `concatBytes(toBytes('a.'), body)`
 */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Codecs without `Buffer`, exported for the tests that hold them to Node's.
 *
 * @example `portable.encodeHex(new Uint8Array([255])) // 'ff'`
 */
export const portable = {
  decodeBase64(text: string): Uint8Array | undefined {
    if (!BASE64_PATTERN.test(text)) return undefined;
    const binary = atob(text.padEnd(Math.ceil(text.length / 4) * 4, '='));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  },
  encodeBase64(bytes: Uint8Array): string {
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
  decodeHex(text: string): Uint8Array | undefined {
    if (!HEX_PATTERN.test(text)) return undefined;
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
    return out;
  },
  encodeHex(bytes: Uint8Array): string {
    let hex = '';
    for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
    return hex;
  },
};

const view = (bytes: Uint8Array): Buffer =>
  (NodeBuffer as typeof Buffer).from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Strict base64 (standard alphabet, padding optional) to bytes; `undefined` when the text is not base64.
 *
 * @example `decodeBase64('AAE=') // Uint8Array [0, 1]`
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!NodeBuffer) return portable.decodeBase64(text);
  // Node's decoder skips what it does not understand, so the strictness comes from the pattern.
  return BASE64_PATTERN.test(text) ? NodeBuffer.from(text, 'base64') : undefined;
}

/**
 * Base64url (as in a JWK) to bytes; empty when absent or invalid.
 *
 * @example `decodeBase64Url(jwk.x)`
 */
export function decodeBase64Url(text: string | undefined): Uint8Array {
  return decodeBase64((text ?? '').replace(/-/g, '+').replace(/_/g, '/')) ?? new Uint8Array();
}

/**
 * Bytes to standard, padded base64.
 *
 * @example `encodeBase64(new Uint8Array([0, 1])) // 'AAE='`
 */
export function encodeBase64(bytes: Uint8Array): string {
  return NodeBuffer ? view(bytes).toString('base64') : portable.encodeBase64(bytes);
}

/**
 * Hex (either case) to bytes; `undefined` when the text is not hex.
 *
 * @example `decodeHex('00ff') // Uint8Array [0, 255]`
 */
export function decodeHex(text: string): Uint8Array | undefined {
  if (!NodeBuffer) return portable.decodeHex(text);
  // Node stops at the first pair that is not hex, so a short result means the text was not hex.
  const bytes = NodeBuffer.from(text, 'hex');
  return bytes.length * 2 === text.length ? bytes : undefined;
}

/**
 * Bytes to lowercase hex.
 *
 * @example `encodeHex(new Uint8Array([0, 255])) // '00ff'`
 */
export function encodeHex(bytes: Uint8Array): string {
  return NodeBuffer ? view(bytes).toString('hex') : portable.encodeHex(bytes);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_INDEX[BASE64_ALPHABET.charCodeAt(i)] = i;

/**
 * The lowercase form of a hex text of `length` characters, or `undefined` when it is not one. Signatures are
 * compared as text (see the engines), so either case in a header compares equal to the computed lowercase digest.
 *
 * @example `canonicalHex('00FF', 4) // '00ff'`
 */
export function canonicalHex(text: string, length: number): string | undefined {
  if (text.length !== length) return undefined;
  let upper = false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) continue; // 0-9
    if (c >= 97 && c <= 102) continue; // a-f
    if (c >= 65 && c <= 70)
      upper = true; // A-F
    else return undefined;
  }
  return upper ? text.toLowerCase() : text;
}

/**
 * The canonical base64 (padded, unused bits zero: what encoders write) of a base64 text that decodes to exactly
 * `byteLength` bytes, or `undefined` when it does not. The canonical text is checked in one pass; any other
 * accepted spelling (no padding, non-zero unused bits) is decoded and encoded again.
 *
 * @example `canonicalBase64('AAE', 2) // 'AAE='`
 */
export function canonicalBase64(text: string, byteLength: number): string | undefined {
  const padding = (3 - (byteLength % 3)) % 3;
  const dataChars = Math.ceil((byteLength * 4) / 3);
  if (text.length === dataChars + padding && isCanonicalBase64(text, dataChars, padding)) return text;
  if (text.length !== dataChars && text.length !== dataChars + padding) return undefined;
  const bytes = decodeBase64(text);
  return bytes?.length === byteLength ? encodeBase64(bytes) : undefined;
}

function isCanonicalBase64(text: string, dataChars: number, padding: number): boolean {
  let last = 0;
  for (let i = 0; i < dataChars; i++) {
    const c = text.charCodeAt(i);
    last = c < 128 ? (BASE64_INDEX[c] as number) : -1;
    if (last < 0) return false;
  }
  for (let i = dataChars; i < text.length; i++) if (text.charCodeAt(i) !== 61) return false; // '='
  // One padding character leaves 2 unused bits in the last data character, two leave 4.
  return (last & ((1 << (padding * 2)) - 1)) === 0;
}

/**
 * Constant-time equality of two byte arrays of equal length (false, at once, when the lengths differ).
 *
 * @example `constantTimeEqual(expectedMac, receivedMac)`
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/**
 * Constant-time equality of two strings of equal length (false, at once, when the lengths differ): for signatures
 * compared as text in their encoding.
 *
 * @example `constantTimeEqualText(computedHex, headerHex)`
 */
export function constantTimeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
