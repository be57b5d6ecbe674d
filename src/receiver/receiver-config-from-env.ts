/**
 * Receiver options from the environment variables the platform already uses.
 *
 * @module
 */
import { ConfigError } from '../errors.js';
import { assertSecretText } from '../signing/secret-rules.js';
import type { SignatureMode } from './receiver-options.js';

/**
 * What {@link receiverConfigFromEnv} reads: spread it into `createReceiver`.
 *
 * @example `const { secret, signature }: ReceiverEnvConfig = receiverConfigFromEnv()`
 */
export interface ReceiverEnvConfig {
  secret?: string;
  signature: SignatureMode;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Reads `WEBHOOK_SIGNATURE_SECRET` and `WEBHOOK_SIGNATURE_VALIDATION_ENABLED` (default `true`).
 * `WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false` means what it says, as on the platform's receiver: signatures are
 * not checked at all (`signature: 'disabled'`). For the rollout step that checks a signature when one is sent, pass
 * `signature: 'optional'` in code. `createReceiver` warns at start when validation is disabled.
 *
 * @param env defaults to `process.env`.
 * @throws {ConfigError} naming the variable: a value that is not a boolean, or validation enabled without a secret
 *   (unset, empty, only whitespace, or the text `undefined` or `null`).
 * @example
 * ```ts
 * const receiver = createReceiver({ ...receiverConfigFromEnv(), catalog: buddyCatalog })
 * ```
 */
export function receiverConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ReceiverEnvConfig {
  const raw = env.WEBHOOK_SIGNATURE_VALIDATION_ENABLED?.trim().toLowerCase();
  let enabled = true;
  if (raw !== undefined && raw !== '') {
    if (FALSE.has(raw)) enabled = false;
    else if (!TRUE.has(raw)) {
      throw new ConfigError(
        `WEBHOOK_SIGNATURE_VALIDATION_ENABLED must be true or false, got ${JSON.stringify(env.WEBHOOK_SIGNATURE_VALIDATION_ENABLED)}`,
        { option: 'WEBHOOK_SIGNATURE_VALIDATION_ENABLED' },
      );
    }
  }
  const secret = env.WEBHOOK_SIGNATURE_SECRET;
  if (enabled && (secret === undefined || secret === '')) {
    throw new ConfigError(
      'WEBHOOK_SIGNATURE_SECRET is not set: set it, or set WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false to accept unsigned events',
      { option: 'WEBHOOK_SIGNATURE_SECRET' },
    );
  }
  // Whitespace, or "undefined" from a templated env file: named by its variable rather than as createReceiver's secret.
  if (enabled && secret !== undefined) assertSecretText(secret, 'WEBHOOK_SIGNATURE_SECRET');
  const config: ReceiverEnvConfig = { signature: enabled ? 'required' : 'disabled' };
  if (secret !== undefined && secret !== '') config.secret = secret;
  return config;
}
