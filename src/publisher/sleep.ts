/**
 * An abortable sleep that removes its listener, so thousands of waiting deliveries leak nothing.
 *
 * @module
 */

import type { Abortable } from './cancellation.js';

/**
 * Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts.
 *
 * @example
 * ```ts
 * await sleep(1000, controller.signal)
 * ```
 */
export function sleep(ms: number, signal?: Abortable): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
