/**
 * The rules every secret meets, wherever it enters (signer, verifier, receiver, transports all decode keys through
 * `decodeKeys`): refused when it cannot be a secret, warned about when it is weak or ambiguous. No message carries the
 * secret, nor its length.
 *
 * @module
 */
import { ConfigError } from '../errors.js';
import type { Logger } from '../observability/logger.js';

/**
 * The shortest secrets accepted without a warning, in key bytes. A text secret (its UTF-8 bytes are the key) may
 * be typed by a person, so it needs more bytes for the same strength than a decoded or raw key, which is random by
 * construction: 24 bytes is the Standard Webhooks minimum, and the size `svix` generates.
 *
 * @example `if (Buffer.byteLength(secret) < SECRET_MIN_BYTES.text) console.warn('use generateSecret()')`
 */
export const SECRET_MIN_BYTES = Object.freeze({ text: 32, decoded: 24 });

/**
 * The codes of the warnings about a secret, as `process.emitWarning` codes and in the logger record's `code`.
 *
 * @example `process.on('warning', (w) => { if ((w as { code?: string }).code === 'TEEI_SECRET_SHORT') alert(w) })`
 */
export type SecretWarningCode = 'TEEI_SECRET_WHITESPACE' | 'TEEI_SECRET_SHORT' | 'TEEI_SECRET_NOT_BASE64';

const warnedProcess = new Set<SecretWarningCode>();

/**
 * Sends one warning about a secret: to the logger when one is given (once per signer or verifier created), else to
 * `process.emitWarning` once per process and code (a signer built per request must not flood the console).
 *
 * @internal
 */
export function warnSecret(logger: Logger | undefined, code: SecretWarningCode, option: string, message: string) {
  if (logger) {
    // A logger that throws must not make a valid secret fail.
    try {
      logger.warn({ operation: 'signing.key', option, code }, message);
    } catch {}
    return;
  }
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } }).process;
  if (warnedProcess.has(code) || typeof proc?.emitWarning !== 'function') return;
  warnedProcess.add(code);
  proc.emitWarning(message, { type: 'TeeiEventRelayWarning', code });
}

// What an unset value becomes once turned into text: `${process.env.X}`, String(undefined), a YAML null…
const PLACEHOLDERS = new Set(['undefined', 'null']);

/**
 * Refuses a string that cannot be a shared secret: empty, only whitespace, or the text an unset value turns into.
 *
 * @internal
 * @throws {ConfigError} naming the option; the message never holds the secret.
 */
export function assertSecretText(secret: string, option: string): void {
  if (secret.length === 0) throw new ConfigError(`${option} is empty: give the shared secret`, { option });
  const trimmed = secret.trim();
  if (trimmed.length === 0) {
    throw new ConfigError(`${option} is only whitespace: give the shared secret`, { option });
  }
  if (PLACEHOLDERS.has(trimmed.toLowerCase())) {
    throw new ConfigError(
      `${option} is the placeholder an unset value turns into when made text, not a secret: check that the ` +
        'environment variable (or setting) that holds the secret is set where this process runs',
      { option },
    );
  }
}

/**
 * Warns when the key is shorter than {@link SECRET_MIN_BYTES}. `decoded`: the bytes came from base64 or were given
 * raw, rather than being a text's UTF-8 bytes.
 *
 * @internal
 */
export function checkSecretLength(bytes: Uint8Array, decoded: boolean, option: string, logger: Logger | undefined) {
  const min = decoded ? SECRET_MIN_BYTES.decoded : SECRET_MIN_BYTES.text;
  if (bytes.length >= min) return;
  warnSecret(
    logger,
    'TEEI_SECRET_SHORT',
    option,
    `the ${option} option is shorter than ${min} bytes, which makes forged signatures easier to find: use a random ` +
      'secret of at least that length (generateSecret() makes one) on both sides',
  );
}
