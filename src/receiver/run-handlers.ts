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

/** One handler's outcome: its failure, or `undefined`. Never rejects, so the outcomes can be awaited one by one. */
async function outcome(handler: AnyHandler, event: unknown, ctx: HandlerContext): Promise<Error | undefined> {
  try {
    await handler(event as never, ctx);
    return undefined;
  } catch (error) {
    return asError(error);
  }
}

/**
 * @internal Starts every handler at once and waits for them all. Resolves to `undefined` on success, the failure
 * otherwise (an `AggregateError` for several, in the handlers' order).
 */
export async function runHandlers(
  handlers: readonly AnyHandler[],
  event: unknown,
  ctx: HandlerContext,
): Promise<Error | undefined> {
  // Every handler starts here, before the first await below.
  const outcomes = handlers.map((handler) => outcome(handler, event, ctx));
  const errors: Error[] = [];
  for (const pending of outcomes) {
    const error = await pending;
    if (error !== undefined) errors.push(error);
  }
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new AggregateError(errors, `${errors.length} handlers failed`);
}
