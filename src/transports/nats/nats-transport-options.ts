/**
 * The options of {@link natsTransport}, their defaults, and the one function that checks them.
 *
 * @module
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '../../envelope/envelope-schema.js';
import { ConfigError } from '../../errors.js';
import type { KeyEncoding, SchemeName } from '../../signing/types.js';

/**
 * Options of {@link natsTransport}. Give `connection`, `connect`, or both.
 *
 * @example
 * ```ts
 * const options: NatsTransportOptions = { connection: nc, secret, subject: (e) => `tenant-a.${e.type}` }
 * ```
 */
export interface NatsTransportOptions {
  /**
   * Your connection, from `connect()` of `@nats-io/transport-node`, opened with reconnecting options
   * (`maxReconnectAttempts: -1`). The transport never closes it. Once it is closed for good, attempts fail at once
   * (not retryable, so events are dead-lettered) unless `connect` is given.
   * @default none: then `connect` dials the first connection
   */
  connection?: NatsConnection;
  /**
   * Dials a new connection: called when there is none yet, or when the current one is closed for good, with
   * `redialBackoffMs` between failed dials. Connections it returns are the transport's own, drained by `close()`.
   * @default none: a closed connection stays closed
   */
  connect?: () => Promise<NatsConnection>;
  /**
   * Waits between failed dials: after the n-th failure in a row, `redialBackoffMs[n - 1]`, the last repeating.
   * @default [250, 1000, 2000, 5000]
   */
  redialBackoffMs?: readonly number[];
  /**
   * The subject to publish to: a fixed string, or a function of the envelope.
   * @default the event type (`buddy.match.created`), the platform's convention
   */
  subject?: string | ((envelope: EventEnvelope) => string);
  /**
   * HMAC secret. Leave both `secret` and `secrets` out to publish unsigned (only the scheme's id header is sent); a
   * `secret` given as `undefined` (an unset environment variable) is a `ConfigError`, never a silent switch to
   * unsigned. @default none
   */
  secret?: string | undefined;
  /** Several secrets, during a rotation: every one signs. @default none */
  secrets?: readonly string[] | undefined;
  /** Signature scheme; `buddy-connector` also sends the flat envelope shape. @default 'teei-v1' */
  scheme?: SchemeName;
  /** How secrets become key bytes. @default 'auto' */
  keyEncoding?: KeyEncoding;
  /**
   * How long one attempt waits for its PubAck, including any wait for the connection to come back.
   * @default 5000
   */
  timeoutMs?: number;
}

/**
 * Defaults of {@link NatsTransportOptions}.
 *
 * @example
 * ```ts
 * natsTransport({ connection: nc, secret, timeoutMs: 2 * DEFAULT_NATS_TRANSPORT_OPTIONS.timeoutMs })
 * ```
 */
export const DEFAULT_NATS_TRANSPORT_OPTIONS = Object.freeze({
  timeoutMs: 5000,
  scheme: 'teei-v1' as SchemeName,
  redialBackoffMs: Object.freeze([250, 1000, 2000, 5000]) as readonly number[],
});

/**
 * @internal checks the options that are not the signer's
 * @throws TypeError naming the bad option; ConfigError for a `secret` or `secrets` given as undefined
 * @example
 * ```ts
 * checkTransportOptions(options)
 * ```
 */
export function checkTransportOptions(options: NatsTransportOptions): void {
  const fail = (option: string, rule: string): never => {
    throw new TypeError(`natsTransport: \`${option}\` ${rule}`);
  };
  const { connection, connect, subject, redialBackoffMs, timeoutMs } = options;
  for (const option of ['secret', 'secrets'] as const) {
    if (option in options && options[option] === undefined) {
      throw new ConfigError(
        `natsTransport: \`${option}\` is undefined: when it is read from the environment, check that the variable is set; leave \`${option}\` out to publish unsigned`,
        { option },
      );
    }
  }
  if (connection === undefined && connect === undefined) {
    fail('connection', 'or `connect` is required: a NatsConnection from connect(), or a function that dials one');
  }
  if (connection !== undefined && (connection === null || typeof connection.request !== 'function')) {
    fail('connection', 'must be a NatsConnection from connect()');
  }
  if (connect !== undefined && typeof connect !== 'function') {
    fail('connect', 'must be a function that returns a Promise of a NatsConnection');
  }
  if (subject !== undefined && typeof subject !== 'string' && typeof subject !== 'function') {
    fail('subject', 'must be a string or a function of the envelope');
  }
  if (
    redialBackoffMs !== undefined &&
    (!Array.isArray(redialBackoffMs) ||
      redialBackoffMs.length === 0 ||
      redialBackoffMs.some((n) => !(Number.isFinite(n) && n >= 0)))
  ) {
    fail('redialBackoffMs', 'must be a non-empty list of delays >= 0 ms');
  }
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    fail('timeoutMs', 'must be a positive number of milliseconds');
  }
}
