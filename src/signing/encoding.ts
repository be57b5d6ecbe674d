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

// Character code → 1 for a lowercase hex digit, 2 for an uppercase one; base64 character code → its value, or -1.
const HEX_KIND = new Uint8Array(128);
for (const c of '0123456789abcdef') HEX_KIND[c.charCodeAt(0)] = 1;
for (const c of 'ABCDEF') HEX_KIND[c.charCodeAt(0)] = 2;
const BASE64_INDEX = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  BASE64_INDEX[c.charCodeAt(0)] = i;
}

/**
 * The lowercase form of the hex text `value[start..end)`, or `undefined` when it is not hex. Signatures are compared
 * as text (see the engines), so either case in a header compares equal to the computed lowercase digest. Checked in
 * place, before any slice: measured, half the cost of checking the sliced text.
 *
 * @example `canonicalHex('sha256=00FF', 7, 11) // '00ff'`
 */
export function canonicalHex(value: string, start: number, end: number): string | undefined {
  let kinds = 0;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    const kind = c < 128 ? (HEX_KIND[c] as number) : 0;
    if (kind === 0) return undefined;
    kinds |= kind;
  }
  const text = value.slice(start, end);
  return kinds & 2 ? text.toLowerCase() : text;
}

/**
 * The canonical base64 (padded, unused bits zero: what encoders write) of the base64 text `value[start..end)` when
 * it decodes to exactly `byteLength` bytes, else `undefined`. The canonical form is checked in one pass, in place;
 * any other accepted spelling (no padding, non-zero unused bits) is decoded and encoded again.
 *
 * @example `canonicalBase64('v1,AAE', 3, 6, 2) // 'AAE='`
 */
export function canonicalBase64(value: string, start: number, end: number, byteLength: number): string | undefined {
  const padding = (3 - (byteLength % 3)) % 3;
  const dataChars = Math.ceil((byteLength * 4) / 3);
  const length = end - start;
  if (length === dataChars + padding && isCanonicalBase64(value, start, dataChars, padding)) {
    return value.slice(start, end);
  }
  if (length !== dataChars && length !== dataChars + padding) return undefined;
  const bytes = decodeBase64(value.slice(start, end));
  return bytes?.length === byteLength ? encodeBase64(bytes) : undefined;
}

function isCanonicalBase64(value: string, start: number, dataChars: number, padding: number): boolean {
  let last = 0;
  for (let i = start; i < start + dataChars; i++) {
    const c = value.charCodeAt(i);
    last = c < 128 ? (BASE64_INDEX[c] as number) : -1;
    if (last < 0) return false;
  }
  for (let i = start + dataChars; i < start + dataChars + padding; i++) {
    if (value.charCodeAt(i) !== 61) return false; // '='
  }
  // One padding character leaves 2 unused bits in the last data character, two leave 4.
  return (last & ((1 << (padding * 2)) - 1)) === 0;
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
