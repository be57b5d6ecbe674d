/**
 * Every statement the Postgres outbox runs, built once per table. Leases are measured on the database's clock
 * (`now()`), so instances whose clocks disagree still agree on when a lease lapsed.
 *
 * @module
 */
import { ConfigError } from '../../errors.js';
import type { OutboxNames } from './outbox-names.js';
import type { PgClient } from './pg-client.js';

/**
 * @internal Joins the envelopes of one insert into one text parameter. `JSON.stringify` escapes every control
 * character, so U+001E never occurs inside one; one string costs `pg` no per-element escaping, as a `text[]` would.
 */
export const ENVELOPE_SEPARATOR = '\x1e';

const LEASE = `now() + ($LEASE::float8 * interval '1 millisecond')`;

/**
 * `synchronous_commit = off` for the statement's own transaction (SET LOCAL, never the session's). Only an insert must
 * reach the disk before it answers: a claim, a lease, a release or a delete that a database crash undoes (its last
 * fraction of a second) can only cause a repeated delivery, never a lost event, and not waiting for the WAL flush
 * makes those statements about three times faster.
 */
const NO_FLUSH_WAIT = `(SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL`;
const lease = (param: number): string => LEASE.replace('$LEASE', `$${param}`);

/**
 * @internal The outbox's statements for one table.
 *
 * @example
 * ```ts
 * const sql = outboxQueries(outboxNames('event_relay_outbox', undefined))
 * await pool.query(sql.complete, [ids])
 * ```
 */
export function outboxQueries(names: OutboxNames) {
  const t = names.table;
  return {
    /**
     * Many rows, held by this instance from the start: $1 ids (distinct), $2 envelopes joined by
     * {@link ENVELOPE_SEPARATOR}, $3 enqueuedAt ms, $4 holder, $5 lease. An id already stored keeps its row; this
     * instance takes its lease when nobody holds it. Answers the ids this instance now holds.
     */
    insertClaimed: `INSERT INTO ${t} AS o (delivery_id, envelope, enqueued_at, locked_by, locked_until)
SELECT r.d, r.e::json, to_timestamp(r.ms / 1000), $4, ${lease(5)}
FROM unnest($1::text[], string_to_array($2, E'\\x1e'), $3::float8[]) AS r(d, e, ms)
ON CONFLICT (delivery_id) DO UPDATE SET locked_by = EXCLUDED.locked_by, locked_until = EXCLUDED.locked_until
WHERE o.locked_until IS NULL OR o.locked_until < now()
RETURNING delivery_id`,
    /** One row inside the caller's transaction, held by nobody; the NOTIFY is sent at COMMIT, dropped on ROLLBACK. */
    insertInTransaction: `WITH inserted AS (
  INSERT INTO ${t} (delivery_id, envelope, enqueued_at) VALUES ($1, $2::json, to_timestamp($3::float8 / 1000))
  ON CONFLICT (delivery_id) DO NOTHING
  RETURNING delivery_id
)
SELECT delivery_id, pg_notify($4, '') FROM inserted`,
    /**
     * Up to $1 rows for holder $2 with lease $3: rows nobody holds, oldest first, then rows whose lease lapsed (never
     * this holder's own: its heartbeat renews them). SKIP LOCKED lets concurrent claimers split the rows.
     */
    claim: `WITH fresh AS (
  SELECT delivery_id FROM ${t} WHERE locked_until IS NULL
  ORDER BY enqueued_at LIMIT $1 FOR UPDATE SKIP LOCKED
), lapsed AS (
  SELECT delivery_id FROM ${t} WHERE locked_until < now() AND locked_by IS DISTINCT FROM $2
  ORDER BY locked_until LIMIT $1 FOR UPDATE SKIP LOCKED
), picked AS (
  SELECT delivery_id FROM fresh UNION ALL SELECT delivery_id FROM lapsed LIMIT $1
)
UPDATE ${t} AS o SET locked_by = $2, locked_until = ${lease(3)}
FROM picked WHERE o.delivery_id = picked.delivery_id AND ${NO_FLUSH_WAIT}
RETURNING o.delivery_id, o.envelope::text AS envelope, round(extract(epoch FROM o.enqueued_at) * 1000)::float8 AS enqueued_at`,
    /** Extends holder $2's lease on rows $1 to $3 ms from now. */
    renew: `UPDATE ${t} SET locked_until = ${lease(3)}
WHERE delivery_id = ANY($1::text[]) AND locked_by = $2 AND ${NO_FLUSH_WAIT}`,
    /** Delivered or dead-lettered: gone, whoever holds them now. */
    complete: `DELETE FROM ${t} WHERE delivery_id = ANY($1::text[]) AND ${NO_FLUSH_WAIT}`,
    /** Holder $2 gives rows $1 back and wakes the other instances on channel $3. */
    release: `WITH released AS (
  UPDATE ${t} SET locked_by = NULL, locked_until = NULL
  WHERE delivery_id = ANY($1::text[]) AND locked_by = $2 AND ${NO_FLUSH_WAIT}
  RETURNING 1
)
SELECT pg_notify($3, '') WHERE EXISTS (SELECT 1 FROM released)`,
    size: `SELECT count(*)::float8 AS n FROM ${t}`,
  } as const;
}

/** @internal The statements of {@link outboxQueries}. */
export type OutboxQueries = ReturnType<typeof outboxQueries>;

// undefined_table, undefined_column, invalid_schema_name: the table is missing or is not the outbox's shape.
const MISSING = new Set(['42P01', '42703', '3F000']);

/**
 * @internal Runs one statement; a missing or misshapen table becomes a {@link ConfigError} that says how to create
 * it, every other error passes through untouched.
 *
 * @example
 * ```ts
 * const { rows } = await runOutboxQuery(pool, names, sql.size)
 * ```
 */
export async function runOutboxQuery<R extends Record<string, unknown>>(
  client: PgClient,
  names: OutboxNames,
  text: string,
  values?: readonly unknown[],
): Promise<{ rows: R[]; rowCount: number | null }> {
  try {
    return await client.query<R>(text, values);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !MISSING.has(code)) throw error;
    throw new ConfigError(
      `the outbox table ${names.table} is missing or not an outbox table (${(error as Error).message}): call ` +
        `ensureOutboxTable({ pool${names.key === 'event_relay_outbox' ? '' : ', table, schema'} }) once at start, ` +
        'or run the SQL of outboxTableSql() in your migrations',
      { option: 'table', cause: error },
    );
  }
}
