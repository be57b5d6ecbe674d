/**
 * `publisher.close({ timeoutMs })`: refuse new events at once, let deliveries run until the deadline, then stop what
 * is left. A durable outbox keeps those events for the next start (they are released); the memory outbox cannot, so
 * they are dead-lettered with `error.code: 'shutdown'`. Never waits past the deadline: the wait for deliveries ends a
 * little before it, leaving time to release, dead-letter and close.
 *
 * @module
 */
import { EventRelayError, ShutdownError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Cancellation } from './cancellation.js';
import { type ConcludeRuntime, concludeDelivery } from './conclude-delivery.js';
import type { DeliveryOutcome } from './deliver.js';
import { toError } from './deliver.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { Outbox, OutboxRecord } from './outbox.js';
import type { OutboxRelay } from './outbox-relay.js';
import type { PublishJob } from './publish-job.js';
import type { CloseOptions } from './publisher-types.js';

/**
 * The defaults of {@link CloseOptions}.
 *
 * @example
 * ```ts
 * await publisher.close({ timeoutMs: DEFAULT_CLOSE.timeoutMs / 2 })
 * ```
 */
export const DEFAULT_CLOSE = Object.freeze({ timeoutMs: 10_000 });

/** The longest part of the budget kept for releasing, dead-lettering and closing once the wait ends. */
const CLEANUP_RESERVE_MS = 250;

/**
 * @internal
 * @throws {TypeError} naming `timeoutMs` when it is not a non-negative finite number.
 * @example
 * ```ts
 * closeTimeout({ timeoutMs: 1500 }) // 1500
 * ```
 */
export function closeTimeout(options: CloseOptions | undefined): number {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('close(options): options must be an object, e.g. { timeoutMs: 5000 }');
  }
  const timeoutMs = options?.timeoutMs ?? DEFAULT_CLOSE.timeoutMs;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`close({ timeoutMs }) must be a non-negative number of milliseconds, got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}

/**
 * @internal what closing needs from its publisher
 *
 * @example
 * ```ts
 * const shutdown = createShutdown({ runtime, outbox, queue, relay, cancel, forget, log, drained })
 * ```
 */
export interface ShutdownHost {
  readonly runtime: ConcludeRuntime;
  readonly outbox: Outbox;
  readonly queue: DeliveryQueue<OutboxRecord | PublishJob>;
  readonly relay: OutboxRelay;
  readonly cancel: Cancellation;
  readonly forget: (deliveryId: string) => void;
  readonly log: Logger | undefined;
  /** Resolves once nothing is being stored, queued or in flight. */
  readonly drained: () => Promise<void>;
}

/**
 * @internal
 *
 * @example
 * ```ts
 * if (shutdown.started) throw new PublisherClosedError()
 * ```
 */
export interface Shutdown {
  /** `close()` was called: new events are refused. */
  readonly started: boolean;
  /** `close()` has resolved: a record stored late is left at once. */
  readonly finished: boolean;
  close(timeoutMs: number): Promise<void>;
  /** Stops one undelivered record: kept in a durable outbox, or dead-lettered with `shutdown`. */
  leave(record: OutboxRecord, attempts: number, job: PublishJob | undefined): void;
}

/**
 * @internal
 *
 * @example
 * ```ts
 * await createShutdown(host).close(10_000)
 * ```
 */
export function createShutdown(host: ShutdownHost): Shutdown {
  const { runtime, outbox, queue, relay, cancel, forget, log } = host;
  let closing: Promise<void> | undefined;
  let finished = false;
  let timeoutMs: number = DEFAULT_CLOSE.timeoutMs;
  const kept: string[] = [];
  const deadLettering: Promise<void>[] = [];

  const leave = (record: OutboxRecord, attempts: number, job: PublishJob | undefined): void => {
    const eventId = record.envelope.metadata.id;
    if (outbox.durable) {
      kept.push(record.deliveryId);
      job?.settle({
        error: new ShutdownError(
          `event ${eventId} was not delivered before close() timed out (${timeoutMs} ms); it stays in the ${outbox.name} outbox and the next publisher that opens it delivers it`,
          { eventId, kept: true },
        ),
      });
      return;
    }
    const error = new ShutdownError(
      `the publisher closed before event ${eventId} was delivered (close() timed out after ${timeoutMs} ms); the ${outbox.name} outbox is not durable, so it was dead-lettered: redrive it once a publisher runs again`,
      { eventId, kept: false },
    );
    const outcome: DeliveryOutcome = { ok: false, attempts, retryable: true, error, durationMs: 0, cancelled: false };
    deadLettering.push(
      Promise.resolve(concludeDelivery(runtime, record, outcome)).then((settled) => {
        forget(record.deliveryId);
        job?.settle(settled);
      }),
    );
  };

  const run = async (): Promise<void> => {
    const deadline = performance.now() + timeoutMs;
    const reserve = Math.min(CLEANUP_RESERVE_MS, timeoutMs / 5);
    // Claiming stops first: a claim that was under way queues its records before the wait for the queue starts.
    const stopThenDrain = async (): Promise<void> => {
      await relay.stop();
      await host.drained();
    };
    const delivered = await within(stopThenDrain(), deadline - reserve);
    if (!delivered) {
      cancel.abort(new EventRelayError('shutdown', `close() timed out after ${timeoutMs} ms`));
      for (const item of queue.drain()) {
        if ('settle' in item) {
          if (item.settled) forget(item.message.deliveryId);
          else leave(item.message, 0, item);
        } else leave(item, 0, undefined);
      }
    }
    let cleaned: boolean;
    try {
      cleaned = await within(cleanUp(), deadline);
    } finally {
      finished = true;
    }
    if (!cleaned) {
      log?.error(
        { operation: 'close', outbox: outbox.name, timeoutMs },
        'close() reached its deadline before the outbox and the transport had closed; they finish in the background',
      );
    }
  };
  const cleanUp = async (): Promise<void> => {
    // Deliveries stopped by the abort return at once; their records are left through `leave`.
    await queue.idle();
    await Promise.all(deadLettering);
    if (kept.length > 0 || deadLettering.length > 0) {
      log?.warn(
        { operation: 'close', outbox: outbox.name, kept: kept.length, deadLettered: deadLettering.length, timeoutMs },
        outbox.durable
          ? `close() timed out: ${kept.length} undelivered event(s) stay in the ${outbox.name} outbox for the next start`
          : `close() timed out: ${deadLettering.length} undelivered event(s) dead-lettered with reason shutdown`,
      );
    }
    await quietly(kept.length > 0 ? outbox.release(kept.splice(0)) : undefined, 'outbox release failed');
    await relay.settled();
    await relay.reportDepth();
    await quietly(outbox.close(), 'outbox close failed');
    await runtime.transport.close?.();
  };
  const quietly = async (work: Promise<void> | undefined, what: string): Promise<void> => {
    try {
      await work;
    } catch (error) {
      // Nothing is lost: a durable outbox hands unreleased records out again once their holder is gone.
      log?.error({ operation: 'close', outbox: outbox.name, err: toError(error).message }, what);
    }
  };

  return {
    get started() {
      return closing !== undefined;
    },
    get finished() {
      return finished;
    },
    close(ms) {
      if (closing === undefined) {
        timeoutMs = ms;
        closing = run();
      }
      return closing;
    },
    leave,
  };
}

/** Whether `work` settled before `deadline` (a `performance.now()` time); its rejection propagates. */
async function within(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
