/**
 * Turns the `secret`/`secrets` options into key material, once, with the checks that catch the usual mistakes
 * (empty secret, copy-pasted whitespace, a public key used to sign).
 *
 * Which meaning of `whsec_`: the Standard Webhooks one. `whsec_<base64>` is the base64 of the key bytes, so with
 * `keyEncoding: 'auto'` (the default) and the `standard-webhooks` scheme the part after the prefix is decoded, and so
 * is a bare base64 secret without the prefix, as the `standardwebhooks` and `svix` libraries read it (a secret that is
 * not base64 keeps its UTF-8 bytes, with a warning). Stripe uses the same prefix but keys its HMAC with the whole
 * string's bytes (use `keyEncoding: 'utf8'` for that); other senders (Outpost among them) have their own conventions.
 * For every other scheme `auto` uses the string's bytes.
 *
 * @module
 */
import { ConfigError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { decodeBase64, toBytes } from './encoding.js';
import { SIGNATURE_HEADER_LIMITS } from './schemes/scheme.js';
import { assertSecretText, checkSecretLength, warnSecret } from './secret-rules.js';
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

interface DecodeOptions {
  readonly scheme: SchemeName;
  readonly secret?: SecretInput | undefined;
  readonly secrets?: readonly SecretInput[] | undefined;
  readonly keyEncoding?: KeyEncoding | undefined;
  readonly logger?: Logger | undefined;
}

function warnWhitespace(option: string, logger: Logger | undefined): void {
  const message = `the ${option} option has surrounding whitespace; it is used as given, check that it matches the sender's`;
  warnSecret(logger, 'TEEI_SECRET_WHITESPACE', option, message);
}

function warnNotBase64(option: string, logger: Logger | undefined): void {
  const message =
    `the ${option} option is neither whsec_<base64> nor base64, so its UTF-8 bytes are the key: Standard Webhooks ` +
    "libraries (standardwebhooks, svix) cannot use such a secret. Check the sender's, or set keyEncoding: 'utf8' to " +
    'say that this is meant';
  warnSecret(logger, 'TEEI_SECRET_NOT_BASE64', option, message);
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
  const { logger } = options;
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) throw new ConfigError(`${option} is empty: give the shared secret`, { option });
    checkSecretLength(secret, true, option, logger);
    return { kind: 'hmac', bytes: secret };
  }
  if (secret === undefined || secret === null) {
    throw new ConfigError(`${option} is ${secret}: give the shared secret (is its environment variable set?)`, {
      option,
    });
  }
  if (typeof secret !== 'string') throw new TypeError(`${option} must be a string or a Uint8Array`);
  assertSecretText(secret, option);
  if (secret.trim() !== secret) warnWhitespace(option, logger);
  const isStandard = options.scheme === 'standard-webhooks';
  if (isStandard && encoding !== 'utf8') {
    if (secret.startsWith(KEY_PREFIXES.signingKey) || secret.startsWith(KEY_PREFIXES.publicKey)) {
      return decodeEd25519(secret, option);
    }
  }
  let bytes: Uint8Array;
  let decoded = true;
  if (encoding === 'base64') {
    const text = secret.startsWith(KEY_PREFIXES.secret) ? secret.slice(KEY_PREFIXES.secret.length) : secret;
    bytes = decodeBase64Option(text, option, 'base64 (keyEncoding is base64)');
  } else if (encoding === 'auto' && isStandard && secret.startsWith(KEY_PREFIXES.secret)) {
    bytes = decodeBase64Option(secret.slice(KEY_PREFIXES.secret.length), option, 'whsec_<base64>');
  } else if (encoding === 'auto' && isStandard) {
    // A bare secret: the peers decode it as base64 (their own tests say so), so base64 text is read as they read it.
    const bare = decodeBase64(secret);
    if (bare !== undefined && bare.length > 0) bytes = bare;
    else {
      warnNotBase64(option, logger);
      bytes = toBytes(secret);
      decoded = false;
    }
  } else {
    bytes = toBytes(secret);
    decoded = false;
  }
  if (bytes.length === 0) throw new ConfigError(`${option} decodes to no bytes: give the shared secret`, { option });
  checkSecretLength(bytes, decoded, option, logger);
  return { kind: 'hmac', bytes };
}

/**
 * The key material of `secret` or `secrets`, in order.
 *
 * @throws ConfigError when no secret is given, one is empty, only whitespace, the text `undefined` or `null`, or does
 *   not decode, or more than 16 are given.
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
    throw new ConfigError(
      'a secret is required: set the secret (or secrets) option; when it is read from the environment, check that the variable is set',
      { option: 'secret' },
    );
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
