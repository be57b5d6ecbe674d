/**
 * The options of {@link createPublisher}, checked and completed with their defaults in one place: what the rest of
 * the publisher reads is {@link PublisherSettings}, never the raw options.
 *
 * @module
 */
import type { Catalog } from '../catalog/catalog.js';
import type { DeadLetterEntry } from '../delivery/dead-letter-queue.js';
import { guardLogger, guardMetrics } from '../delivery/guard-observers.js';
import type { Transport } from '../delivery/transport.js';
import { silentLogger } from '../observability/logger.js';
import { noopMetrics } from '../observability/metrics.js';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.js';
import type { ConcludeRuntime } from './conclude-delivery.js';
import { memoryDeadLetterQueue } from './memory-dead-letter-queue.js';
import { memoryOutbox, SYNC_OUTBOX, type SyncOutbox } from './memory-outbox.js';
import type { Outbox } from './outbox.js';
import type { PublisherOptions } from './publisher-types.js';
import { normalizeRetryOptions } from './retry-policy.js';

/**
 * The defaults of the queue options of {@link PublisherOptions}.
 *
 * @example
 * ```ts
 * createPublisher({ transport, concurrency: DEFAULT_PUBLISHER.concurrency * 2 })
 * ```
 */
export const DEFAULT_PUBLISHER = Object.freeze({ concurrency: 16, maxQueue: 10_000 });

const OUTBOX_METHODS = ['add', 'claim', 'complete', 'release', 'size', 'close'] as const;

/**
 * @internal the options of one publisher, checked, with every default applied
 *
 * @example
 * ```ts
 * const settings = publisherSettings({ transport })
 * settings.concurrency // 16
 * ```
 */
export interface PublisherSettings {
  readonly catalog: Catalog | undefined;
  readonly source: string | undefined;
  readonly outbox: Outbox;
  /** The memory outbox's synchronous side, which stores and forgets without a promise per event. */
  readonly sync: SyncOutbox[typeof SYNC_OUTBOX] | undefined;
  readonly concurrency: number;
  readonly maxQueue: number;
  readonly breaker: CircuitBreaker;
  /** What a delivery needs: transport, retry policy, breaker, guarded observers, dead-letter queue and hook. */
  readonly runtime: ConcludeRuntime;
}

/**
 * @internal Checks `options` and applies the defaults.
 * @throws {TypeError} naming the bad option.
 * @example
 * ```ts
 * const { runtime, concurrency, maxQueue } = publisherSettings(options)
 * ```
 */
export function publisherSettings(options: PublisherOptions<Catalog>): PublisherSettings {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createPublisher(options): options required');
  const { transport, catalog, source, onDeadLetter } = options;
  checkTransport(transport);
  if (catalog !== undefined && typeof catalog.validate !== 'function') {
    throw new TypeError('catalog must be a Catalog from createCatalog()');
  }
  if (onDeadLetter !== undefined && typeof onDeadLetter !== 'function')
    throw new TypeError('onDeadLetter must be a function');
  if (source !== undefined && (typeof source !== 'string' || source === '')) {
    throw new TypeError('source must be a non-empty string');
  }
  const outbox: Outbox = options.outbox ?? memoryOutbox();
  if (OUTBOX_METHODS.some((method) => typeof outbox?.[method] !== 'function')) {
    throw new TypeError(
      `outbox must be an Outbox (memoryOutbox(), fileOutbox(dir), …) with ${OUTBOX_METHODS.join(', ')}`,
    );
  }
  const concurrency = positiveInteger('concurrency', options.concurrency ?? DEFAULT_PUBLISHER.concurrency);
  const maxQueue = positiveInteger('maxQueue', options.maxQueue ?? DEFAULT_PUBLISHER.maxQueue);
  const logger = options.logger ?? silentLogger;
  // Guarded once here: a throwing logger or sink must not lose an event nor wedge the breaker. A silent logger
  // becomes `undefined`, so the hot path builds no log records at all.
  const log = logger === silentLogger ? undefined : guardLogger(logger);
  const metrics = options.metrics === undefined ? noopMetrics : guardMetrics(options.metrics);
  const breaker = createCircuitBreaker(options.circuitBreaker, (state) =>
    log?.warn({ operation: 'publish', transport: transport.name, circuit: state }, `circuit breaker ${state}`),
  );
  const runtime: ConcludeRuntime = {
    transport,
    retry: normalizeRetryOptions(options.retry),
    breaker,
    log,
    metrics,
    deadLetter: options.deadLetter ?? memoryDeadLetterQueue(),
    onDeadLetter: onDeadLetter as ((entry: DeadLetterEntry) => void | Promise<void>) | undefined,
  };
  const sync = (outbox as Partial<SyncOutbox>)[SYNC_OUTBOX];
  return { catalog, source, outbox, sync, concurrency, maxQueue, breaker, runtime };
}

function checkTransport(transport: Transport | undefined): asserts transport is Transport {
  if (typeof transport?.send !== 'function')
    throw new TypeError('transport must be a Transport (an object with send())');
}

function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${option} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
