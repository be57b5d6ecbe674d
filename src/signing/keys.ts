/**
 * Turns the `secret`/`secrets` options into key material, once, with the checks that catch the usual mistakes
 * (empty secret, copy-pasted whitespace, a public key used to sign).
 *
 * Which meaning of `whsec_`: the Standard Webhooks one. `whsec_<base64>` is the base64 of the key bytes, so with
 * `keyEncoding: 'auto'` (the default) and the `standard-webhooks` scheme the part after the prefix is decoded. Stripe
 * uses the same prefix but keys its HMAC with the whole string's bytes (use `keyEncoding: 'utf8'` for that); other
 * senders (Outpost among them) have their own conventions. For every other scheme `auto` uses the string's bytes.
 *
 * @module
 */
import { ConfigError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { decodeBase64, toBytes } from './encoding.js';
import { SIGNATURE_HEADER_LIMITS } from './schemes/scheme.js';
import type { KeyEncoding, SchemeName, SecretInput } from './types.js';

/**
 * Key bytes ready for an engine.
 *
 * @example `const key: KeyMaterial = { kind: 'hmac', bytes: toBytes('secret') }`
 */
export type KeyMaterial =
  | { readonly kind: 'hmac'; readonly bytes: Uint8Array }
  | { readonly kind: 'ed25519-private'; readonly seed: Uint8Array }
  | { readonly kind: 'ed25519-public'; readonly publicKey: Uint8Array };

/**
 * The Standard Webhooks prefixes: HMAC secret, ed25519 signing (secret) key, ed25519 public key.
 *
 * @example `secret.startsWith(KEY_PREFIXES.publicKey)`
 */
export const KEY_PREFIXES = { secret: 'whsec_', signingKey: 'whsk_', publicKey: 'whpk_' } as const;

const KEY_ENCODINGS: readonly KeyEncoding[] = ['utf8', 'base64', 'auto'];
const ED25519_SEED_BYTES = 32;
const NACL_SECRET_KEY_BYTES = 64;
let warnedProcess = false;

interface DecodeOptions {
  readonly scheme: SchemeName;
  readonly secret?: SecretInput | undefined;
  readonly secrets?: readonly SecretInput[] | undefined;
  readonly keyEncoding?: KeyEncoding | undefined;
  readonly logger?: Logger | undefined;
}

function warnWhitespace(option: string, logger: Logger | undefined): void {
  const message = `the ${option} option has surrounding whitespace; it is used as given, check that it matches the sender's`;
  if (logger) {
    logger.warn({ operation: 'signing.key', option }, message);
    return;
  }
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } }).process;
  if (warnedProcess || typeof proc?.emitWarning !== 'function') return;
  warnedProcess = true;
  proc.emitWarning(message, { type: 'TeeiEventRelayWarning', code: 'TEEI_SECRET_WHITESPACE' });
}

function decodeBase64Option(text: string, option: string, what: string): Uint8Array {
  const bytes = decodeBase64(text);
  if (!bytes) {
    const hint = text.trim() === text ? '' : ' (it has surrounding whitespace)';
    throw new ConfigError(`${option} must be ${what}${hint}`, { option });
  }
  return bytes;
}

function decodeEd25519(text: string, option: string): KeyMaterial {
  if (text.startsWith(KEY_PREFIXES.publicKey)) {
    const publicKey = decodeBase64Option(text.slice(KEY_PREFIXES.publicKey.length), option, 'whpk_<base64>');
    if (publicKey.length !== ED25519_SEED_BYTES) {
      throw new ConfigError(`${option}: a whpk_ key is the base64 of a 32-byte ed25519 public key`, { option });
    }
    return { kind: 'ed25519-public', publicKey };
  }
  const bytes = decodeBase64Option(text.slice(KEY_PREFIXES.signingKey.length), option, 'whsk_<base64>');
  // 32 bytes is the seed; 64 bytes is the NaCl/libsodium form (seed then public key), whose seed we take.
  if (bytes.length !== ED25519_SEED_BYTES && bytes.length !== NACL_SECRET_KEY_BYTES) {
    throw new ConfigError(
      `${option}: a whsk_ key is the base64 of a 32-byte ed25519 seed (or of 64 bytes, seed then public key)`,
      { option },
    );
  }
  return { kind: 'ed25519-private', seed: bytes.subarray(0, ED25519_SEED_BYTES) };
}

