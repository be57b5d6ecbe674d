/**
 * The publisher's worker: what each queue slot does with one item, start to end. A delivery goes once through
 * deliver (the attempts) → conclude (a receipt or a dead letter, and its report) → forget (the outbox lets go of
 * it) → settle (the `publish()` caller hears of it).
 *
 * @module
 */
import type { Cancellation } from './cancellation.js';
import { type ConcludeRuntime, concludeDelivery, type Settled } from './conclude-delivery.js';
import { deliver, toError } from './deliver.js';
import type { OutboxRecord } from './outbox.js';
import { PublishJob } from './publish-job.js';

/**
 * @internal what the worker needs from its publisher
 * @example
 * ```ts
 * const work = publisherWorker({ runtime, cancel, forget, leave: (m, a, job) => shutdown.leave(m, a, job) })
 * ```
 */
export interface WorkerHost {
  readonly runtime: ConcludeRuntime;
  /** Aborted by `close()` at its deadline. */
  readonly cancel: Cancellation;
  /** The outbox lets go of a concluded event. */
  readonly forget: (deliveryId: string) => void;
  /** Hands an event stopped by `close()` to the shutdown (released to a durable outbox, or dead-lettered). */
  readonly leave: (message: OutboxRecord, attempts: number, job: PublishJob | undefined) => void;
}

/**
 * @internal The function a queue slot runs for each item: an `enqueue()`d record, or a `publish()` job. Never
 * rejects.
 * @example
 * ```ts
 * const queue = new DeliveryQueue(concurrency, publisherWorker(host), reportPending)
 * ```
 */
export function publisherWorker(host: WorkerHost): (item: OutboxRecord | PublishJob) => Promise<void> {
  const { runtime, cancel, forget, leave } = host;
  return async (item) => {
    const job = item instanceof PublishJob ? item : undefined;
    const message = job === undefined ? (item as OutboxRecord) : job.message;
    // Cancelled by its caller while it waited in the queue: nothing to send, nothing to keep.
    if (job?.settled) return forget(message.deliveryId);
    const link = job?.signal === undefined ? undefined : cancel.linkedWith(job.signal);
    const outcome = await deliver(runtime, message, link ?? cancel);
    link?.unlink();
    // Stopped by close() (not by the caller's own signal): the shutdown decides where the event goes.
    if (!outcome.ok && outcome.cancelled && cancel.aborted && !job?.signal?.aborted) {
      return leave(message, outcome.attempts, job);
    }
    let result: Settled;
    try {
      const concluded = concludeDelivery(runtime, message, outcome);
      // A success concludes synchronously: no promise on the hot path.
      result = concluded instanceof Promise ? await concluded : concluded;
    } catch (error) {
      // Unreachable by design (concluding never throws); if it happens the caller still hears of it.
      result = { error: toError(error) };
    }
    forget(message.deliveryId);
    job?.settle(result);
  };
}
