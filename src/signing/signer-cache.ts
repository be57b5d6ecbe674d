/**
 * The memo behind the one-shot `sign()` and `verify()`: a signer or verifier per set of key options, so a caller
 * that signs many requests with the same secret pays the key import (base64 decoding, `createSecretKey`, ed25519
 * key parsing) once instead of on every call.
 *
 * What is cached, and what is not:
 * - Only options that built successfully: a bad option throws from the factory before anything is stored, so it
 *   throws again on the next call.
 * - Not options with a `logger`: the whitespace warning goes to the logger on every build, and a cache keyed by the
 *   logger would keep the caller's logger alive. Those calls build a fresh signer or verifier, as before.
 * - Not options of an unexpected type (a `secrets` that is not an array, a `toleranceSeconds` that is not a number…):
 *   they go straight to the factory, which names the option in its error.
 * - `Uint8Array` secrets are keyed by their base64 content, read on every call, and the cached signer is built from
 *   a copy: a caller that reuses or overwrites its buffer gets the key it holds at the time of the call.
 *
 * The key holds the secrets themselves (as the cached `KeyObject`s already do) in this process-local map; it is
 * never logged nor printed. At most {@link SIGNER_CACHE_SIZE} signers and as many verifiers are kept; the least
 * recently used one is dropped first.
 *
 * @module
 */
import { createSigner } from './create-signer.js';
import { createVerifier } from './create-verifier.js';
import { encodeBase64 } from './encoding.js';
import { SIGNATURE_HEADER_LIMITS } from './schemes/scheme.js';
import type { SecretInput, Signer, SignerOptions, Verifier, VerifierOptions } from './types.js';

/**
 * How many signers (and, separately, how many verifiers) the one-shot functions keep.
 *
 * @example `for (const secret of tenantSecrets.slice(0, SIGNER_CACHE_SIZE)) await sign({ secret, id, body })`
 */
export const SIGNER_CACHE_SIZE = 64;

/** A map bounded to {@link SIGNER_CACHE_SIZE} entries, least recently used first out. */
function lruMap<V>() {
  const entries = new Map<string, V>();
  return {
    get(key: string): V | undefined {
      const value = entries.get(key);
      // Move it to the newest end, so a key in steady use survives a churn of one-off keys.
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key: string, value: V): void {
      entries.set(key, value);
      if (entries.size > SIGNER_CACHE_SIZE) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
  };
}

const signers = lruMap<Signer>();
const verifiers = lruMap<Verifier>();

// Every part is tagged by its type so that no two distinct option values give one key: `undefined` ('u') is not
// the empty string ('s'), a string is not bytes of the same text ('b'), NaN ('nNaN') is not an absent tolerance.
function tagSecret(secret: unknown): string | undefined {
  if (secret === undefined) return 'u';
  if (typeof secret === 'string') return `s${secret}`;
  if (secret instanceof Uint8Array) return `b${encodeBase64(secret)}`;
  return undefined;
}

function tagName(value: unknown): string | undefined {
  if (value === undefined) return 'u';
  return typeof value === 'string' ? `s${value}` : undefined;
}

interface Keyed {
  /** The cache key, or `undefined` when these options are not cached. */
  readonly key: string | undefined;
  /** The key options as read for the key, with `Uint8Array` secrets copied. */
  readonly options: SignerOptions;
}

/** Reads the key options once, so that the cached signer is built from exactly the values in its key. */
function keyOf(options: SignerOptions, tolerance: unknown, withTolerance: boolean): Keyed {
  if (typeof options !== 'object' || options === null || options.logger !== undefined) {
    return { key: undefined, options };
  }
  const { scheme, keyEncoding, secret, secrets } = options;
  const parts = [tagName(scheme), tagName(keyEncoding), tagSecret(secret)];
  if (withTolerance)
    parts.push(tolerance === undefined ? 'u' : typeof tolerance === 'number' ? `n${tolerance}` : undefined);
  if (secrets === undefined) parts.push('u');
  else if (Array.isArray(secrets) && secrets.length <= SIGNATURE_HEADER_LIMITS.maxSignatures) {
    parts.push(`a${secrets.length}`);
    for (const item of secrets) parts.push(tagSecret(item));
  } else parts.push(undefined);
  if (parts.includes(undefined)) return { key: undefined, options };

  // `new Uint8Array(view)` copies; `Buffer#slice` would not.
  const copy = (value: SecretInput): SecretInput => (typeof value === 'string' ? value : new Uint8Array(value));
  const read: SignerOptions = {};
  if (scheme !== undefined) read.scheme = scheme;
  if (keyEncoding !== undefined) read.keyEncoding = keyEncoding;
  if (secret !== undefined) read.secret = copy(secret);
  if (secrets !== undefined) read.secrets = secrets.map(copy);
  return { key: JSON.stringify(parts), options: read };
}

/**
 * The signer for these key options: a cached one when the same options built one before, else a new one (cached
 * when the options allow it, see the module comment).
 *
 * @throws ConfigError or TypeError on bad options, as `createSigner` does, on every call.
 * @example `const headers = await cachedSigner({ secret }).sign({ id, body })`
 */
export function cachedSigner(options: SignerOptions): Signer {
  const { key, options: read } = keyOf(options, undefined, false);
  if (key === undefined) return createSigner(options);
  const hit = signers.get(key);
  if (hit) return hit;
  const signer = createSigner(read);
  signers.set(key, signer);
  return signer;
}

/**
 * The verifier for these key options and `toleranceSeconds`: a cached one when the same options built one before,
 * else a new one (cached when the options allow it, see the module comment).
 *
 * @throws ConfigError or TypeError on bad options, as `createVerifier` does, on every call.
 * @example `const { id } = await cachedVerifier({ secret }).verify({ headers, body })`
 */
export function cachedVerifier(options: VerifierOptions): Verifier {
  const tolerance: unknown = options?.toleranceSeconds;
  const { key, options: read } = keyOf(options, tolerance, true);
  if (key === undefined) return createVerifier(options);
  const hit = verifiers.get(key);
  if (hit) return hit;
  const verifier = createVerifier(tolerance === undefined ? read : { ...read, toleranceSeconds: tolerance as number });
  verifiers.set(key, verifier);
  return verifier;
}
