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

/** One handler's call as a promise: a synchronous throw becomes a rejection. */
async function call(handler: AnyHandler, event: unknown, ctx: HandlerContext): Promise<void> {
  await handler(event as never, ctx);
}

/**
 * @internal Starts every handler at once and waits for all of them. Resolves to `undefined` on success, the failure
 * otherwise (an `AggregateError` for several).
 */
export async function runHandlers(
  handlers: readonly AnyHandler[],
  event: unknown,
  ctx: HandlerContext,
): Promise<Error | undefined> {
  const settled = await Promise.allSettled(handlers.map((handler) => call(handler, event, ctx)));
  const errors: Error[] = [];
  for (const result of settled) if (result.status === 'rejected') errors.push(asError(result.reason));
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new AggregateError(errors, `${errors.length} handlers failed`);
}
