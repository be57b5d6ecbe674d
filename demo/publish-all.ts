/**
 * Publishes the demo's events through any publisher and records each outcome as it settles.
 *
 * @module
 */

import type { BuddyCatalog } from '../src/catalog/buddy.js';
import { type DeliveryReceipt, isEventRelayError, type Publisher } from '../src/index.js';
import type { DemoEvent } from './demo-events.js';

/**
 * Outcomes so far; the progress line reads it while publishing runs.
 *
 * @example
 * ```ts
 * const tally: PublishTally = newPublishTally()
 * ```
 */
export interface PublishTally {
  settled: number;
  delivered: number;
  firstTry: number;
  deadLettered: number;
  /** Rejections other than `DeliveryError`: a bug, reported as lost. */
  unexpected: Error[];
  latenciesMs: number[];
}

/**
 * Publishes every event at once (the publisher queues them and runs `concurrency` at a time) and waits for all.
 *
 * @example
 * ```ts
 * const tally = newPublishTally()
 * await publishAll(publisher, demoEvents(300), tally)
 * ```
 */
export async function publishAll(
  publisher: Publisher<BuddyCatalog>,
  events: readonly DemoEvent[],
  tally: PublishTally,
): Promise<void> {
  const settle = (receipt: DeliveryReceipt): void => {
    tally.delivered++;
    if (receipt.attempts === 1) tally.firstTry++;
    tally.latenciesMs.push(receipt.durationMs);
  };
  await Promise.all(
    events.map((event) =>
      publisher
        .publish(event.type, event.data, { id: event.id })
        .then(settle, (error: unknown) => {
          if (isEventRelayError(error, 'DeliveryError')) tally.deadLettered++;
          else tally.unexpected.push(error instanceof Error ? error : new Error(String(error)));
        })
        .finally(() => {
          tally.settled++;
        }),
    ),
  );
}

/**
 * An empty tally.
 *
 * @example
 * ```ts
 * const tally = newPublishTally() // tally.delivered === 0
 * ```
 */
export function newPublishTally(): PublishTally {
  return { settled: 0, delivered: 0, firstTry: 0, deadLettered: 0, unexpected: [], latenciesMs: [] };
}
