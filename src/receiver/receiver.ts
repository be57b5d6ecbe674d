/**
 * The `Receiver` interface and the types that carry a catalog's event types to its handlers.
 *
 * @module
 */
import type { Catalog, CatalogEnvelope, CatalogEventType } from '../catalog/catalog.js';
import type { EventEnvelope } from '../envelope/envelope-schema.js';
import type { AnyFunction } from './handler-registry.js';
import type { UnknownTypes } from './receiver-options.js';
import type {
  ErrorContext,
  HandlerContext,
  MessageResult,
  ReceiverHealth,
  ReceiverMessage,
  ReceiverRequest,
  ReceiverResponse,
} from './types.js';

/**
 * An event of a type no catalog describes: its data is an unchecked object.
 *
 * @example `receiver.onAny((e: UncheckedEvent) => console.log(e.type, Object.keys(e.data)))`
 */
export type UncheckedEvent<T extends string = string> = EventEnvelope<Record<string, unknown>, T>;

/**
 * The types `on()` accepts: the catalog's, or any string without a catalog.
 *
 * @example
 * ```ts
 * type T = ReceiverEventType<typeof buddyCatalog> // 'buddy.match.created' | …
 * ```
 */
export type ReceiverEventType<C> = [C] extends [Catalog] ? CatalogEventType<C> : string;

/**
 * The event a handler of `T` receives; a union of types distributes, so `e.type` narrows `e.data`.
 *
 * @example
 * ```ts
 * receiver.on(['buddy.match.created', 'buddy.match.ended'], (e: ReceiverEvent<typeof buddyCatalog, 'buddy.match.created' | 'buddy.match.ended'>) => {})
 * ```
 */
export type ReceiverEvent<C, T extends string = ReceiverEventType<C>> = [C] extends [Catalog]
  ? T extends CatalogEventType<C>
    ? CatalogEnvelope<C, T>
    : never
  : UncheckedEvent<T>;

/**
 * What `onAny` handlers receive: every catalog event, plus unchecked events when `unknownTypes` is `'accept'`.
 *
 * @example
 * ```ts
 * receiver.onAny((e: AnyReceiverEvent<typeof buddyCatalog, 'reject'>) => console.log(e.type))
 * ```
 */
export type AnyReceiverEvent<C, U extends UnknownTypes = UnknownTypes> = [C] extends [Catalog]
  ? CatalogEnvelope<C> | (U extends 'accept' ? UncheckedEvent : never)
  : UncheckedEvent;

/**
 * An event handler. Throw (or reject) to have the sender retry (500); throw `PermanentEventError` to refuse the
 * event for good (422).
 *
 * @example
 * ```ts
 * const handler: EventHandler<UncheckedEvent> = async (event, { deliveryId }) => { await save(deliveryId, event) }
 * ```
 */
export type EventHandler<E> = (event: E, ctx: HandlerContext) => void | Promise<void>;

/**
 * Hears every handler failure (several failures of one event come as one `AggregateError`) and the receiver's own.
 *
 * @example
 * ```ts
 * receiver.onError((error, { eventId }) => log.error({ err: error, eventId }, 'handler failed'))
 * ```
 */
export type ErrorHandler = (error: Error, ctx: ErrorContext) => void | Promise<void>;

/**
 * A receiver: verifies, validates, de-duplicates and dispatches events from HTTP (`handle`, `fetch`, the adapters)
 * and other transports (`handleMessage`). Build one with `createReceiver`.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, catalog: buddyCatalog })
 * receiver.on('buddy.match.created', async (e) => { await db.insertMatch(e.data.matchId) })
 * http.createServer(nodeReceiver(receiver)).listen(3000)
 * ```
 */
export interface Receiver<C extends Catalog | undefined = undefined, U extends UnknownTypes = UnknownTypes> {
  /** Adds a handler for one type or several; returns a function that removes it. */
  on<T extends ReceiverEventType<C>>(type: T | readonly T[], handler: EventHandler<ReceiverEvent<C, T>>): () => void;
  /** Adds a handler for every event; returns a function that removes it. */
  onAny(handler: EventHandler<AnyReceiverEvent<C, U>>): () => void;
  /** Adds an error listener; returns a function that removes it. */
  onError(handler: ErrorHandler): () => void;
  /** Removes a handler from the given types, or (with the handler alone) from everywhere, `onAny` and `onError` included. */
  off(type: ReceiverEventType<C> | readonly ReceiverEventType<C>[], handler: AnyFunction): void;
  off(handler: AnyFunction): void;
  /** The HTTP pipeline: 405, 415, 413, then {@link Receiver.handleMessage}'s checks. Never rejects. */
  handle(request: ReceiverRequest): Promise<ReceiverResponse>;
  /** `handle` for fetch runtimes: reads the body with the size cap. Never rejects. */
  fetch(request: Request): Promise<Response>;
  /** The transport-neutral pipeline (NATS): signature, JSON, envelope, catalog, rate limit, dedupe, handlers. Never rejects. */
  handleMessage(message: ReceiverMessage): Promise<MessageResult>;
  /** Counters since creation. */
  health(): ReceiverHealth;
}

/**
 * The part of a receiver that adapters and transports call: every `Receiver`, whatever its catalog, is one.
 *
 * @example
 * ```ts
 * function mount(receiver: ReceiverCore) { return (req: Request) => receiver.fetch(req) }
 * ```
 */
export type ReceiverCore = Pick<
  Receiver<Catalog | undefined, UnknownTypes>,
  'handle' | 'fetch' | 'handleMessage' | 'health'
>;
