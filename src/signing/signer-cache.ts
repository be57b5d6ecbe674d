/**
 * The memo behind the one-shot `sign()` and `verify()`: a signer or verifier per set of key options, so a caller
 * that signs many requests with the same secret pays the key import (base64 decoding, `createSecretKey`, ed25519
 * key parsing) once instead of on every call.
 *
 * What is cached, and what is not:
 * - Only options that built successfully: a bad option throws from the factory before anything is stored, so it
 *   throws again on the next call.
 * - Not options with a `logger`: a cache keyed by the logger would keep the caller's logger alive. Those calls build a
 *   fresh signer or verifier, as before; their key warnings (whitespace, short secret…) reach that logger once per
 *   kind and option, not on every call.
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
import type { Logger, LogRecord } from '../observability/logger.js';
import { createSigner } from './create-signer.js';
import { createVerifier } from './create-verifier.js';
import { encodeBase64 } from './encoding.js';
import { SIGNATURE_HEADER_LIMITS } from './schemes/scheme.js';
import type { KeyOptions, SecretInput, Signer, Verifier, VerifierOptions } from './types.js';

/**
 * How many signers (and, separately, how many verifiers) the one-shot functions keep.
 *
 * @example `for (const secret of tenantSecrets.slice(0, SIGNER_CACHE_SIZE)) await sign({ secret, id, body })`
 */
export const SIGNER_CACHE_SIZE = 64;

/** A map bounded to {@link SIGNER_CACHE_SIZE} entries, least recently used first out. */
function lruMap<V>() {
  const entries = new Map<string, V>();
  let newest: string | undefined;
  return {
    get(key: string): V | undefined {
      const value = entries.get(key);
      // Move it to the newest end, so a key in steady use survives a churn of one-off keys (not needed, and skipped,
      // when it is already there: the common case of one secret used over and over).
      if (value !== undefined && key !== newest) {
        entries.delete(key);
        entries.set(key, value);
        newest = key;
      }
      return value;
    },
    set(key: string, value: V): void {
      entries.set(key, value);
      newest = key;
      if (entries.size > SIGNER_CACHE_SIZE) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
  };
}

const warned = new WeakMap<Logger, Set<string>>();

/** The caller's logger, passing each kind of key warning on once (methods called on it: pino's use `this`). */
function warningsOnce(logger: Logger): Logger {
  let once = warned.get(logger);
  if (once === undefined) {
    once = new Set();
    warned.set(logger, once);
  }
  const seen = once;
  return {
    debug: (obj, msg) => logger.debug(obj, msg),
    info: (obj, msg) => logger.info(obj, msg),
    warn(obj: LogRecord, msg?: string) {
      const key = `${String(obj.code)}|${String(obj.option)}`;
      if (seen.has(key)) return;
      seen.add(key);
      logger.warn(obj, msg);
    },
    error: (obj, msg) => logger.error(obj, msg),
  };
}

const signers = lruMap<Signer>();
const verifiers = lruMap<Verifier>();

// Every part is tagged by its type and strings are length-prefixed, so that no two distinct option values give one
// key: `undefined` ('u') is not the empty string ('s0:'), a string is not bytes of the same text ('b'), NaN ('nNaN;')
// is not an absent tolerance, and no secret's text can pose as the next part.
function tagPart(value: unknown): string | undefined {
  if (value === undefined) return 'u';
  if (typeof value === 'string') return `s${value.length}:${value}`;
  if (value instanceof Uint8Array) {
    const text = encodeBase64(value);
    return `b${text.length}:${text}`;
  }
  return undefined;
}

/** The cache key of these options, or `undefined` when they are not cached (see the module comment). */
function keyOf(options: VerifierOptions, withTolerance: boolean): string | undefined {
  if (typeof options !== 'object' || options === null || options.logger !== undefined) return undefined;
  const { scheme, keyEncoding, secret, secrets } = options;
  const name = typeof scheme === 'string' ? tagPart(scheme) : scheme === undefined ? 'u' : undefined;
  const encoding = typeof keyEncoding === 'string' ? tagPart(keyEncoding) : keyEncoding === undefined ? 'u' : undefined;
  const single = tagPart(secret);
  if (name === undefined || encoding === undefined || single === undefined) return undefined;
  let key = name + encoding + single;
  if (withTolerance) {
    const tolerance: unknown = options.toleranceSeconds;
    if (tolerance === undefined) key += 'u';
    else if (typeof tolerance === 'number') key += `n${tolerance};`;
    else return undefined;
  }
  if (secrets === undefined) return `${key}u`;
  if (!Array.isArray(secrets) || secrets.length > SIGNATURE_HEADER_LIMITS.maxSignatures) return undefined;
  key += `a${secrets.length};`;
  for (const item of secrets) {
    const tagged = tagPart(item);
    if (tagged === undefined || item === undefined) return undefined;
    key += tagged;
  }
  return key;
}

/** The options as given, with a logger that hears each key warning once (see {@link warningsOnce}). */
function withLogger<O extends KeyOptions>(options: O): O {
  const logger = typeof options === 'object' && options !== null ? options.logger : undefined;
  return logger ? { ...options, logger: warningsOnce(logger) } : options;
}

/** The key options, read again for a signer or verifier about to be cached, with `Uint8Array` secrets copied. */
function ownedKeyOptions(options: KeyOptions): KeyOptions {
  // `new Uint8Array(view)` copies; `Buffer#slice` would not.
  const copy = (value: SecretInput): SecretInput => (typeof value === 'string' ? value : new Uint8Array(value));
  const { scheme, keyEncoding, secret, secrets } = options;
  const owned: KeyOptions = {};
  if (scheme !== undefined) owned.scheme = scheme;
  if (keyEncoding !== undefined) owned.keyEncoding = keyEncoding;
  if (secret !== undefined) owned.secret = copy(secret);
  if (secrets !== undefined) owned.secrets = secrets.map(copy);
  return owned;
}

/**
 * The signer for these key options: a cached one when the same options built one before, else a new one (cached
 * when the options allow it, see the module comment).
 *
 * @throws ConfigError or TypeError on bad options, as `createSigner` does, on every call.
 * @example `const headers = await cachedSigner({ secret }).sign({ id, body })`
 */
export function cachedSigner(options: KeyOptions): Signer {
  const key = keyOf(options, false);
  if (key === undefined) return createSigner(withLogger(options));
  const hit = signers.get(key);
  if (hit) return hit;
  const signer = createSigner(ownedKeyOptions(options));
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
  const key = keyOf(options, true);
  if (key === undefined) return createVerifier(withLogger(options));
  const hit = verifiers.get(key);
  if (hit) return hit;
  const owned: VerifierOptions = ownedKeyOptions(options);
  if (options.toleranceSeconds !== undefined) owned.toleranceSeconds = options.toleranceSeconds;
  const verifier = createVerifier(owned);
  verifiers.set(key, verifier);
  return verifier;
}
