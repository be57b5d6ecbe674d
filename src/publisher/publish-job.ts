/**
 * A `publish()` call waiting in the queue; `enqueue()` queues the bare record instead.
 *
 * @module
 */
import type { Settled } from './conclude-delivery.js';
import type { OutboxRecord } from './outbox.js';
import type { DeliveryReceipt } from './publisher-types.js';

/**
 * @internal
 *
 * @example
 * ```ts
 * queue.push(new PublishJob(record, resolve, reject, undefined, undefined))
 * ```
 */
export class PublishJob {
  settled = false;
  constructor(
    readonly message: OutboxRecord,
    readonly resolve: (receipt: DeliveryReceipt) => void,
    readonly reject: (error: unknown) => void,
    readonly signal: AbortSignal | undefined,
    readonly onAbort: (() => void) | undefined,
  ) {}

  /** Settles once; `false` when the caller's signal already did. */
  settle(result: Settled): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
    if (result.receipt) this.resolve(result.receipt);
    else this.reject(result.error);
    return true;
  }
}
