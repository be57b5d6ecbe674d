/**
 * `publisherConfigFromEnv`: the platform's `CSR_WEBHOOK_*` variables → options for `httpTransport`, `retry` and the
 * outbox.
 *
 * @module
 */
import { ConfigError } from '../errors.js';
import { type SchemeName, SIGNATURE_SCHEMES } from '../signing/types.js';
import { fileOutbox } from '../stores/file/file-outbox.js';
import { maskUrl } from '../transports/http/mask-url.js';
import type { HttpTransportOptions } from '../transports/http-transport.js';
import type { Outbox } from './outbox.js';
import type { RetryOptions } from './retry-policy.js';

/**
 * What {@link publisherConfigFromEnv} returns.
 *
 * @example
 * ```ts
 * const { transport, retry }: PublisherEnvConfig = publisherConfigFromEnv()
 * ```
 */
export interface PublisherEnvConfig {
  /** `url`, `secret` and, when set, `scheme`. */
  readonly transport: HttpTransportOptions;
  /** `timeoutMs`, `retries`, `initialDelayMs`, each only when its variable is set. */
  readonly retry: RetryOptions;
  /** `fileOutbox(CSR_WEBHOOK_OUTBOX_DIR)` when that variable is set (nothing is opened until the publisher starts). */
  readonly outbox?: Outbox;
}

/**
 * Reads the platform's `CSR_WEBHOOK_*` variables into options for `httpTransport` and `retry`:
 *
 * | variable | becomes | rule |
 * |---|---|---|
 * | `CSR_WEBHOOK_URL` (required) | `transport.url` | absolute `http:`/`https:` URL |
 * | `CSR_WEBHOOK_SECRET` (required) | `transport.secret` | non-empty |
 * | `CSR_WEBHOOK_SCHEME` | `transport.scheme` | one of `SIGNATURE_SCHEMES` |
 * | `CSR_WEBHOOK_TIMEOUT_MS` | `retry.timeoutMs` | positive integer |
 * | `CSR_WEBHOOK_RETRY_ATTEMPTS` | `retry.retries` | integer ≥ 0: retries after the first attempt |
 * | `CSR_WEBHOOK_RETRY_BACKOFF_MS` | `retry.initialDelayMs` | integer ≥ 0 |
 * | `CSR_WEBHOOK_OUTBOX_DIR` | `outbox: fileOutbox(dir)` | a directory for this process alone |
 *
 * An empty optional variable counts as unset.
 *
 * @throws {ConfigError} naming the variable (`error.option`); the secret's value is never part of a message.
 * @example
 * ```ts
 * const config = publisherConfigFromEnv()
 * const publisher = createPublisher({
 *   transport: httpTransport(config.transport),
 *   retry: config.retry,
 *   outbox: config.outbox, // the memory outbox when CSR_WEBHOOK_OUTBOX_DIR is unset
 *   catalog: buddyCatalog,
 * })
 * ```
 */
export function publisherConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): PublisherEnvConfig {
  const url = required(env, 'CSR_WEBHOOK_URL');
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
  } catch {
    // A URL may carry credentials (`https://user:password@host`): they are never echoed.
    throw new ConfigError(`CSR_WEBHOOK_URL must be an absolute http: or https: URL, got "${maskUrl(url)}"`, {
      option: 'CSR_WEBHOOK_URL',
    });
  }
  const secret = required(env, 'CSR_WEBHOOK_SECRET');
  const transport: HttpTransportOptions = { url, secret };
  const scheme = optional(env, 'CSR_WEBHOOK_SCHEME');
  if (scheme !== undefined) {
    if (!(SIGNATURE_SCHEMES as readonly string[]).includes(scheme)) {
      throw new ConfigError(`CSR_WEBHOOK_SCHEME must be one of ${SIGNATURE_SCHEMES.join(', ')}, got "${scheme}"`, {
        option: 'CSR_WEBHOOK_SCHEME',
      });
    }
    transport.scheme = scheme as SchemeName;
  }
  const retry: RetryOptions = {};
  const timeoutMs = integer(env, 'CSR_WEBHOOK_TIMEOUT_MS', 1);
  if (timeoutMs !== undefined) retry.timeoutMs = timeoutMs;
  const retries = integer(env, 'CSR_WEBHOOK_RETRY_ATTEMPTS', 0);
  if (retries !== undefined) retry.retries = retries;
  const backoff = integer(env, 'CSR_WEBHOOK_RETRY_BACKOFF_MS', 0);
  if (backoff !== undefined) retry.initialDelayMs = backoff;
  const outboxDir = optional(env, 'CSR_WEBHOOK_OUTBOX_DIR');
  return outboxDir === undefined ? { transport, retry } : { transport, retry, outbox: fileOutbox(outboxDir) };
}

function optional(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  // The raw value, not trimmed: the signer warns about a secret with surrounding whitespace rather than guess.
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigError(`${name} is required`, { option: name });
  // Set but blank is a different mistake (a quoting slip, a template that rendered nothing): say so.
  if (value.trim() === '') throw new ConfigError(`${name} holds only whitespace`, { option: name });
  return name === 'CSR_WEBHOOK_URL' ? value.trim() : value;
}

function integer(env: Readonly<Record<string, string | undefined>>, name: string, min: number): number | undefined {
  const text = optional(env, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    const rule = min === 0 ? 'a non-negative integer' : 'a positive integer';
    throw new ConfigError(`${name} must be ${rule}, got "${text}"`, { option: name });
  }
  return value;
}
