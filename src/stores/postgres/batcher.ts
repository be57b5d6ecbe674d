/**
 * Group commit for queries: calls made while earlier batches are in flight (or in the same tick) share the next
 * query, so 10,000 enqueues cost a few dozen round trips and commits instead of 10,000, while a lone call still
 * goes out at once.
 *
 * @module
 */

interface Waiter<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * @internal Runs items through `run` in batches of at most `maxBatch`, at most `maxInFlight` batches at a time.
 * `run` answers one result per item, in order; when it throws, every item of that batch rejects with the error.
 *
 * @example
 * ```ts
 * const deletes = new Batcher<string, void>((ids) => remove(ids).then(() => ids.map(() => undefined)), 1000, 2)
 * await deletes.push(id)
 * ```
 */
export class Batcher<T, R> {
  #queue: Waiter<T, R>[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idleWaiters: (() => void)[] = [];
  readonly #run: (items: T[]) => Promise<readonly R[]>;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;

  constructor(run: (items: T[]) => Promise<readonly R[]>, maxBatch: number, maxInFlight: number) {
    this.#run = run;
    this.#maxBatch = maxBatch;
    this.#maxInFlight = maxInFlight;
  }

  /** Queues one item; resolves with its result once its batch ran. */
  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      // One microtask of patience: a synchronous burst of calls (a loop of enqueues) lands in one batch.
      queueMicrotask(() => {
        this.#scheduled = false;
        this.#pump();
      });
    });
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight += 1;
      void this.#send(batch);
    }
  }

  async #send(batch: Waiter<T, R>[]): Promise<void> {
    try {
      const results = await this.#run(batch.map((waiter) => waiter.item));
      for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i] as R);
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
    this.#inFlight -= 1;
    this.#pump();
    if (this.#queue.length === 0 && this.#inFlight === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
