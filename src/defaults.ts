/**
 * Every default of the root entry in one frozen object, keyed by what it configures: one name to import instead of
 * a `DEFAULT_*` constant per option type, and an editor lists them all after `DEFAULTS.`.
 *
 * @module
 */
import { DEFAULT_EVENT_VERSION } from './envelope/envelope-schema.js';
import { DEFAULT_CIRCUIT_BREAKER } from './publisher/circuit-breaker.js';
import { DEFAULT_PUBLISHER } from './publisher/publisher-options.js';
import { DEFAULT_CLOSE } from './publisher/publisher-shutdown.js';
import { DEFAULT_RETRY } from './publisher/retry-policy.js';
import { DEFAULT_IDEMPOTENCY_TIMES } from './receiver/idempotency-store.js';
import { DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS } from './receiver/memory-idempotency-store.js';
import { DEFAULT_RECEIVER_OPTIONS } from './receiver/receiver-options.js';
import { DEFAULT_SIGNING_OPTIONS } from './signing/options.js';
import { DEFAULT_FILE_OUTBOX } from './stores/file/file-outbox.js';
import { DEFAULT_FANOUT } from './transports/fanout-transport.js';
import { DEFAULT_HTTP_TRANSPORT } from './transports/http-transport.js';

/**
 * The defaults of the options of the root entry, each under the name of what it configures. Read them to derive
 * your own values; the SDK applies them by itself when an option is absent.
 *
 * @example
 * ```ts
 * createPublisher({ transport, retry: { retries: DEFAULTS.retry.retries * 2 } })
 * createReceiver({ secret, maxBodyBytes: DEFAULTS.receiver.maxBodyBytes / 4 })
 * DEFAULTS.signing.scheme // 'teei-v1'
 * ```
 */
export const DEFAULTS = Object.freeze({
  /** `createPublisher`: `concurrency` 16, `maxQueue` 10,000. */
  publisher: DEFAULT_PUBLISHER,
  /** `createPublisher({ retry })`: 5 retries after 1, 2, 4, 8, 16 s with jitter, 5 s per attempt. */
  retry: DEFAULT_RETRY,
  /** `createPublisher({ circuitBreaker })`: opens after 5 failed attempts in a row. */
  circuitBreaker: DEFAULT_CIRCUIT_BREAKER,
  /** `publisher.close()`: waits at most 10 s. */
  close: DEFAULT_CLOSE,
  /** `httpTransport`: the `teei-v1` scheme, 128 sockets per origin. */
  httpTransport: DEFAULT_HTTP_TRANSPORT,
  /** `fanoutTransport`: `mode: 'all'`. */
  fanoutTransport: DEFAULT_FANOUT,
  /** `fileOutbox`: when a segment is compacted. */
  fileOutbox: DEFAULT_FILE_OUTBOX,
  /** `sign`, `verify`, `createSigner`, `createVerifier`: scheme `teei-v1`, `keyEncoding: 'auto'`, 300 s tolerance. */
  signing: DEFAULT_SIGNING_OPTIONS,
  /** `createReceiver`: signature required, 1 MiB bodies, 300 s tolerance, handler timeout. */
  receiver: DEFAULT_RECEIVER_OPTIONS,
  /** Every idempotency store: completed ids kept 24 h, claims leased 30 s. */
  idempotency: DEFAULT_IDEMPOTENCY_TIMES,
  /** `memoryIdempotencyStore`: the idempotency times, and at most 100,000 ids. */
  memoryIdempotencyStore: DEFAULT_MEMORY_IDEMPOTENCY_OPTIONS,
  /** `createEnvelope`: `metadata.version` `v1`. */
  eventVersion: DEFAULT_EVENT_VERSION,
});
