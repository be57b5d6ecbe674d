/**
 * Who listens to what: handlers by type, `onAny` handlers and error listeners, with the combined list per type
 * cached for the hot path.
 *
 * @module
 */
import type { ErrorContext, HandlerContext } from './types.js';

/**
 * @internal an error listener: the shape of the public `ErrorHandler` (receiver.ts), written out here so the
 * registry does not import the `Receiver` type that is built on it (no import cycle)
 */
type ErrorHandler = (error: Error, ctx: ErrorContext) => void | Promise<void>;

/** @internal a handler of any event */
export type AnyHandler = (event: never, ctx: HandlerContext) => unknown;

/** @internal any function: what `off()` takes, as a handler of any event or an error listener */
export type AnyFunction = (...args: never[]) => unknown;

/** @internal */
export interface HandlerRegistry {
  on(types: readonly string[], handler: AnyHandler): () => void;
  onAny(handler: AnyHandler): () => void;
  onError(handler: ErrorHandler): () => void;
  off(types: readonly string[] | undefined, handler: AnyFunction): void;
  /** The handlers of `type` then the `onAny` ones, in registration order. */
  handlersFor(type: string): readonly AnyHandler[];
  /** Whether an `on()` handler names `type`. */
  names(type: string): boolean;
  readonly errorHandlers: ReadonlySet<ErrorHandler>;
}

function requireFunction(value: unknown, method: string): void {
  if (typeof value !== 'function') throw new TypeError(`receiver.${method}: handler must be a function`);
}

/** @internal */
export function createHandlerRegistry(): HandlerRegistry {
  const byType = new Map<string, Set<AnyHandler>>();
  const any = new Set<AnyHandler>();
  const errorHandlers = new Set<ErrorHandler>();
  let cache = new Map<string, readonly AnyHandler[]>();
  const changed = (): void => {
    cache = new Map();
  };

  function off(types: readonly string[] | undefined, handler: AnyFunction): void {
    for (const type of types ?? byType.keys()) {
      const set = byType.get(type);
      if (set?.delete(handler as AnyHandler) && set.size === 0) byType.delete(type);
    }
    if (types === undefined) {
      any.delete(handler as AnyHandler);
      errorHandlers.delete(handler as ErrorHandler);
    }
    changed();
  }

  return {
    errorHandlers,
    on(types, handler) {
      requireFunction(handler, 'on');
      if (types.length === 0) throw new TypeError('receiver.on: give at least one event type');
      for (const type of types) {
        if (typeof type !== 'string') throw new TypeError('receiver.on: event types must be strings');
        let set = byType.get(type);
        if (set === undefined) {
          set = new Set();
          byType.set(type, set);
        }
        set.add(handler);
      }
      changed();
      return () => off(types, handler);
    },
    onAny(handler) {
      requireFunction(handler, 'onAny');
      any.add(handler);
      changed();
      return () => {
        any.delete(handler);
        changed();
      };
    },
    onError(handler) {
      requireFunction(handler, 'onError');
      errorHandlers.add(handler);
      return () => {
        errorHandlers.delete(handler);
      };
    },
    off,
    handlersFor(type) {
      let list = cache.get(type);
      if (list === undefined) {
        list = [...(byType.get(type) ?? []), ...any];
        // Types come from verified, validated events; the cache is still bounded, against a sender inventing types.
        if (cache.size >= 1000) cache = new Map();
        cache.set(type, list);
      }
      return list;
    },
    names(type) {
      return byType.has(type);
    },
  };
}
