/**
 * The `ctx` each handler receives. Its `signal` is built only when a handler reads it, so the common handler that
 * never looks pays for no `AbortController`.
 *
 * @module
 */
import type { HeadersLike } from '../signing/types.js';
import type { HandlerContext } from './types.js';

/** @internal */
export class ReceiverHandlerContext implements HandlerContext {
  readonly deliveryId: string;
  readonly headers: HeadersLike;
  readonly receivedAt: Date;
  #controller: AbortController | undefined;
  #reason: Error | undefined;

  constructor(deliveryId: string, headers: HeadersLike, receivedAt: Date) {
    this.deliveryId = deliveryId;
    this.headers = headers;
    this.receivedAt = receivedAt;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts `signal` (now, or as soon as a handler reads it). Only the first reason counts. */
  abort(reason: Error): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
