/**
 * Makes a promise give up when an AbortSignal fires, without `addEventListener`: on Node 20 adding a listener to
 * the fresh signal of each attempt costs about 20 µs, more than signing the message. Pending waits are swept
 * instead by one shared, unref'd timer, so an abort is noticed within {@link ABORT_SWEEP_MS}; a PubAck, which
 * usually arrives within milliseconds, settles the wait at once. The publisher's own attempts do not come here:
 * `natsTransport` registers through their cheap abort hook; this path serves callers that pass a plain signal.
 *
 * @module
 */

/**
 * How often pending waits check their signal.
 *
 * @example
 * ```ts
 * await sleep(ABORT_SWEEP_MS * 2) // an aborted wait has rejected by now
 * ```
 */
export const ABORT_SWEEP_MS = 20;

interface Waiting {
  readonly signal: AbortSignal;
  readonly reject: (reason: unknown) => void;
  readonly reason: unknown;
}

const waiting = new Set<Waiting>();
let timer: ReturnType<typeof setInterval> | undefined;

function sweep(): void {
  for (const wait of waiting) {
    if (wait.signal.aborted) {
      waiting.delete(wait);
      wait.reject(wait.reason);
    }
  }
  if (waiting.size === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

/**
 * Settles like `promise`, or rejects with `reason` once `signal` is aborted (checked every
 * {@link ABORT_SWEEP_MS}). The caller checks `signal.aborted` before starting the work.
 *
 * @example
 * ```ts
 * const ack = await untilAborted(js.publish(subject, body, opts), context.signal, ABORTED)
 * ```
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, reason: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const wait: Waiting = { signal, reject, reason };
    waiting.add(wait);
    if (timer === undefined) {
      timer = setInterval(sweep, ABORT_SWEEP_MS);
      timer.unref?.();
    }
    promise.then(
      (value) => {
        waiting.delete(wait);
        resolve(value);
      },
      (error: unknown) => {
        waiting.delete(wait);
        reject(error);
      },
    );
  });
}
