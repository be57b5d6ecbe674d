/**
 * The context of one attempt, with a lazy `AbortSignal`. An `AbortController` per attempt, plus the listeners
 * `node:http` hangs on a request's signal, measured as the largest cost the publisher adds to a raw request loop; so
 * the signal is only built when a transport reads it, and `httpTransport` registers a plain callback instead.
 *
 * @module
 */
import type { SendContext } from './transport.js';

/**
 * @internal the key of the cheap abort registration of {@link AttemptContext}
 *
 * @example
 * ```ts
 * context[ON_ABORT]((reason) => request.destroy())
 * ```
 */
export const ON_ABORT: unique symbol = Symbol('teei-event-relay.onAbort');

/**
 * @internal what a transport may look for on its context
 *
 * @example
 * ```ts
 * (context as AbortHookHolder)[ON_ABORT](() => request.destroy())
 * ```
 */
export interface AbortHookHolder {
  /** Calls `callback(reason)` when the attempt is aborted (at once if it already is). */
  [ON_ABORT](callback: (reason: unknown) => void): void;
}

/**
 * @internal
 * Registers `callback` through the context's cheap hook; `false` when the context has none (use its `signal`).
 * @example
 * ```ts
 * if (!onAbort(context, (reason) => request.destroy())) context.signal.addEventListener('abort', …)
 * ```
 */
export function onAbort(context: SendContext, callback: (reason: unknown) => void): boolean {
  if (!(context instanceof AttemptContext)) return false;
  context[ON_ABORT](callback);
  return true;
}

/**
 * @internal
 * One attempt's context: `signal` is created on first read; `abort(reason)` aborts it (if built) and calls the
 * registered callbacks.
 * @example
 * ```ts
 * const context = new AttemptContext(1); transport.send(message, context); context.abort(new TransportError('timeout', '…'))
 * ```
 */
export class AttemptContext implements SendContext, AbortHookHolder {
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

  [ON_ABORT](callback: (reason: unknown) => void): void {
    if (this.#aborted) {
      callback(this.#reason);
      return;
    }
    // Several callbacks when a fan-out hands one context to several HTTP targets.
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
