/**
 * What adapters need from a receiver beyond its public methods: the limits they read the body with, the checks
 * that need no body, and the answers for a mounting error or a body that never arrived. It hangs off the receiver
 * under a registered symbol, so the public `Receiver` type shows only what a user calls, and an adapter loaded from
 * another copy of the package (ESM beside CJS) still finds it.
 *
 * @module
 */
import type { HeadersLike } from '../signing/types.js';
import type { ReceiverResponse } from './types.js';

/** @internal the key of a receiver's adapter view; `Symbol.for` so that every copy of the package shares it */
export const ADAPTER_VIEW: unique symbol = Symbol.for('@teei/event-relay/adapter') as never;

/** @internal what adapters (src/adapters, the CLI, `receiver.fetch`) call besides the public methods */
export interface AdapterView {
  /** The body size cap, in bytes: reading stops past it. */
  readonly maxBodyBytes: number;
  /** How long to wait for a whole body, in milliseconds, before answering 408. */
  readonly bodyTimeoutMs: number;
  /**
   * The checks that need no body (405, 415, and 413 when `bodyBytes`, the `Content-Length` or the bytes read so
   * far, is over the cap): the answer when the request stops here, else `undefined`.
   */
  precheck(request: {
    method?: string | undefined;
    headers: HeadersLike;
    bodyBytes?: number | undefined;
  }): ReceiverResponse | undefined;
  /** Reports a mounting error (logged, sent to `onError`) and returns the 500 to answer. */
  misconfigured(error: Error): ReceiverResponse;
  /** The body did not arrive within `bodyTimeoutMs`: counts it and returns the 408 to answer (then close). */
  timedOut(): ReceiverResponse;
}

/**
 * @internal The adapter view of a receiver from `createReceiver`.
 * @throws {TypeError} naming `adapter` when `receiver` did not come from `createReceiver`.
 */
export function adapterView(adapter: string, receiver: unknown): AdapterView {
  const view = (receiver as { [ADAPTER_VIEW]?: AdapterView } | null | undefined)?.[ADAPTER_VIEW];
  if (typeof view?.precheck !== 'function') {
    throw new TypeError(`${adapter}: receiver must come from createReceiver()`);
  }
  return view;
}
