/**
 * Pairs an event type with the schema of its data.
 *
 * @module
 */
import { EVENT_TYPE_PATTERN } from '../envelope/envelope-schema.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * One event of a catalog: its type and the Standard Schema of its `data`.
 *
 * @example
 * ```ts
 * const def: EventDefinition<'buddy.match.created', typeof BuddyMatchCreatedSchema> =
 *   defineEvent('buddy.match.created', BuddyMatchCreatedSchema)
 * ```
 */
export interface EventDefinition<TType extends string = string, TSchema extends StandardSchemaV1 = StandardSchemaV1> {
  /** `<domain>.<entity>.<action>`, e.g. `buddy.match.created`. */
  readonly type: TType;
  /** Validates the envelope's `data`; its output (unknown keys stripped, defaults applied) is what handlers get. */
  readonly schema: TSchema;
}

/** @internal a value that looks like a Standard Schema v1 (arktype's types are functions, hence the `function` case) */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as Partial<StandardSchemaV1>)['~standard'];
  return typeof props === 'object' && props !== null && props.version === 1 && typeof props.validate === 'function';
}

/**
 * Defines an event: its type and a schema of its data from any library implementing Standard Schema v1 (zod 3.24+,
 * zod 4, valibot, arktype), so you keep your own schema library and version.
 *
 * @param type - `<domain>.<entity>.<action>`: lowercase, three or more dot-separated tokens.
 * @param schema - the schema of `data`.
 * @throws {TypeError} when `type` does not match {@link EVENT_TYPE_PATTERN} or `schema` is not a Standard Schema v1.
 * @example
 * ```ts
 * import { z } from 'zod'
 * const invoicePaid = defineEvent('billing.invoice.paid', z.object({ invoiceId: z.uuid(), amountCents: z.int() }))
 * const catalog = createCatalog([invoicePaid])
 * ```
 */
export function defineEvent<const TType extends string, TSchema extends StandardSchemaV1>(
  type: TType,
  schema: TSchema,
): EventDefinition<TType, TSchema> {
  if (typeof type !== 'string' || !EVENT_TYPE_PATTERN.test(type)) {
    throw new TypeError(
      `defineEvent: event type ${JSON.stringify(type)} must be <domain>.<entity>.<action>: lowercase, 3 or more dot-separated tokens (e.g. "buddy.match.created")`,
    );
  }
  if (!isStandardSchema(schema)) {
    throw new TypeError(
      `defineEvent(${JSON.stringify(type)}): the data schema must implement Standard Schema v1 (zod 3.24+, zod 4, valibot 1, arktype 2)`,
    );
  }
  return Object.freeze({ type, schema });
}
