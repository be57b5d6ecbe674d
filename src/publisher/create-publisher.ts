/**
 * `createPublisher`: validated events, a bounded background queue, retries, a circuit breaker and a dead-letter
 * queue in front of any transport.
 *
 * @module
 */
import type { Catalog } from '../catalog/catalog.js';
import { EventRelayError, isEventRelayError, PublisherClosedError, QueueFullError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { noopMetrics } from '../observability/metrics.js';
import type { TransportMessage } from '../transports/transport.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { type ConcludeRuntime, concludeDelivery, type Settled } from './conclude-delivery.js';
import { type DeliveryOutcome, deliver, toError } from './deliver.js';
import { DeliveryQueue } from './delivery-queue.js';
import { guardLogger, guardMetrics } from './guard-observers.js';
import { record } from './log-record.js';
import { memoryDeadLetterQueue } from './memory-dead-letter-queue.js';
import { prepareEvent } from './prepare-event.js';
import type { DeliveryReceipt, Publisher, PublisherOptions, RedriveOptions, RedriveResult } from './publisher-types.js';
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

/** A `publish()` call waiting in the queue; `enqueue()` queues the bare message instead. */
class PublishJob {
  settled = false;
  constructor(
    readonly message: TransportMessage,
    readonly resolve: (receipt: DeliveryReceipt) => void,
    readonly reject: (error: unknown) => void,
    readonly signal: AbortSignal | undefined,
    readonly onAbort: (() => void) | undefined,
  ) {}
}

/**
 * Creates a publisher.
 *
 * @throws {TypeError} naming a bad option.
 * @example
 * ```ts
 * const publisher = createPublisher({
 *   transport: httpTransport({ url: 'https://csr.example/webhooks/buddy-events', secret: process.env.CSR_WEBHOOK_SECRET }),
 *   catalog: buddyCatalog,
 *   deadLetter: fileDeadLetterQueue('./dead-letters.jsonl'),
 * })
 * const receipt = await publisher.publish('buddy.match.created', { matchId, participantId, buddyId, matchedAt })
 * ```
 */
export function createPublisher<C extends Catalog = Catalog>(options: PublisherOptions<C>): Publisher<C> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createPublisher(options): options required');
  const { transport, catalog, source, onDeadLetter } = options;
  if (typeof transport?.send !== 'function')
    throw new TypeError('transport must be a Transport (an object with send())');
  if (catalog !== undefined && typeof catalog.validate !== 'function') {
    throw new TypeError('catalog must be a Catalog from createCatalog()');
  }
  if (onDeadLetter !== undefined && typeof onDeadLetter !== 'function')
    throw new TypeError('onDeadLetter must be a function');
  if (source !== undefined && (typeof source !== 'string' || source === '')) {
    throw new TypeError('source must be a non-empty string');
  }
  const concurrency = positiveInteger('concurrency', options.concurrency ?? DEFAULT_PUBLISHER.concurrency);
  const maxQueue = positiveInteger('maxQueue', options.maxQueue ?? DEFAULT_PUBLISHER.maxQueue);
  const logger = options.logger ?? silentLogger;
  // Guarded once here: a throwing logger or sink must not lose an event nor wedge the breaker.
  const log = logger === silentLogger ? undefined : guardLogger(logger);
  const metrics = options.metrics === undefined ? noopMetrics : guardMetrics(options.metrics);
  const deadLetter = options.deadLetter ?? memoryDeadLetterQueue();
  const breaker = createCircuitBreaker(options.circuitBreaker, (state) =>
    log?.warn({ operation: 'publish', transport: transport.name, circuit: state }, `circuit breaker ${state}`),
  );
  const runtime: ConcludeRuntime = {
    transport,
    retry: normalizeRetryOptions(options.retry),
    breaker,
    log,
    metrics,
    deadLetter,
    onDeadLetter,
  };

  let closing: Promise<void> | undefined;
  // Events whose asynchronous schema has not answered yet: pending, but not in the queue.
  const validating = new Set<Promise<unknown>>();
  const reportPending = (): void => metrics.pendingQueue?.(queue.pending + validating.size);

  const work = async (item: TransportMessage | PublishJob): Promise<void> => {
    if (item instanceof PublishJob) {
      if (item.settled) return;
      let result: Settled;
      try {
        const concluded = concludeDelivery(runtime, item.message, await deliver(runtime, item.message, item.signal));
        result = concluded instanceof Promise ? await concluded : concluded;
      } catch (error) {
        // Unreachable by design (both never throw); if it happens the caller still hears of it, never waits forever.
        result = { error: error instanceof Error ? error : new Error(String(error)) };
      }
      if (item.settled) return;
      item.settled = true;
      if (item.onAbort) item.signal?.removeEventListener('abort', item.onAbort);
      if (result.receipt) item.resolve(result.receipt);
      else item.reject(result.error);
      return;
    }
    // Background: the outcome is already logged, counted and dead-lettered.
    const concluded = concludeDelivery(runtime, item, await deliver(runtime, item));
    if (concluded instanceof Promise) await concluded;
  };
  const queue = new DeliveryQueue<TransportMessage | PublishJob>(concurrency, work, reportPending);

  const admit = (): void => {
    if (closing) throw new PublisherClosedError();
    if (queue.pending + validating.size >= maxQueue) throw new QueueFullError(maxQueue);
  };
  const track = (later: Promise<unknown>): void => {
    validating.add(later);
    reportPending();
    later
      .then(
        () => {},
        () => {},
      )
      .finally(() => {
        validating.delete(later);
        reportPending();
      });
  };

  const publish = (...args: unknown[]): Promise<DeliveryReceipt> => {
    let prepared: ReturnType<typeof prepareEvent>;
    try {
      admit();
      prepared = prepareEvent(catalog, source, args);
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal } = prepared.options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<DeliveryReceipt>((resolve, reject) => {
      const start = (message: TransportMessage): void => {
        let job: PublishJob | undefined;
        const onAbort =
          signal === undefined
            ? undefined
            : (): void => {
                if (!job || job.settled) return;
                job.settled = true;
                reject(signal.reason);
              };
        job = new PublishJob(message, resolve, reject, signal, onAbort);
        if (onAbort) signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(job);
      };
      if (prepared.message) return start(prepared.message);
      const later = prepared.later.then(start, reject);
      track(later);
    });
  };

  const enqueue = (...args: unknown[]): string => {
    admit();
    const prepared = prepareEvent(catalog, source, args);
    if (prepared.message) {
      queue.push(prepared.message);
      return prepared.message.envelope.metadata.id;
    }
    track(
      prepared.later.then(
        (message) => queue.push(message),
        (error: unknown) => concludeDelivery(runtime, prepared.pendingMessage, invalidOutcome(error)),
      ),
    );
    return prepared.pendingMessage.envelope.metadata.id;
  };

  const flush = async (): Promise<void> => {
    while (queue.pending + validating.size > 0) {
      await Promise.all([queue.idle(), ...validating]);
    }
  };

  const redrive = async (redriveOptions: RedriveOptions = {}): Promise<RedriveResult> => {
    if (closing) throw new PublisherClosedError();
    const entries = await deadLetter.list(
      redriveOptions.limit === undefined ? undefined : { limit: redriveOptions.limit },
    );
    let delivered = 0;
    let failed = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let entry = entries[next++]; entry !== undefined; entry = entries[next++]) {
        const message = { envelope: entry.envelope, deliveryId: entry.deliveryId };
        const outcome = await deliver(runtime, message);
        if (outcome.ok) {
          delivered += 1;
          // Delivered is delivered: a queue that cannot forget the entry only means a later redrive re-sends it (the
          // receiver dedupes by delivery id); it must not stop the other workers mid-run.
          try {
            await deadLetter.remove(entry.id);
          } catch (error) {
            log?.error(
              record(message, outcome.attempts, { err: toError(error).message }),
              'redriven, but the dead-letter queue could not remove the entry',
            );
          }
          metrics.published?.({ eventType: entry.envelope.type, status: 'delivered', durationMs: outcome.durationMs });
          log?.info(
            record(message, outcome.attempts, { status: outcome.status, redrive: true }),
            'dead letter redriven',
          );
        } else {
          failed += 1;
          log?.warn(
            record(message, outcome.attempts, { status: outcome.status, err: outcome.error.message }),
            'redrive failed; the entry stays',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
    return { delivered, failed };
  };

  return {
    publish,
    enqueue,
    get pending() {
      return queue.pending + validating.size;
    },
    get circuitState() {
      return breaker.state;
    },
    deadLetter,
    flush,
    close() {
      closing ??= flush().then(() => transport.close?.());
      return closing;
    },
    redrive,
  } as Publisher<C>;
}

/**
 * An enqueued event whose asynchronous schema said no: concluded as a permanent failure after 0 attempts, so it is
 * dead-lettered, reported and counted like any other, never dropped.
 */
function invalidOutcome(error: unknown): DeliveryOutcome {
  const err = isEventRelayError(error)
    ? error
    : new EventRelayError('invalid_data', toError(error).message, { cause: error });
  return { ok: false, attempts: 0, retryable: false, error: err, durationMs: 0, cancelled: false };
}

function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${option} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
