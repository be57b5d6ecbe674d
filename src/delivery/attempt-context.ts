/**
 * The context of one attempt, with a lazy `AbortSignal`. An `AbortController` per attempt, plus the listeners
 * `node:http` hangs on a request's signal, measured as the largest cost the publisher adds to a raw request loop; so
 * the signal is only built when a transport reads it. The SDK's own transports listen through {@link onAbort},
 * which takes the context's plain callback list on the publisher's attempts and the signal on anyone else's.
 *
 * @module
 */
import type { SendContext } from './transport.js';

/**
 * @internal
 * Calls `callback(reason)` once the attempt is aborted (at once if it already is); returns the function that stops
 * listening. On the publisher's attempts no `AbortSignal` is built; on any other context this listens to
 * `context.signal`.
 * @example
 * ```ts
 * const unlisten = onAbort(context, (reason) => request.destroy())
 * ```
 */
export function onAbort(context: SendContext, callback: (reason: unknown) => void): () => void {
  if (context instanceof AttemptContext) {
    context.onAbort(callback);
    // The publisher's contexts live for one attempt: their callbacks go with them.
    return noop;
  }
  const { signal } = context;
  if (signal.aborted) {
    callback(signal.reason);
    return noop;
  }
  const listener = (): void => callback(signal.reason);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/**
 * @internal Whether the attempt is already aborted, without building the publisher's lazy signal.
 * @example
 * ```ts
 * if (isAborted(context)) return Promise.resolve(abortedResult(undefined))
 * ```
 */
export function isAborted(context: SendContext): boolean {
  return context instanceof AttemptContext ? context.aborted : context.signal.aborted;
}

function noop(): void {}

/**
 * @internal
 * One attempt's context: `signal` is created on first read; `abort(reason)` aborts it (if built) and calls the
 * callbacks registered with `onAbort`.
 * @example
 * ```ts
 * const context = new AttemptContext(1); transport.send(message, context); context.abort(new TransportError('timeout', '…'))
 * ```
 */
export class AttemptContext implements SendContext {
  readonly attempt: number;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #callbacks: ((reason: unknown) => void)[] | undefined;

  constructor(attempt: number) {
    this.attempt = attempt;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Calls `callback(reason)` when the attempt is aborted (at once if it already is). */
  onAbort(callback: (reason: unknown) => void): void {
    if (this.#aborted) {
      callback(this.#reason);
      return;
    }
    // Several callbacks when a fan-out hands one context to several targets.
    if (this.#callbacks === undefined) this.#callbacks = [callback];
    else this.#callbacks.push(callback);
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (callbacks) for (const callback of callbacks) callback(reason);
  }
}
