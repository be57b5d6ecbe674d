/**
 * `ensureOutboxTable`: creates the outbox table and its indexes once, explicitly (never at import, never on first
 * use), safely when several instances start at the same moment.
 *
 * @module
 */
import { outboxNames } from './outbox-names.js';
import { DEFAULT_OUTBOX_TABLE, type OutboxTableOptions, outboxTableStatements } from './outbox-table-sql.js';
import type { PgPool } from './pg-client.js';

/**
 * Options of {@link ensureOutboxTable}.
 *
 * @example
 * ```ts
 * const options: EnsureOutboxTableOptions = { pool, schema: 'app' }
 * ```
 */
export interface EnsureOutboxTableOptions extends OutboxTableOptions {
  /** A `pg` `Pool` (the statements run in one transaction on one of its connections). */
  pool: PgPool;
}

/**
 * Creates the outbox table and its indexes when they are missing (and the schema, when one is given and missing).
 * Safe to run from every instance at start: when everything exists it only reads the catalog, so a role without
 * `CREATE` rights passes; otherwise the statements run in one transaction under an advisory lock, so concurrent
 * runs never trip over each other. The SQL is {@link outboxTableSql}'s.
 *
 * @throws {TypeError} naming `pool`, `table` or `schema` when one is unusable.
 * @example
 * ```ts
 * import pg from 'pg'
 * import { ensureOutboxTable } from '@teei/event-relay/postgres'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * await ensureOutboxTable({ pool })
 * ```
 */
export async function ensureOutboxTable(options: EnsureOutboxTableOptions): Promise<void> {
  const pool = options?.pool;
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError('pool must be a pg Pool (an object with query() and connect())');
  }
  const { table = DEFAULT_OUTBOX_TABLE.table, schema } = options;
  const names = outboxNames(table, schema);
  const statements = outboxTableStatements(names, schema);
  const present = await pool.query<{ ok: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AND to_regclass($3) IS NOT NULL AS ok',
    [names.table, qualify(names.availableIndex, schema), qualify(names.leaseIndex, schema)],
  );
  if (present.rows[0]?.ok === true) return;

  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event_relay_outbox:${names.key}`]);
    // `CREATE SCHEMA IF NOT EXISTS` demands the database's CREATE right even when the schema exists: ask first.
    if (statements.schema !== undefined) {
      const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (found.rows.length === 0) await client.query(statements.schema);
    }
    for (const statement of statements.table) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    // A connection that could not even roll back is not handed back to the pool.
    client.release(broken === undefined ? undefined : true);
  }
}

function qualify(quotedIndex: string, schema: string | undefined): string {
  return schema === undefined ? quotedIndex : `"${schema}".${quotedIndex}`;
}
