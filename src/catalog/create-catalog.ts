/**
 * Builds a catalog from event definitions.
 *
 * @module
 */
import { EventValidationError, type ValidationIssue } from '../errors.js';
import type { Catalog, CatalogEntryOf, CatalogValidation } from './catalog.js';
import { type EventDefinition, isStandardSchema } from './define-event.js';
import type { StandardSchemaV1 } from './standard-schema.js';

function pathSegment(segment: PropertyKey | StandardSchemaV1.PathSegment): string | number {
  const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
  return typeof key === 'symbol' ? String(key) : key;
}

/** @internal Standard Schema issues → SDK issues, with paths rooted at the envelope's `data`. */
export function toDataIssues(issues: readonly StandardSchemaV1.Issue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: ['data', ...(issue.path ?? []).map(pathSegment)],
    message: issue.message,
  }));
}

function toValidation(type: string, result: StandardSchemaV1.Result<unknown>): CatalogValidation {
  if (result.issues === undefined) return { success: true, data: result.value };
  const issues = toDataIssues(result.issues);
  const first = issues[0];
  const where = first
    ? ` (${first.path.join('.')}: ${first.message}${issues.length > 1 ? `; ${issues.length - 1} more` : ''})`
    : '';
  return {
    success: false,
    error: new EventValidationError('invalid_data', `invalid data for ${type}${where}`, { issues, eventType: type }),
  };
}

function unknownType(type: string): CatalogValidation {
  const message = `unknown event type ${JSON.stringify(type)}: the catalog does not define it`;
  return {
    success: false,
    error: new EventValidationError('unknown_type', message, {
      issues: [{ path: ['type'], message: 'Unknown event type' }],
      eventType: type,
    }),
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Builds a catalog: it validates an event's `data` by its `type` and carries each event's data type, so
 * `publisher.publish(type, data)` and `receiver.on(type, handler)` are type-checked.
 *
 * @param definitions - events from {@link defineEvent}; each type at most once.
 * @throws {TypeError} when an entry is not an event definition, or a type is defined twice.
 * @example
 * ```ts
 * const catalog = createCatalog([
 *   ...buddyCatalog.definitions,
 *   defineEvent('billing.invoice.paid', z.object({ invoiceId: z.uuid() })),
 * ])
 * const result = catalog.validate('billing.invoice.paid', { invoiceId: 'nope' })
 * // { success: false, error: EventValidationError { code: 'invalid_data', issues: [{ path: ['data', 'invoiceId'], … }] } }
 * ```
 */
export function createCatalog<const TDefinitions extends readonly EventDefinition[]>(
  definitions: TDefinitions,
): Catalog<CatalogEntryOf<TDefinitions[number]>> {
  if (!Array.isArray(definitions)) throw new TypeError('createCatalog: definitions must be an array of defineEvent(…)');
  const schemas = new Map<string, StandardSchemaV1>();
  definitions.forEach((definition: EventDefinition, index) => {
    if (typeof definition?.type !== 'string' || !isStandardSchema(definition.schema)) {
      throw new TypeError(
        `createCatalog: definitions[${index}] is not an event definition; build it with defineEvent()`,
      );
    }
    if (schemas.has(definition.type)) {
      throw new TypeError(`createCatalog: event type ${JSON.stringify(definition.type)} is defined more than once`);
    }
    schemas.set(definition.type, definition.schema);
  });
  const types = Object.freeze([...schemas.keys()]);

  const validate = (type: string, data: unknown): CatalogValidation | Promise<CatalogValidation> => {
    const schema = schemas.get(type);
    if (schema === undefined) return unknownType(type);
    const result = schema['~standard'].validate(data);
    // Only an async schema pays for a promise: the receiver's hot path stays synchronous with zod and valibot.
    return isPromiseLike(result)
      ? Promise.resolve(result).then((r) => toValidation(type, r))
      : toValidation(type, result);
  };
  const catalog = {
    types,
    definitions: Object.freeze([...definitions]),
    has: (type: string): boolean => schemas.has(type),
    validate,
  };
  // The data types live in the schemas; at run time every event is validated the same way.
  return Object.freeze(catalog) as unknown as Catalog<CatalogEntryOf<TDefinitions[number]>>;
}
