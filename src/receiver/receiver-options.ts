/**
 * The receiver's options, their defaults, and the one function that checks them.
 *
 * @module
 */
import type { Catalog } from '../catalog/catalog.js';
import { ConfigError } from '../errors.js';
import { type Logger, silentLogger, stderrLogger } from '../observability/logger.js';
import { type MetricsSink, noopMetrics } from '../observability/metrics.js';
import { type KeyEncoding, type SchemeName, type SecretInput, SIGNATURE_SCHEMES } from '../signing/types.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { RateLimitOptions } from './rate-limiter.js';

/**
 * - `'required'`: every request must carry a valid signature (401 otherwise).
 * - `'optional'`: verify when the scheme's signature header is present; accept unsigned requests (a rollout step).
 * - `'disabled'`: never verify (local development, or a network that authenticates by other means).
 *
 * `'optional'` and `'disabled'` warn once when the receiver is created, and `receiver.health()` reports the mode.
 *
 * @example `createReceiver({ secret, signature: 'optional' }) // Phase 1: verify when signed`
 */
export type SignatureMode = 'required' | 'optional' | 'disabled';

/**
 * What happens to an event whose type the catalog does not define.
 *
 * @example `createReceiver({ secret, catalog: buddyCatalog, unknownTypes: 'accept' })`
 */
export type UnknownTypes = 'reject' | 'accept';

/**
 * Options of `createReceiver`.
 *
 * @example `const options: ReceiverOptions = { secret, catalog: buddyCatalog, maxBodyBytes: 256 * 1024 }`
 */
export interface ReceiverOptions<
  C extends Catalog | undefined = Catalog | undefined,
  U extends UnknownTypes = UnknownTypes,
> {
  /**
   * The shared secret. Required unless `signature` is `'disabled'`. The type takes `undefined` so that
   * `process.env.X` fits; at run time a missing, empty or whitespace-only secret, or the text `undefined` or `null`,
   * is a `ConfigError`. A secret shorter than `SECRET_MIN_BYTES` works, with a warning.
   * @default undefined
   */
  secret?: SecretInput | undefined;
  /** Several secrets, during a rotation: a signature made with any of them is accepted. @default undefined */
  secrets?: readonly SecretInput[] | undefined;
  /** @default 'teei-v1' */
  scheme?: SchemeName | undefined;
  /** How secret strings become key bytes. @default 'auto' */
  keyEncoding?: KeyEncoding | undefined;
  /** @default 'required' */
  signature?: SignatureMode | undefined;
  /** Largest accepted |now − signature timestamp|, in seconds. @default 300 */
  toleranceSeconds?: number | undefined;
  /**
   * The events this receiver knows: their data is validated and handlers are typed. Without one, only the envelope
   * is validated and every type is accepted.
   * @default undefined
   */
  catalog?: C;
  /**
   * An event whose type the catalog does not define: `'reject'` answers 400 `unknown_type`; `'accept'` hands it
   * to `onAny` handlers with its data unchecked. Without a catalog, `'reject'` refuses the types no `on()` handler
   * names.
   * @default 'reject' with a catalog, 'accept' without
   */
  unknownTypes?: U;
  /**
   * Where event ids are claimed while handled and remembered once handled (`redisIdempotencyStore`,
   * `postgresIdempotencyStore` for several replicas). Its `ttlMs` must be at least `toleranceSeconds`.
   * @default memoryIdempotencyStore(), its ttlMs raised to toleranceSeconds when that is longer than 24 h
   */
  idempotency?: IdempotencyStore | undefined;
  /**
   * How long the receiver waits for an event's handlers, in milliseconds. Past it the receiver stops renewing the
   * event's claim, aborts `ctx.signal`, answers 500 `handler_timeout` and releases the claim, so a handler that hangs
   * forever cannot block its event through the heartbeat. `Infinity` waits as long as the process lives.
   * @default 300_000 (5 min)
   */
  handlerTimeoutMs?: number | undefined;
  /** Largest body accepted, in bytes (413 above). @default 1_048_576 (1 MiB) */
  maxBodyBytes?: number | undefined;
  /**
   * How long an adapter (and `fetch()`) waits for the whole body once the headers are in, in milliseconds. A body
   * that takes longer (a client trickling it, or a stalled one) is answered 408 `request_timeout` at the deadline and
   * its connection closed, instead of being held until Node's `requestTimeout` (300 s). A body already read by a
   * framework (`express.raw()`) is not timed here.
   * @default 10_000
   */
  bodyTimeoutMs?: number | undefined;
  /** A token bucket over the whole receiver: 429 with `Retry-After` when empty. @default undefined (no limit) */
  rateLimit?: RateLimitOptions | undefined;
  /** `Retry-After` of a 409 answer to a delivery still in progress, in seconds. @default 1 */
  inProgressRetryAfterSeconds?: number | undefined;
  /**
   * Where the receiver logs. Without one (the default, `stderrLogger`) only what an operator must see reaches
   * stderr: a handler's error (`console.error`, with its stack), a misconfiguration, a weak secret and a signature
   * mode other than `'required'` (`console.warn`); normal traffic, 2xx and 4xx alike, prints nothing. A logger of
   * yours (pino…) gets every answer as a structured record (`debug` for 2xx, `warn` for 4xx, `error` for 5xx) and the
   * warnings. `false` silences the receiver (`onError` listeners still hear every failure).
   * @default stderrLogger
   */
  logger?: Logger | false | undefined;
  /** @default noopMetrics */
  metrics?: MetricsSink | undefined;
}

