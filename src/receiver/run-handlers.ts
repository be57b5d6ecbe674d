/**
 * Runs the handlers of one event concurrently and folds their failures into one error.
 *
 * @module
 */
import type { AnyHandler } from './handler-registry.js';
import type { HandlerContext } from './types.js';

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(`a handler threw a non-Error value: ${String(value)}`);
}

function fold(errors: Error[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new AggregateError(errors, `${errors.length} handlers failed`);
}

/**
 * @internal Starts every handler at once. Synchronous handlers cost no promise: the result is a promise only when
 * a handler returned one. Resolves to `undefined` on success, the failure otherwise (an `AggregateError` for
 * several).
 */
export function runHandlers(
  handlers: readonly AnyHandler[],
  event: unknown,
  ctx: HandlerContext,
): Error | undefined | Promise<Error | undefined> {
  let pending: PromiseLike<unknown>[] | undefined;
  const errors: Error[] = [];
  for (const handler of handlers) {
    try {
      const result = handler(event as never, ctx);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
        pending ??= [];
        pending.push(result as PromiseLike<unknown>);
      }
    } catch (error) {
      errors.push(asError(error));
    }
  }
  if (pending === undefined) return fold(errors);
  if (pending.length === 1) {
    // The usual case, one async handler: no allSettled array.
    return Promise.resolve(pending[0]).then(
      () => fold(errors),
      (reason: unknown) => {
        errors.push(asError(reason));
        return fold(errors);
      },
    );
  }
  return Promise.allSettled(pending).then((results) => {
    for (const r of results) if (r.status === 'rejected') errors.push(asError(r.reason));
    return fold(errors);
  });
}
