/**
 * A FIFO with bounded concurrency. It stores the items themselves (no closure per item), so 100,000 queued events
 * cost little beyond their own bytes.
 *
 * @module
 */

/**
 * Runs `worker` on queued items, at most `concurrency` at a time, in order.
 *
 * @example
 * ```ts
 * const queue = new DeliveryQueue(16, (message) => deliverInBackground(message), (n) => metrics.pendingQueue?.(n))
 * queue.push(message)
 * await queue.idle()
 * ```
 */
export class DeliveryQueue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  #active = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #concurrency: number;
  readonly #worker: (item: T) => Promise<void>;
  readonly #onPending: (pending: number) => void;
  readonly #next = (): void => {
    this.#active -= 1;
    this.#pump();
    this.#changed();
  };

  constructor(concurrency: number, worker: (item: T) => Promise<void>, onPending: (pending: number) => void) {
    this.#concurrency = concurrency;
    this.#worker = worker;
    this.#onPending = onPending;
  }

  /** Queued plus in flight. */
  get pending(): number {
    return this.#items.length - this.#head + this.#active;
  }

  /** Adds an item; it starts at once when a slot is free. */
  push(item: T): void {
    this.#items.push(item);
    this.#pump();
    this.#changed();
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Removes and returns the items not started yet, oldest first (what a deadline on `close()` leaves). */
  drain(): T[] {
    const items = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    this.#changed();
    return items;
  }

  #pump(): void {
    while (this.#active < this.#concurrency && this.#head < this.#items.length) {
      const item = this.#items[this.#head] as T;
      this.#items[this.#head] = undefined;
      this.#head += 1;
      this.#active += 1;
      // The worker never rejects (the publisher turns every failure into a dead letter); `next` runs either way.
      this.#worker(item).then(this.#next, this.#next);
    }
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  #changed(): void {
    const pending = this.pending;
    this.#onPending(pending);
    if (pending === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
