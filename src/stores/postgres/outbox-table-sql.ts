/**
 * The outbox table's DDL, for `ensureOutboxTable()` and for teams that run their own migrations.
 *
 * @module
 */
import { type OutboxNames, outboxNames } from './outbox-names.js';

/**
 * Where the outbox table lives.
 *
 * @example
 * ```ts
 * const location: OutboxTableOptions = { table: 'event_relay_outbox', schema: 'app' }
 * ```
 */
export interface OutboxTableOptions {
  /** The table's name: a plain identifier (letters, digits, `_`). @default 'event_relay_outbox' */
  table?: string;
  /** Its schema; without one, the connection's `search_path` decides. @default undefined */
  schema?: string;
}

/**
 * The defaults of {@link OutboxTableOptions}.
 *
 * @example
 * ```ts
 * outboxTableSql({ table: `${DEFAULT_OUTBOX_TABLE.table}_staging` })
 * ```
 */
export const DEFAULT_OUTBOX_TABLE = Object.freeze({ table: 'event_relay_outbox' });

/**
 * @internal The DDL as separate statements: the schema's (when there is one) first, then the table and its indexes.
 *
 * @example
 * ```ts
 * const { schema, table } = outboxTableStatements(outboxNames('event_relay_outbox', undefined), undefined)
 * ```
 */
export function outboxTableStatements(
  names: OutboxNames,
  schema: string | undefined,
): { schema: string | undefined; table: readonly string[] } {
  return {
    schema: schema === undefined ? undefined : `CREATE SCHEMA IF NOT EXISTS "${schema}";`,
    // `envelope` is `json`, not `jsonb`: the text is kept as written, and nothing queries inside it on the hot path.
    // `locked_until` is NULL for a row nobody holds; the two partial indexes keep both claim paths (fresh rows in
    // order, lapsed leases by age) off the rows that live instances hold.
    table: [
      `CREATE TABLE IF NOT EXISTS ${names.table} (
  delivery_id  text        PRIMARY KEY,
  envelope     json        NOT NULL,
  enqueued_at  timestamptz NOT NULL DEFAULT now(),
  locked_by    text,
  locked_until timestamptz
);`,
      `CREATE INDEX IF NOT EXISTS ${names.availableIndex} ON ${names.table} (enqueued_at) WHERE locked_until IS NULL;`,
      `CREATE INDEX IF NOT EXISTS ${names.leaseIndex} ON ${names.table} (locked_until) WHERE locked_until IS NOT NULL;`,
    ],
  };
}

/**
 * The SQL that creates the outbox table and its indexes, for teams that run their own migrations. Idempotent
 * (`IF NOT EXISTS`); `ensureOutboxTable()` runs the same statements.
 *
 * @throws {TypeError} naming `table` or `schema` when one is not a plain identifier.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs'
 * import { outboxTableSql } from '@teei/event-relay/postgres'
 *
 * writeFileSync('migrations/0042_event_relay_outbox.sql', outboxTableSql({ schema: 'app' }))
 * ```
 */
export function outboxTableSql(options: OutboxTableOptions = {}): string {
  const { table = DEFAULT_OUTBOX_TABLE.table, schema } = options;
  const statements = outboxTableStatements(outboxNames(table, schema), schema);
  return `${[...(statements.schema ? [statements.schema] : []), ...statements.table].join('\n')}\n`;
}