/**
 * The receiver's defaults.
 *
 * @example `createReceiver({ secret, maxBodyBytes: DEFAULT_RECEIVER_OPTIONS.maxBodyBytes / 4 })`
 */
export const DEFAULT_RECEIVER_OPTIONS = Object.freeze({
  signature: 'required' as SignatureMode,
  toleranceSeconds: 300,
  maxBodyBytes: 1024 * 1024,
  bodyTimeoutMs: 10_000,
  inProgressRetryAfterSeconds: 1,
  handlerTimeoutMs: 300_000,
  logger: stderrLogger,
  metrics: noopMetrics,
});

const SIGNATURE_MODES: readonly string[] = ['required', 'optional', 'disabled'];

function check(ok: boolean, option: string, expected: string, value: unknown): void {
  if (!ok)
    throw new TypeError(`createReceiver: ${option} must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
}

/**
 * A store of the current interface, keeping completed ids at least as long as a signature stays valid: otherwise a
 * captured request could be replayed, signature and all, once its id was forgotten. Refused rather than clamped,
 * because the store (shared with other replicas, or configured elsewhere) is the user's to size.
 */
function checkStore(store: IdempotencyStore | undefined, toleranceSeconds: number): IdempotencyStore | undefined {
  if (store === undefined) return undefined;
  const methods = ['begin', 'renew', 'complete', 'release'] as const;
  check(
    typeof store === 'object' && store !== null && methods.every((m) => typeof store[m] === 'function'),
    'idempotency',
    'a store with begin, renew, complete and release (see docs/idempotency.md)',
    typeof store,
  );
  for (const name of ['leaseMs', 'ttlMs'] as const) {
    check(Number.isFinite(store[name]) && store[name] > 0, `idempotency.${name}`, 'a positive number', store[name]);
  }
  if (store.ttlMs < toleranceSeconds * 1000) {
    throw new ConfigError(
      `createReceiver: the idempotency store keeps completed ids ${store.ttlMs} ms, less than the signature tolerance (toleranceSeconds ${toleranceSeconds}): a captured request could be replayed after its id is forgotten; raise the store's ttlMs or lower toleranceSeconds`,
      { option: 'idempotency' },
    );
  }
  return store;
}

/**
 * @internal Checks the options once.
 * @throws {TypeError} naming the option when one has the wrong type or range.
 * @throws {ConfigError} when no secret is given and `signature` is not `'disabled'`.
 */
