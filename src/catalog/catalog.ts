/**
 * The catalog's types: what a catalog can do, and the helpers that carry each event's data type from the schemas
 * to `publisher.publish` and `receiver.on`.
 *
 * @module
 */
import type { EventEnvelope } from '../envelope/envelope-schema.js';
import type { EventValidationError } from '../errors.js';
import type { EventDefinition } from './define-event.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * One event of a catalog at the type level: its type and the input and output types of its data schema. A catalog
 * is generic over the union of its entries. (A map from type to `{ input, output }` reads better, but `keyof` on it
 * would make `Catalog` contravariant, and `Catalog<BuddyEvents>` would no longer be assignable to `Catalog`.)
 *
 * @example
 * ```ts
 * type InvoicePaid = CatalogEntry<'billing.invoice.paid', { invoiceId: string }, { invoiceId: string }>
 * ```
 */
export interface CatalogEntry<TType extends string = string, TInput = unknown, TOutput = unknown> {
  readonly type: TType;
  readonly input: TInput;
  readonly output: TOutput;
}

/**
 * The catalog entries of a union of definitions.
 *
 * @example
 * ```ts
 * type Entries = CatalogEntryOf<typeof invoicePaid | typeof invoiceVoided>
 * ```
 */
export type CatalogEntryOf<TDefinition extends EventDefinition> = TDefinition extends unknown
  ? CatalogEntry<
      TDefinition['type'],
      StandardSchemaV1.InferInput<TDefinition['schema']>,
      StandardSchemaV1.InferOutput<TDefinition['schema']>
    >
  : never;

/**
 * The outcome of {@link Catalog.validate}: the schema's output (unknown keys stripped) or an `EventValidationError`
 * with code `unknown_type` or `invalid_data` and issues whose paths start with `'data'`.
 *
 * @example
 * ```ts
 * const result = catalog.validate(envelope.type, envelope.data)
 * if (!result.success) console.log(result.error.issues) // [{ path: ['data', 'matchId'], message: 'Invalid UUID' }]
 * ```
 */
export type CatalogValidation<TData = unknown> =
  | { success: true; data: TData }
  | { success: false; error: EventValidationError };

/**
 * The definitions of a catalog, one union member per event type.
 *
 * @example
 * ```ts
 * const defs: readonly CatalogDefinition<CatalogEntryOf<typeof invoicePaid>>[] = createCatalog([invoicePaid]).definitions
 * ```
 */
export type CatalogDefinition<TEntry extends CatalogEntry> = TEntry extends unknown
  ? EventDefinition<TEntry['type'], StandardSchemaV1<TEntry['input'], TEntry['output']>>
  : never;

/**
 * A set of event definitions, looked up by type. Build one with `createCatalog`.
 *
 * @example
 * ```ts
 * const result = buddyCatalog.validate('buddy.match.created', data)
 * if (result instanceof Promise) await result // only for schemas with async refinements
 * ```
 */
export interface Catalog<TEntry extends CatalogEntry = CatalogEntry> {
  /** Every event type, in definition order. */
  readonly types: readonly TEntry['type'][];
  /** The definitions, to build a larger catalog: `createCatalog([...buddyCatalog.definitions, mine])`. */
  readonly definitions: readonly CatalogDefinition<TEntry>[];
  /** Whether the catalog defines `type`. */
  has(type: string): type is TEntry['type'];
  /**
   * Validates `data` against the schema of `type`. Synchronous when the schema answers synchronously (zod and
   * valibot do, unless a refinement is async), so the hot path pays for no promise.
   */
  validate<TType extends string>(
    type: TType,
    data: unknown,
  ): CatalogValidation<EntryOutput<TEntry, TType>> | Promise<CatalogValidation<EntryOutput<TEntry, TType>>>;
  /** Type-level only (never set): the entries, read by {@link CatalogEventType} and friends. */
  readonly '~entries'?: TEntry;
}

type EntriesOf<C extends Catalog> = NonNullable<C['~entries']>;

/**
 * The entries that describe `TType`. Not `Extract<TEntry, { type: TType }>`: that is `never` for the wide
 * `CatalogEntry<string>` of an untyped catalog, where every type should map to `unknown` data.
 */
type EntryFor<TEntry extends CatalogEntry, TType extends string> = TEntry extends unknown
  ? TType extends TEntry['type']
    ? TEntry
    : never
  : never;

// `Extract` here, not `EntryFor`: `TEntry` must stay in covariant positions inside `Catalog`, or a typed catalog stops
// being assignable to `Catalog`. The `[never]` check gives the wide catalog its `unknown`.
type EntryOutput<TEntry extends CatalogEntry, TType extends string> = [Extract<TEntry, { type: TType }>] extends [never]
  ? unknown
  : Extract<TEntry, { type: TType }>['output'];

/**
 * The event types of a catalog, as a union of string literals.
 *
 * @example
 * ```ts
 * type BuddyEventType = CatalogEventType<typeof buddyCatalog> // 'buddy.match.created' | 'buddy.match.ended' | …
 * ```
 */
export type CatalogEventType<C extends Catalog> = EntriesOf<C>['type'];

/**
 * The data a handler receives for `T`: the schema's output.
 *
 * @example
 * ```ts
 * type Created = CatalogEventData<typeof buddyCatalog, 'buddy.match.created'> // { matchId: string; … }
 * ```
 */
export type CatalogEventData<C extends Catalog, T extends CatalogEventType<C>> = EntryFor<EntriesOf<C>, T>['output'];

/**
 * The data a publisher accepts for `T`: the schema's input.
 *
 * @example
 * ```ts
 * function publish<T extends CatalogEventType<C>>(type: T, data: CatalogEventInput<C, T>) { … }
 * ```
 */
export type CatalogEventInput<C extends Catalog, T extends CatalogEventType<C>> = EntryFor<EntriesOf<C>, T>['input'];

/**
 * The envelope a handler receives for `T`; distributes over a union of types, so `e.type` narrows `e.data`.
 *
 * @example
 * ```ts
 * function handle(e: CatalogEnvelope<typeof buddyCatalog, 'buddy.match.created' | 'buddy.match.ended'>) {
 *   if (e.type === 'buddy.match.ended') e.data.reason
 * }
 * ```
 */
export type CatalogEnvelope<C extends Catalog, T extends CatalogEventType<C> = CatalogEventType<C>> = T extends unknown
  ? EventEnvelope<CatalogEventData<C, T>, T>
  : never;
