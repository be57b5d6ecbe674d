/**
 * Events being validated (an asynchronous schema) or stored (an asynchronous outbox): pending, not yet queued. A count
 * and a list of waiters rather than a set of promises: a hash table churned once per event costs more than it seems.
 *
 * @module
 */

/**
 * @internal
 *
 * @example
 * ```ts
 * const preparing = new PendingCount(() => metrics.pendingQueue?.(queue.pending + preparing.size))
 * preparing.track(storing)
 * await preparing.idle()
 * ```
 */
export class PendingCount {
  #size = 0;
  #waiters: (() => void)[] = [];
  readonly #onChange: () => void;
  readonly #done = (): void => {
    this.#size -= 1;
    this.#onChange();
    if (this.#size === 0 && this.#waiters.length > 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  get size(): number {
    return this.#size;
  }

  /** Counts `work` until it settles, either way. */
  track(work: Promise<unknown>): void {
    this.#size += 1;
    this.#onChange();
    work.then(this.#done, this.#done);
  }

  /** Resolves when nothing is pending; `undefined` when nothing is already. */
  idle(): Promise<void> | undefined {
    return this.#size === 0 ? undefined : new Promise((resolve) => this.#waiters.push(resolve));
  }
}
