/**
 * Calls back when an AbortSignal fires, without `addEventListener`: on Node 20 adding a listener to the fresh
 * signal of each attempt costs about 20 µs, more than signing the message. Watched signals are swept instead by
 * one shared, unref'd timer, so an abort is noticed within {@link ABORT_SWEEP_MS}; a PubAck, which usually arrives
 * within milliseconds, ends the watch at once. The publisher's own attempts do not come here: `natsTransport`
 * registers through their cheap abort hook; this path serves callers that pass a plain signal.
 *
 * @module
 */

/**
 * How often watched signals are checked.
 *
 * @example
 * ```ts
 * await sleep(ABORT_SWEEP_MS * 2) // an aborted watch has called back by now
 * ```
 */
export const ABORT_SWEEP_MS = 20;

interface Watch {
  readonly signal: AbortSignal;
  readonly callback: () => void;
}

const watching = new Set<Watch>();
let timer: ReturnType<typeof setInterval> | undefined;

function sweep(): void {
  for (const watch of watching) {
    if (watch.signal.aborted) {
      watching.delete(watch);
      watch.callback();
    }
  }
  if (watching.size === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

/**
 * Calls `callback` once `signal` is aborted (checked every {@link ABORT_SWEEP_MS}); returns the function that ends
 * the watch. The caller checks `signal.aborted` before starting the work.
 *
 * @example
 * ```ts
 * const unwatch = watchAbort(context.signal, () => settle(aborted()))
 * ```
 */
export function watchAbort(signal: AbortSignal, callback: () => void): () => void {
  const watch: Watch = { signal, callback };
  watching.add(watch);
  if (timer === undefined) {
    timer = setInterval(sweep, ABORT_SWEEP_MS);
    timer.unref?.();
  }
  return () => watching.delete(watch);
}
