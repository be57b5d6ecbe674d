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

/**
 * @internal Starts every handler at once and waits for those that returned a promise. Resolves to `undefined` on
 * success, the failure otherwise (an `AggregateError` for several, in the handlers' order).
 */
export async function runHandlers(
  handlers: readonly AnyHandler[],
  event: unknown,
  ctx: HandlerContext,
): Promise<Error | undefined> {
  const failures: Error[] = [];
  const settling: Promise<void>[] = [];
  handlers.forEach((handler, i) => {
    try {
      const result = handler(event as never, ctx);
      if (result !== undefined) {
        settling.push(
          Promise.resolve(result).then(undefined, (reason: unknown) => {
            failures[i] = asError(reason);
          }),
        );
      }
    } catch (error) {
      failures[i] = asError(error);
    }
  });
  if (settling.length > 0) await Promise.all(settling);
  // `failures` is sparse (indexed by handler): `filter` skips the holes.
  const errors = failures.filter((e) => e !== undefined);
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new AggregateError(errors, `${errors.length} handlers failed`);
}
