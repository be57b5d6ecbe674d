/**
 * `publisher.redrive()`: dead-lettered events sent again with their original delivery ids, `concurrency` at a time;
 * the delivered ones leave the dead-letter queue.
 *
 * @module
 */
import type { ConcludeRuntime } from './conclude-delivery.js';
import { deliver, toError } from './deliver.js';
import { record } from './delivery-report.js';
import type { RedriveOptions, RedriveResult } from './publisher-types.js';

/**
 * @internal
 *
 * @example
 * ```ts
 * const { delivered, failed } = await redrive(runtime, 16, { limit: 100 })
 * ```
 */
export async function redrive(
  runtime: ConcludeRuntime,
  concurrency: number,
  options: RedriveOptions = {},
): Promise<RedriveResult> {
  const { deadLetter, log, metrics } = runtime;
  const entries = await deadLetter.list(options.limit === undefined ? undefined : { limit: options.limit });
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
        log?.info(record(message, outcome.attempts, { status: outcome.status, redrive: true }), 'dead letter redriven');
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
}
