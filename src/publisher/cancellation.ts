/**
 * A cancellation many waits listen to at once. The publisher's shutdown reaches every delivery (its attempt, its
 * retry sleep, its wait on the breaker); an `AbortSignal` with that many listeners costs more per attempt and makes
 * Node print a "possible EventTarget memory leak" warning past 10 of them, and `node:events`' `setMaxListeners` is
 * not available on every runtime the core loads on. This is a plain set of callbacks with the same shape.
 *
 * @module
 */

/**
 * @internal What the delivery code needs from a signal: an `AbortSignal` fits, so does a {@link Cancellation}.
 *
 * @example
 * ```ts
 * const signal: Abortable = new AbortController().signal
 * ```
 */
export interface Abortable {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * @internal A cancellation source and its signal in one object. Listeners run once, in the order added; one added
 * after the abort never runs (check `aborted` first, as with an `AbortSignal`).
 *
 * @example
 * ```ts
 * const shutdown = new Cancellation()
 * await sleep(1000, shutdown) // rejects as soon as shutdown.abort(reason) runs
 * ```
 */
export class Cancellation implements Abortable {
  #aborted = false;
  #reason: unknown;
  #listeners = new Set<() => void>();
  // The hot path (one registration per delivery attempt) uses numbered slots: no hashing, no allocation once warm.
  #slots: ((() => void) | undefined)[] = [];
  #free: number[] = [];

  /**
   * Registers `listener` like `addEventListener`, in a numbered slot; returns the slot for {@link untrack}, or -1
   * (and registers nothing) when already aborted.
   */
  track(listener: () => void): number {
    if (this.#aborted) return -1;
    const slot = this.#free.pop() ?? this.#slots.length;
    this.#slots[slot] = listener;
    return slot;
  }

  /** Frees a slot from {@link track}. */
  untrack(slot: number): void {
    if (slot < 0 || this.#slots[slot] === undefined) return;
    this.#slots[slot] = undefined;
    this.#free.push(slot);
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.#aborted) this.#listeners.add(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.#listeners.delete(listener);
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const listeners = [...this.#slots.filter((slot) => slot !== undefined), ...this.#listeners];
    this.#slots = [];
    this.#free = [];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }

  /**
   * A cancellation that aborts when this one or `other` does, with the reason of the first; `unlink()` removes its
   * listeners from both once the work it guards is over.
   */
  linkedWith(other: Abortable): Cancellation & { unlink(): void } {
    const linked = Object.assign(new Cancellation(), { unlink: () => {} });
    if (this.aborted) linked.abort(this.reason);
    else if (other.aborted) linked.abort(other.reason);
    else {
      const fromThis = (): void => linked.abort(this.reason);
      const fromOther = (): void => linked.abort(other.reason);
      this.addEventListener('abort', fromThis);
      other.addEventListener('abort', fromOther, { once: true });
      linked.unlink = () => {
        this.removeEventListener('abort', fromThis);
        other.removeEventListener('abort', fromOther);
      };
    }
    return linked;
  }
}
