/**
 * `createSigner`: decodes the keys once and signs requests with them, for the publisher's hot path.
 *
 * @module
 */
import type { Engine } from './engine/engine.js';
import { defaultEngine } from './engine/select-engine.js';
import { decodeKeys } from './keys.js';
import { assertBody, assertDate, resolveScheme } from './options.js';
import type { EncodedSignature, Scheme } from './schemes/scheme.js';
import type { KeyOptions, Signer, SignInput } from './types.js';

const SPACE = 0x20;
const TILDE = 0x7e;

// The id travels in a header and, for most schemes, is signed: it must reach the receiver unchanged. So printable
// ASCII only (no line break to smuggle a header, no character an HTTP stack rejects or re-decodes) and no space at
// either end (parsers trim it, and the receiver would then sign another id). A loop: this runs on every signature.
function isHeaderSafe(id: string): boolean {
  const last = id.length - 1;
  if (last < 0 || id.charCodeAt(0) === SPACE || id.charCodeAt(last) === SPACE) return false;
  for (let i = 0; i <= last; i++) {
    const c = id.charCodeAt(i);
    if (c < SPACE || c > TILDE) return false;
  }
  return true;
}

function headersFor(scheme: Scheme, id: string, timestamp: string, signatures: readonly EncodedSignature[]) {
  const wire = scheme.wireHeaders;
  const headers: Record<string, string> = { [wire.id]: id };
  if (wire.timestamp !== undefined) headers[wire.timestamp] = timestamp;
  headers[wire.signature] = scheme.formatSignatures(timestamp, signatures);
  return headers;
}

export type { KeyOptions, Signer, SignInput } from './types.js';

/**
 * Builds a signer on a given engine; `createSigner` uses the runtime's default engine.
 *
 * @example `const signer = buildSigner({ secret }, webEngine(crypto.subtle))`
 */
export function buildSigner(options: KeyOptions, engine: Engine): Signer {
  const scheme = resolveScheme(options.scheme);
  const keys = decodeKeys({ ...options, scheme: scheme.name });
  const ring = engine.createKeyRing(keys, scheme.encoding, 'sign');

  let lastMs = Number.NaN;
  let lastText = '';

  /** Checks the input and returns the signed prefix; the timestamp text is left in `lastText`. */
  function prepare(input: SignInput): string {
    if (typeof input?.id !== 'string' || !isHeaderSafe(input.id)) {
      throw new TypeError('id must be a non-empty string of printable ASCII, without a space at either end');
    }
    assertBody(input.body);
    const date = input.timestamp ?? new Date();
    assertDate(date, 'timestamp');
    const ms = date.getTime();
    // Requests signed in the same millisecond share the text: toISOString is a visible part of a 1 KB signature.
    if (ms !== lastMs) {
      lastText = scheme.formatTimestamp(date);
      lastMs = ms;
    }
    return scheme.signedPrefix(input.id, lastText);
  }

  const signSync = ring.signSync;
  const signer: Signer = {
    scheme: scheme.name,
    async sign(input) {
      const prefix = prepare(input);
      const timestamp = lastText;
      // On node:crypto the work is synchronous: skip the engine's extra promise.
      const signatures = signSync ? signSync(prefix, input.body) : await ring.sign(prefix, input.body);
      return headersFor(scheme, input.id, timestamp, signatures);
    },
  };
  if (!signSync) return signer;
  return {
    ...signer,
    signSync(input) {
      const prefix = prepare(input);
      return headersFor(scheme, input.id, lastText, signSync(prefix, input.body));
    },
  };
}

/**
 * A signer with its keys decoded once: the headers for each request, several signatures per header when several
 * secrets are given (rotation). `signSync` is there when `node:crypto` is (Node, Deno, Bun).
 *
 * @param options - `scheme` (default `teei-v1`), `secret` or `secrets`, `keyEncoding` (default `auto`), `logger`.
 * @returns A {@link Signer}.
 * @throws ConfigError when a secret is missing, empty or does not decode, or a `whpk_` public key is given.
 * @throws TypeError on an unknown `scheme` or `keyEncoding`, or both `secret` and `secrets`.
 * @example
 * ```ts
 * const signer = createSigner({ secret: process.env.CSR_WEBHOOK_SECRET! })
 * const headers = await signer.sign({ id: envelope.metadata.id, body })
 * await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
 * ```
 */
export function createSigner(options: KeyOptions): Signer {
  return buildSigner(options, defaultEngine());
}
