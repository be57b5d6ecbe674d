/**
 * The idempotency table's DDL, for `ensureIdempotencyTable()` and for teams that run their own migrations.
 *
 * @module
 */
import { type PgClient, type PgPool, qualifiedName } from './pg-client.js';

/**
 * Where the idempotency table lives.
 *
 * @example `const location: IdempotencyTableOptions = { table: 'webhook_idempotency', schema: 'app' }`
 */
export interface IdempotencyTableOptions {
  /** The table's name: a plain identifier (letters, digits, `_`) of at most 52 characters. @default 'event_relay_idempotency' */
  table?: string;
  /** Its schema; without one, the connection's `search_path` decides. @default undefined */
  schema?: string;
}

/**
 * The defaults of {@link IdempotencyTableOptions}.
 *
 * @example `idempotencyTableSql({ table: `${DEFAULT_IDEMPOTENCY_TABLE.table}_staging` })`
 */
export const DEFAULT_IDEMPOTENCY_TABLE = Object.freeze({ table: 'event_relay_idempotency' });

// Postgres cuts identifiers at 63 bytes without a word: the index name (`<table>_expires_at`) must fit.
const MAX_TABLE = 52;

/** @internal The quoted table and index names; checks both options. */
export function idempotencyNames(options: IdempotencyTableOptions): { table: string; index: string; key: string } {
  const { table = DEFAULT_IDEMPOTENCY_TABLE.table, schema } = options;
  const quoted = qualifiedName(table, schema);
  if (table.length > MAX_TABLE) {
    throw new TypeError(`table must be at most ${MAX_TABLE} characters (its index adds 11), got ${table.length}`);
  }
  const index = `"${table}_expires_at"`;
  return { table: quoted, index, key: schema === undefined ? table : `${schema}.${table}` };
}

/** @internal The DDL, one statement per entry. */
function statements(options: IdempotencyTableOptions): string[] {
  const { table, index } = idempotencyNames(options);
  // A claim is a row with a `token` and a `locked_until` lease; a completed id has `completed_at` instead. Every row
  // expires at `expires_at`: the index lets the cleanup take the expired ones in order without a full scan.
  return [
    ...(options.schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS "${options.schema}";`]),
    `CREATE TABLE IF NOT EXISTS ${table} (
  key          text        PRIMARY KEY,
  token        text,
  locked_until timestamptz,
  completed_at timestamptz,
  expires_at   timestamptz NOT NULL
);`,
    `CREATE INDEX IF NOT EXISTS ${index} ON ${table} (expires_at);`,
  ];
}

/**
 * The SQL that creates the idempotency table and its index, for teams that run their own migrations. Idempotent
 * (`IF NOT EXISTS`); `ensureIdempotencyTable()` runs the same statements.
 *
 * @throws {TypeError} naming `table` or `schema` when one is not a plain identifier, or `table` is too long.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs'
 * import { idempotencyTableSql } from '@teei/event-relay/postgres'
 *
 * writeFileSync('migrations/0043_event_relay_idempotency.sql', idempotencyTableSql({ schema: 'app' }))
 * ```
 */
export function idempotencyTableSql(options: IdempotencyTableOptions = {}): string {
  return `${statements(options).join('\n')}\n`;
}

/**
 * Creates the idempotency table and its index when they do not exist. Safe to call from every replica at start:
 * an advisory lock serialises concurrent calls (two `CREATE TABLE IF NOT EXISTS` at once can otherwise fail). One
 * multi-statement query, so it runs in one transaction on one connection, from a pool or a single client alike.
 *
 * @param options the pool (or one client), and the table's name and schema.
 * @throws {TypeError} naming `table` or `schema` when one is not a plain identifier.
 * @example
 * ```ts
 * import { ensureIdempotencyTable } from '@teei/event-relay/postgres'
 * import pg from 'pg'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * await ensureIdempotencyTable({ pool })
 * ```
 */
export async function ensureIdempotencyTable(
  options: IdempotencyTableOptions & { pool: PgPool | PgClient },
): Promise<void> {
  const { key } = idempotencyNames(options);
  // `key` is made of plain identifiers (checked above), so it is safe inside a literal.
  const lock = `SELECT pg_advisory_xact_lock(hashtext('event-relay:${key}'));`;
  await options.pool.query([lock, ...statements(options)].join('\n'));
}
