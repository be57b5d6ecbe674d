/**
 * `createPublisher`: validated events, an outbox, a bounded background queue, retries, a circuit breaker and a
 * dead-letter queue in front of any transport.
 *
 * @module
 */
import type { Catalog } from '../catalog/catalog.js';
import { guardLogger, guardMetrics } from '../delivery/guard-observers.js';
import { EventRelayError, PublisherClosedError, QueueFullError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { noopMetrics } from '../observability/metrics.js';
import { Cancellation } from './cancellation.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { type ConcludeRuntime, concludeDelivery, type Settled } from './conclude-delivery.js';
import { deliver, toError } from './deliver.js';
import { DeliveryQueue } from './delivery-queue.js';
import { memoryDeadLetterQueue } from './memory-dead-letter-queue.js';
import { memoryOutbox, SYNC_OUTBOX, type SyncOutbox } from './memory-outbox.js';
import type { Outbox, OutboxAddResult, OutboxRecord } from './outbox.js';
import { createOutboxRelay } from './outbox-relay.js';
import { PendingCount } from './pending-count.js';
import { prepareEvent } from './prepare-event.js';
import { PublishJob } from './publish-job.js';
import { closeTimeout, createShutdown } from './publisher-shutdown.js';
import type { DeliveryReceipt, Publisher, PublisherOptions, RedriveOptions } from './publisher-types.js';
import { redrive } from './redrive.js';
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
 * Creates a publisher. With a durable outbox it starts resuming the events the outbox holds at once.
 *
 * @throws {TypeError} naming a bad option.
 * @example
 * ```ts
 * const publisher = createPublisher({
 *   transport: httpTransport({ url: 'https://csr.example/webhooks/buddy-events', secret: process.env.CSR_WEBHOOK_SECRET }),
 *   catalog: buddyCatalog,
 *   outbox: fileOutbox('./outbox'),
 *   deadLetter: fileDeadLetterQueue('./dead-letters.jsonl'),
 * })
 * const id = await publisher.enqueue('buddy.match.created', { matchId, participantId, buddyId, matchedAt })
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
  const outbox: Outbox = options.outbox ?? memoryOutbox();
  if (OUTBOX_METHODS.some((method) => typeof outbox?.[method] !== 'function')) {
    throw new TypeError(
      `outbox must be an Outbox (memoryOutbox(), fileOutbox(dir), …) with ${OUTBOX_METHODS.join(', ')}`,
    );
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
  // The memory outbox stores and forgets synchronously: no promise per event on the default path.
  const sync = (outbox as Partial<SyncOutbox>)[SYNC_OUTBOX];
  // Aborted by close() at its deadline: reaches every attempt, retry sleep and breaker wait.
  const cancel = new Cancellation();

  const preparing = new PendingCount(() => reportPending());
  const pendingCount = (): number => queue.pending + preparing.size;
  const track = (later: Promise<unknown>): void => preparing.track(later);
  const reportPending = (): void => {
    metrics.pendingQueue?.(pendingCount());
    relay.wake();
  };
  const forget = (deliveryId: string): void => {
    if (sync) sync.complete(deliveryId);
    else relay.complete(deliveryId);
  };

  const work = async (item: OutboxRecord | PublishJob): Promise<void> => {
    const job = item instanceof PublishJob ? item : undefined;
    const message = job === undefined ? (item as OutboxRecord) : job.message;
    // Cancelled by its caller while it waited in the queue: nothing to send, nothing to keep.
    if (job?.settled) return forget(message.deliveryId);
    const link = job?.signal === undefined ? undefined : cancel.linkedWith(job.signal);
    const outcome = await deliver(runtime, message, link ?? cancel);
    link?.unlink();
    if (!outcome.ok && outcome.cancelled && cancel.aborted && !job?.signal?.aborted) {
      return shutdown.leave(message, outcome.attempts, job);
    }
    let result: Settled;
    try {
      const concluded = concludeDelivery(runtime, message, outcome);
      result = concluded instanceof Promise ? await concluded : concluded;
    } catch (error) {
      // Unreachable by design (concluding never throws); if it happens the caller still hears of it.
      result = { error: toError(error) };
    }
    forget(message.deliveryId);
    job?.settle(result);
  };
  const queue = new DeliveryQueue<OutboxRecord | PublishJob>(concurrency, work, reportPending);

  // Claimed records keep the queue about two batches deep: enough to keep every slot busy, few enough that another
  // publisher on a shared outbox gets its share.
  const target = Math.min(maxQueue, concurrency * 2);
  const relay = createOutboxRelay({
    outbox,
    log,
    metrics,
    room: () => {
      const pending = pendingCount();
      return pending <= target / 2 ? target - pending : 0;
    },
    push: (records) => {
      for (const record of records) queue.push(record);
    },
  });
  const shutdown = createShutdown({ runtime, outbox, queue, relay, cancel, forget, log, drained });

  /** Stores a record: `true` when this publisher holds it now, `false` when the outbox keeps it for a later claim. */
  const store = (record: OutboxRecord, transaction: unknown): boolean | Promise<boolean> => {
    if (sync !== undefined && transaction === undefined) {
      sync.add(record);
      return true;
    }
    return outbox.add(record, transaction === undefined ? undefined : { transaction }).then(isClaimed);
  };
  /** Queues a stored record this publisher holds, or leaves it at once when `close()` has already finished. */
  const accept = (record: OutboxRecord): void => {
    if (shutdown.finished) shutdown.leave(record, 0, undefined);
    else queue.push(record);
  };
  const storeAndAccept = (record: OutboxRecord, transaction: unknown): string | Promise<string> => {
    const id = record.envelope.metadata.id;
    const claimed = store(record, transaction);
    if (claimed === true) {
      accept(record);
      return id;
    }
    if (claimed === false) return id;
    return claimed.then((held) => {
      if (held) accept(record);
      return id;
    });
  };
  const admit = (): void => {
    if (shutdown.started) throw new PublisherClosedError();
    if (pendingCount() >= maxQueue) throw new QueueFullError(maxQueue);
  };

  const enqueue = (...args: unknown[]): Promise<string> => {
    let prepared: ReturnType<typeof prepareEvent>;
    try {
      admit();
      prepared = prepareEvent(catalog, source, args);
    } catch (error) {
      return Promise.reject(error);
    }
    const { transaction } = prepared.options;
    const ready = prepared.message;
    if (ready !== undefined && sync !== undefined && transaction === undefined) {
      sync.add(ready);
      queue.push(ready);
      return Promise.resolve(ready.envelope.metadata.id);
    }
    const later =
      ready === undefined
        ? prepared.later.then((record) => storeAndAccept(record, transaction))
        : // A native promise passes through Promise.resolve as is: no extra allocation.
          Promise.resolve(storeAndAccept(ready, transaction));
    track(later);
    return later;
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
      const start = (record: OutboxRecord): void => {
        const onAbort =
          signal === undefined ? undefined : (): void => void job.settle({ error: toError(signal.reason) });
        const job: PublishJob = new PublishJob(record, resolve, reject, signal, onAbort);
        if (signal?.aborted) {
          forget(record.deliveryId);
          job.settle({ error: toError(signal.reason) });
          return;
        }
        if (onAbort) signal?.addEventListener('abort', onAbort, { once: true });
        if (shutdown.finished) shutdown.leave(record, 0, job);
        else queue.push(job);
      };
      const ready = prepared.message;
      if (ready !== undefined && sync !== undefined) {
        sync.add(ready);
        return start(ready);
      }
      const startStored = async (record: OutboxRecord): Promise<void> => {
        if (await store(record, undefined)) return start(record);
        throw new EventRelayError(
          'outbox_contract',
          `the ${outbox.name} outbox stored event ${record.envelope.metadata.id} without handing it to this publisher; publish() needs an outbox that answers 'claimed' to an add without a transaction`,
        );
      };
      const later = ready === undefined ? prepared.later.then(startStored) : startStored(ready);
      later.catch(reject);
      track(later);
    });
  };

  /** Until nothing is being stored, queued or in flight here (claims aside). */
  async function drained(): Promise<void> {
    while (pendingCount() > 0) await Promise.all([queue.idle(), preparing.idle()]);
  }
  const flush = async (): Promise<void> => {
    while (pendingCount() > 0 || relay.busy) await Promise.all([queue.idle(), preparing.idle(), relay.idle()]);
    // Delivered events leave the outbox too before flush() resolves.
    await relay.settled();
  };

  relay.start();
  return {
    publish,
    enqueue,
    get pending() {
      return pendingCount();
    },
    get circuitState() {
      return breaker.state;
    },
    deadLetter,
    outbox,
    flush,
    close(closeOptions) {
      let timeoutMs: number;
      try {
        timeoutMs = closeTimeout(closeOptions);
      } catch (error) {
        return Promise.reject(error);
      }
      return shutdown.close(timeoutMs);
    },
    redrive(redriveOptions?: RedriveOptions) {
      if (shutdown.started) return Promise.reject(new PublisherClosedError());
      return redrive(runtime, concurrency, redriveOptions);
    },
  } as Publisher<C>;
}

const isClaimed = (result: OutboxAddResult): boolean => result === 'claimed';

function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${option} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