export function normalizeReceiverOptions(options: ReceiverOptions) {
  if (typeof options !== 'object' || options === null) throw new TypeError('createReceiver: options must be an object');
  const signature = options.signature ?? DEFAULT_RECEIVER_OPTIONS.signature;
  check(SIGNATURE_MODES.includes(signature), 'signature', "'required', 'optional' or 'disabled'", signature);
  const scheme = options.scheme;
  check(scheme === undefined || SIGNATURE_SCHEMES.includes(scheme), 'scheme', SIGNATURE_SCHEMES.join(', '), scheme);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_RECEIVER_OPTIONS.maxBodyBytes;
  check(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0, 'maxBodyBytes', 'a positive integer', maxBodyBytes);
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_RECEIVER_OPTIONS.bodyTimeoutMs;
  // Above 2^31 - 1 ms, setTimeout fires at once.
  check(
    Number.isSafeInteger(bodyTimeoutMs) && bodyTimeoutMs > 0 && bodyTimeoutMs <= 2_147_483_647,
    'bodyTimeoutMs',
    'a positive integer of milliseconds',
    bodyTimeoutMs,
  );
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_RECEIVER_OPTIONS.toleranceSeconds;
  check(
    Number.isFinite(toleranceSeconds) && toleranceSeconds > 0,
    'toleranceSeconds',
    'a positive number',
    toleranceSeconds,
  );
  const inProgress = options.inProgressRetryAfterSeconds ?? DEFAULT_RECEIVER_OPTIONS.inProgressRetryAfterSeconds;
  check(
    Number.isSafeInteger(inProgress) && inProgress > 0,
    'inProgressRetryAfterSeconds',
    'a positive integer',
    inProgress,
  );
  const unknownTypes = options.unknownTypes ?? (options.catalog === undefined ? 'accept' : 'reject');
  check(unknownTypes === 'reject' || unknownTypes === 'accept', 'unknownTypes', "'reject' or 'accept'", unknownTypes);
  const catalog = options.catalog;
  check(
    catalog === undefined || (typeof catalog?.has === 'function' && typeof catalog.validate === 'function'),
    'catalog',
    'a catalog from createCatalog()',
    typeof catalog,
  );
  const store = checkStore(options.idempotency, toleranceSeconds);
  const handlerTimeoutMs = options.handlerTimeoutMs ?? DEFAULT_RECEIVER_OPTIONS.handlerTimeoutMs;
  check(
    handlerTimeoutMs === Number.POSITIVE_INFINITY || (Number.isSafeInteger(handlerTimeoutMs) && handlerTimeoutMs > 0),
    'handlerTimeoutMs',
    'a positive integer or Infinity',
    handlerTimeoutMs,
  );
  const logger = options.logger;
  check(
    logger === undefined ||
      logger === false ||
      ['debug', 'info', 'warn', 'error'].every((m) => typeof (logger as never)?.[m] === 'function'),
    'logger',
    'an object with debug, info, warn and error methods, or false',
    typeof logger,
  );
  if (options.secret === undefined && options.secrets === undefined && signature !== 'disabled') {
    throw new ConfigError(
      "createReceiver: secret is undefined, and a secret is required to verify signatures: pass secret (or secrets; when it is read from the environment, check that the variable is set), or set signature: 'disabled'",
      { option: 'secret' },
    );
  }
  return {
    signature: signature as SignatureMode,
    maxBodyBytes,
    bodyTimeoutMs,
    toleranceSeconds,
    inProgressRetryAfterMs: inProgress * 1000,
    handlerTimeoutMs,
    unknownTypes: unknownTypes as UnknownTypes,
    catalog,
    store,
    /** Per-request records: only a logger of the user's (the default one keeps traffic off stderr). */
    logger: logger === undefined || logger === false ? silentLogger : logger,
    /** Warnings and what an operator must see. */
    alerts: logger === undefined ? DEFAULT_RECEIVER_OPTIONS.logger : logger === false ? silentLogger : logger,
    /** Whether reported errors are logged here: the user's logger already records every failed answer. */
    echoReports: logger === undefined,
    metrics: options.metrics ?? DEFAULT_RECEIVER_OPTIONS.metrics,
  };
}
