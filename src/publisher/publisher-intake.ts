/**
 * How an event enters the publisher: `enqueue()` and `publish()` check admission (closed, queue full), prepare the
 * event (catalog validation, envelope), store it in the outbox and queue it. The memory outbox takes the
 * synchronous path: no promise per event beyond the one returned.
 *
 * @module
 */
import { EventRelayError, PublisherClosedError, QueueFullError } from '../errors.js';
import { toError } from './deliver.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { OutboxAddResult, OutboxRecord } from './outbox.js';
import { prepareEvent } from './prepare-event.js';
import { PublishJob } from './publish-job.js';
import type { PublisherSettings } from './publisher-options.js';
import type { Shutdown } from './publisher-shutdown.js';
import type { DeliveryReceipt } from './publisher-types.js';

/**
 * @internal what the intake needs from its publisher
 * @example
 * ```ts
 * const { enqueue, publish } = publisherIntake({ settings, queue, shutdown, pendingCount, track, forget })
 * ```
 */
export interface IntakeHost {
  readonly settings: PublisherSettings;
  readonly queue: DeliveryQueue<OutboxRecord | PublishJob>;
  readonly shutdown: Shutdown;
  /** Events being stored, queued or in flight here. */
  readonly pendingCount: () => number;
  /** Counts an event while it is prepared and stored (asynchronous outboxes, catalogs). */
  readonly track: (later: Promise<unknown>) => void;
  readonly forget: (deliveryId: string) => void;
}

/**
 * @internal `publisher.enqueue` and `publisher.publish`, untyped (publisher-types.ts types them).
 * @example
 * ```ts
 * const { enqueue } = publisherIntake(host); const id = await enqueue('buddy.match.created', data)
 * ```
 */
export function publisherIntake(host: IntakeHost): {
  enqueue: (...args: unknown[]) => Promise<string>;
  publish: (...args: unknown[]) => Promise<DeliveryReceipt>;
} {
  const { settings, queue, shutdown, pendingCount, track, forget } = host;
  const { catalog, source, outbox, sync, maxQueue } = settings;

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
  // Why the last `admit` refused: kept here rather than wrapped, so an accepted event allocates nothing more.
  let refusal: unknown;
  /** The event checked and built; `undefined` when refused (closed, full, invalid), the reason in `refusal`. */
  const admit = (args: unknown[]): ReturnType<typeof prepareEvent> | undefined => {
    try {
      if (shutdown.started) throw new PublisherClosedError();
      if (pendingCount() >= maxQueue) throw new QueueFullError(maxQueue);
      return prepareEvent(catalog, source, args);
    } catch (error) {
      refusal = error;
      return undefined;
    }
  };

  const enqueue = (...args: unknown[]): Promise<string> => {
    const prepared = admit(args);
    if (prepared === undefined) return Promise.reject(refusal);
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
    const prepared = admit(args);
    if (prepared === undefined) return Promise.reject(refusal);
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

  return { enqueue, publish };
}

const isClaimed = (result: OutboxAddResult): boolean => result === 'claimed';
