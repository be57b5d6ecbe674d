/**
 * The publisher's side of an outbox: it claims stored records in bounded batches as room frees in the queue (on
 * start, when `watch` fires, or by polling once a second), batches `complete` calls, and reports the outbox depth.
 *
 * @module
 */
import type { Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics.js';
import { toError } from './deliver.js';
import type { Outbox, OutboxRecord } from './outbox.js';

/**
 * @internal How often the relay polls an outbox without `watch`, and reports the depth gauge.
 *
 * @example
 * ```ts
 * setInterval(tick, OUTBOX_TICK_MS)
 * ```
 */
export const OUTBOX_TICK_MS = 1000;

/**
 * @internal what the relay needs from its publisher
 *
 * @example
 * ```ts
 * const host: RelayHost = { room: () => maxQueue - queue.pending, push: (records) => records.forEach(queue.push) }
 * ```
 */
export interface RelayHost {
  readonly outbox: Outbox;
  readonly log: Logger | undefined;
  readonly metrics: MetricsSink;
  /** How many more records the queue should take now (0 when it is full enough). */
  room(): number;
  /** Queues claimed records for delivery. */
  push(records: readonly OutboxRecord[]): void;
}

/**
 * @internal
 *
 * @example
 * ```ts
 * const relay = createOutboxRelay(host); relay.start()
 * ```
 */
export interface OutboxRelay {
  /** Starts claiming (a durable outbox only), watching or polling, and the depth gauge. */
  start(): void;
  /** Room freed in the queue: claims more if the outbox may hold some. */
  wake(): void;
  /** Forgets a delivered, dead-lettered or cancelled record; calls are batched. */
  complete(deliveryId: string): void;
  /** Stops claiming, watching and polling; resolves once the claim in progress (if any) has ended. */
  stop(): Promise<void>;
  /** Resolves once every `complete` so far has reached the outbox (or failed, logged). */
  settled(): Promise<void>;
  /** Reports the outbox depth now (the last report, before the outbox closes). */
  reportDepth(): Promise<void>;
  /** Resolves when the relay has nothing more to claim for now. */
  idle(): Promise<void>;
  /** Whether a claim runs or records may be waiting to be claimed. */
  readonly busy: boolean;
}

/**
 * @internal
 *
 * @example
 * ```ts
 * const relay = createOutboxRelay({ outbox, log, metrics, room: () => 32, push })
 * ```
 */
export function createOutboxRelay(host: RelayHost): OutboxRelay {
  const { outbox, log, metrics } = host;
  let stopped = false;
  // Records may be waiting: set on start, on `watch`, on a poll tick, after a failed claim; cleared by a short claim.
  let maybeMore = outbox.durable;
  // Bumped whenever something says "look again", so a claim that overlapped it does not clear `maybeMore`.
  let nudges = 0;
  let claiming: Promise<void> | undefined;
  let idleWaiters: (() => void)[] = [];
  let unwatch: (() => void) | undefined;
  // A claim failed: the ticker retries it even when the outbox has `watch`.
  let failed = false;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const notifyIdle = (): void => {
    if (claiming !== undefined || maybeMore) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const claimLoop = async (): Promise<void> => {
    while (!stopped && maybeMore) {
      const room = host.room();
      if (room <= 0) return; // `wake()` starts again once the queue drains
      const seen = nudges;
      let records: OutboxRecord[];
      try {
        records = await outbox.claim(room);
      } catch (error) {
        // The next tick tries again; nothing is lost, the records stay in the outbox.
        failed = true;
        log?.error({ operation: 'outbox', outbox: outbox.name, err: toError(error).message }, 'outbox claim failed');
        return;
      }
      failed = false;
      if (records.length > 0) host.push(records);
      if (records.length < room && nudges === seen) maybeMore = false;
    }
  };
  const pump = (): void => {
    if (claiming !== undefined || stopped || !maybeMore) return;
    claiming = claimLoop().finally(() => {
      claiming = undefined;
      notifyIdle();
    });
  };
  const nudge = (): void => {
    if (!outbox.durable || stopped) return;
    nudges += 1;
    maybeMore = true;
    pump();
  };

  const reportDepth =
    metrics.outboxDepth === undefined
      ? undefined
      : (): Promise<void> =>
          outbox.size().then(
            (size) => metrics.outboxDepth?.(size),
            () => {},
          );

  // Completions: one `complete` call in flight at a time, carrying every id that finished meanwhile.
  let toComplete: string[] = [];
  let completing: Promise<void> | undefined;
  const flushCompletes = (): Promise<void> => {
    const ids = toComplete;
    toComplete = [];
    return outbox.complete(ids).then(
      () => {},
      (error: unknown) => {
        // The records stay stored: the next start delivers them again, which the receiver absorbs as duplicates.
        log?.error(
          { operation: 'outbox', outbox: outbox.name, count: ids.length, err: toError(error).message },
          'outbox complete failed; these events may be delivered again after a restart',
        );
      },
    );
  };
  const completeLoop = async (): Promise<void> => {
    while (toComplete.length > 0) await flushCompletes();
    completing = undefined;
  };

  return {
    start() {
      if (outbox.durable) {
        unwatch = outbox.watch?.(nudge);
        pump();
      }
      if (reportDepth !== undefined || outbox.durable) {
        ticker = setInterval(() => {
          if (unwatch === undefined || failed) nudge();
          void reportDepth?.();
        }, OUTBOX_TICK_MS);
        // A publisher with nothing to do must not keep the process alive.
        ticker.unref?.();
        void reportDepth?.();
      }
    },
    wake: pump,
    complete(deliveryId) {
      toComplete.push(deliveryId);
      completing ??= completeLoop();
    },
    async stop() {
      stopped = true;
      maybeMore = false;
      clearInterval(ticker);
      unwatch?.();
      unwatch = undefined;
      await claiming;
      notifyIdle();
    },
    async settled() {
      await completing;
    },
    async reportDepth() {
      await reportDepth?.();
    },
    idle() {
      if (claiming === undefined && !maybeMore) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get busy() {
      return claiming !== undefined || maybeMore;
    },
  };
}
