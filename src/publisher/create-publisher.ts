/**
 * `createPublisher`: validated events, an outbox, a bounded background queue, retries, a circuit breaker and a
 * dead-letter queue in front of any transport. This file only wires the parts: the options and their defaults
 * (publisher-options.ts), the way in (publisher-intake.ts), the worker each queue slot runs (publisher-worker.ts),
 * the outbox relay and the shutdown.
 *
 * @module
 */
import type { Catalog } from '../catalog/catalog.js';
import { PublisherClosedError } from '../errors.js';
import { Cancellation } from './cancellation.js';
import { DeliveryQueue } from './delivery-queue.js';
import type { OutboxRecord } from './outbox.js';
import { createOutboxRelay } from './outbox-relay.js';
import { PendingCount } from './pending-count.js';
import type { PublishJob } from './publish-job.js';
import { publisherIntake } from './publisher-intake.js';
import { publisherSettings } from './publisher-options.js';
import { closeTimeout, createShutdown } from './publisher-shutdown.js';
import type { Publisher, PublisherOptions, RedriveOptions } from './publisher-types.js';
import { publisherWorker } from './publisher-worker.js';
import { redrive } from './redrive.js';

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
  const settings = publisherSettings(options as PublisherOptions<Catalog>);
  const { runtime, outbox, sync, concurrency, maxQueue, breaker } = settings;
  const { log, metrics } = runtime;
  // Aborted by close() at its deadline: reaches every attempt, retry sleep and breaker wait.
  const cancel = new Cancellation();

  // Pending = queued or in flight, plus being prepared or stored (an asynchronous catalog or outbox).
  const preparing = new PendingCount(() => reportPending());
  const pendingCount = (): number => queue.pending + preparing.size;
  const reportPending = (): void => {
    metrics.pendingQueue?.(pendingCount());
    relay.wake();
  };
  const forget = (deliveryId: string): void => {
    if (sync) sync.complete(deliveryId);
    else relay.complete(deliveryId);
  };

  const work = publisherWorker({
    runtime,
    cancel,
    forget,
    leave: (message, attempts, job) => shutdown.leave(message, attempts, job),
  });
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
  const { enqueue, publish } = publisherIntake({
    settings,
    queue,
    shutdown,
    pendingCount,
    track: (later) => preparing.track(later),
    forget,
  });

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
    deadLetter: runtime.deadLetter,
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