function decodeOne(secret: SecretInput, option: string, options: DecodeOptions, encoding: KeyEncoding): KeyMaterial {
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) throw new ConfigError(`${option} is empty: give the shared secret`, { option });
    return { kind: 'hmac', bytes: secret };
  }
  if (typeof secret !== 'string') throw new TypeError(`${option} must be a string or a Uint8Array`);
  if (secret.length === 0) throw new ConfigError(`${option} is empty: give the shared secret`, { option });
  if (secret.trim() !== secret) warnWhitespace(option, options.logger);
  const isStandard = options.scheme === 'standard-webhooks';
  if (isStandard && encoding !== 'utf8') {
    if (secret.startsWith(KEY_PREFIXES.signingKey) || secret.startsWith(KEY_PREFIXES.publicKey)) {
      return decodeEd25519(secret, option);
    }
  }
  let bytes: Uint8Array;
  if (encoding === 'base64') {
    const text = secret.startsWith(KEY_PREFIXES.secret) ? secret.slice(KEY_PREFIXES.secret.length) : secret;
    bytes = decodeBase64Option(text, option, 'base64 (keyEncoding is base64)');
  } else if (encoding === 'auto' && isStandard && secret.startsWith(KEY_PREFIXES.secret)) {
    bytes = decodeBase64Option(secret.slice(KEY_PREFIXES.secret.length), option, 'whsec_<base64>');
  } else {
    bytes = toBytes(secret);
  }
  if (bytes.length === 0) throw new ConfigError(`${option} decodes to no bytes: give the shared secret`, { option });
  return { kind: 'hmac', bytes };
}

/**
 * The key material of `secret` or `secrets`, in order.
 *
 * @throws ConfigError when no secret is given, one is empty or does not decode, or more than 16 are given.
 * @throws TypeError when both `secret` and `secrets` are given, or `keyEncoding` is unknown.
 *
 * @example `decodeKeys({ scheme: 'standard-webhooks', secrets: ['whsec_…', 'whsk_…'] })`
 */
export function decodeKeys(options: DecodeOptions): KeyMaterial[] {
  const encoding = options.keyEncoding ?? 'auto';
  if (!KEY_ENCODINGS.includes(encoding)) {
    throw new TypeError(
      `keyEncoding must be one of ${KEY_ENCODINGS.join(', ')}; got ${JSON.stringify(String(encoding))}`,
    );
  }
  if (options.secret !== undefined && options.secrets !== undefined) {
    throw new TypeError('give either the secret option or the secrets option, not both');
  }
  if (options.secret !== undefined) return [decodeOne(options.secret, 'secret', options, encoding)];
  if (options.secrets === undefined) {
    throw new ConfigError('a secret is required: set the secret (or secrets) option', { option: 'secret' });
  }
  if (!Array.isArray(options.secrets) || options.secrets.length === 0) {
    throw new ConfigError('secrets must be a non-empty array of secrets', { option: 'secrets' });
  }
  if (options.secrets.length > SIGNATURE_HEADER_LIMITS.maxSignatures) {
    throw new ConfigError(
      `secrets holds more than ${SIGNATURE_HEADER_LIMITS.maxSignatures} secrets: verifiers refuse a header with more signatures than that`,
      { option: 'secrets' },
    );
  }
  return options.secrets.map((secret, index) => decodeOne(secret, `secrets[${index}]`, options, encoding));
}
