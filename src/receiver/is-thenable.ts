/**
 * The one test for "did this step answer with a promise": the pipeline continues synchronously when it did not.
 *
 * @module
 */

/** @internal */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
