/**
 * The flags of the commands that deliver (`send`, `dlq redrive`): where to, and the retry schedule. They are checked
 * by the library's own `publisherConfigFromEnv`, so a flag and its `CSR_WEBHOOK_*` variable accept the same values
 * and map to the same options.
 *
 * @module
 */
import {
  DEFAULTS,
  type HttpTransportOptions,
  isEventRelayError,
  type KeyOptions,
  publisherConfigFromEnv,
  type RetryOptions,
  type SchemeName,
} from '../index.js';
import type { FlagSpecs } from './args.js';
import { UsageError } from './cli-errors.js';

/**
 * `--url`, `--retries`, `--backoff`, `--timeout`.
 *
 * @example `const flags = { ...SENDER_KEY_FLAGS, ...DELIVERY_FLAGS } as const satisfies FlagSpecs`
 */
export const DELIVERY_FLAGS = {
  url: { type: 'string', value: '<url>', description: 'the receiver endpoint', env: 'CSR_WEBHOOK_URL' },
  retries: {
    type: 'string',
    value: '<n>',
    description: 'retries after the first attempt',
    env: 'CSR_WEBHOOK_RETRY_ATTEMPTS',
    default: String(DEFAULTS.retry.retries),
  },
  backoff: {
    type: 'string',
    value: '<ms>',
    description: `delay before the first retry; it doubles each time, up to ${DEFAULTS.retry.maxDelayMs} ms`,
    env: 'CSR_WEBHOOK_RETRY_BACKOFF_MS',
    default: String(DEFAULTS.retry.initialDelayMs),
  },
  timeout: {
    type: 'string',
    value: '<ms>',
    description: 'timeout of each attempt',
    env: 'CSR_WEBHOOK_TIMEOUT_MS',
    default: String(DEFAULTS.retry.timeoutMs),
  },
} as const satisfies FlagSpecs;

type DeliveryFlagValues = { readonly [K in keyof typeof DELIVERY_FLAGS]: string | undefined };

/**
 * The transport and retry options, checked.
 *
 * @throws {UsageError} without a URL, or for a value the library refuses (named by its flag or its variable).
 * @example `const { transport, retry } = deliveryOptions('send', flags, sources, keys)`
 */
export function deliveryOptions(
  command: string,
  flags: DeliveryFlagValues,
  sources: Readonly<Record<string, string | undefined>>,
  keys: KeyOptions & { scheme: SchemeName },
): { transport: HttpTransportOptions; retry: RetryOptions } {
  if (flags.url === undefined) throw new UsageError(command, 'give --url, or set CSR_WEBHOOK_URL');
  const secret = keys.secret ?? keys.secrets?.[0];
  let config: ReturnType<typeof publisherConfigFromEnv>;
  try {
    config = publisherConfigFromEnv({
      CSR_WEBHOOK_URL: flags.url,
      CSR_WEBHOOK_SECRET: typeof secret === 'string' ? secret : undefined,
      CSR_WEBHOOK_SCHEME: keys.scheme,
      CSR_WEBHOOK_TIMEOUT_MS: flags.timeout,
      CSR_WEBHOOK_RETRY_ATTEMPTS: flags.retries,
      CSR_WEBHOOK_RETRY_BACKOFF_MS: flags.backoff,
    });
  } catch (error) {
    if (!isEventRelayError(error, 'ConfigError') || error.option === undefined) throw error;
    throw new UsageError(command, error.message.replace(error.option, flagOf(error.option, sources)));
  }
  const { scheme, keyEncoding, secret: one, secrets } = keys;
  const transport: HttpTransportOptions = { url: config.transport.url, scheme };
  if (keyEncoding !== undefined) transport.keyEncoding = keyEncoding;
  if (one !== undefined) transport.secret = one;
  if (secrets !== undefined) transport.secrets = secrets;
  return { transport, retry: config.retry };
}

/** `--retries` when the value came from that flag, else the variable's own name. */
function flagOf(variable: string, sources: Readonly<Record<string, string | undefined>>): string {
  const flag = Object.entries(DELIVERY_FLAGS).find(([, spec]) => spec.env === variable)?.[0];
  const source = variable === 'CSR_WEBHOOK_SECRET' ? sources.secret : flag && sources[flag];
  return source ?? variable;
}
