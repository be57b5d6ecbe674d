/**
 * `postgresIdempotencyStore`: event ids claimed and remembered in a Postgres table, shared by every replica of a
 * receiver.
 *
 * @module
 */
import {
  DEFAULT_IDEMPOTENCY_TIMES,
  type IdempotencyState,
  type IdempotencyStore,
  type IdempotencyTimes,
  idempotencyTimes,
  positiveInteger,
} from '../../receiver/idempotency-store.js';
import { DEFAULT_IDEMPOTENCY_TABLE, type IdempotencyTableOptions, idempotencyNames } from './idempotency-table.js';
import type { PgClient } from './pg-client.js';

/**
 * Options of {@link postgresIdempotencyStore}.
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * const options: PostgresIdempotencyStoreOptions = { pool: new pg.Pool(), schema: 'app' }
 * ```
 */
export interface PostgresIdempotencyStoreOptions extends IdempotencyTimes, IdempotencyTableOptions {
  /** A `pg` `Pool` (or any client that runs parameterised queries). */
  pool: PgClient;
  /**
   * How often expired rows are deleted, in milliseconds, by a background batch started from `begin` (never awaited
   * by a request). `0` turns it off: then call `store.cleanup()` yourself, from a cron job.
   * @default 60_000
   */
  cleanupIntervalMs?: number;
  /**
   * Most rows one cleanup statement deletes; a full batch is followed by another, one at a time.
   * @default 1_000
   */
  cleanupBatchSize?: number;
}

/**
 * The defaults of {@link postgresIdempotencyStore}.
 *
 * @example `postgresIdempotencyStore({ pool, cleanupIntervalMs: DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS.cleanupIntervalMs * 5 })`
 */
export const DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS = Object.freeze({
  ...DEFAULT_IDEMPOTENCY_TIMES,
  ...DEFAULT_IDEMPOTENCY_TABLE,
  cleanupIntervalMs: 60_000,
  cleanupBatchSize: 1_000,
});

/**
 * A Postgres idempotency store: its `cleanup()` deletes expired rows (a batch at a time) and resolves with how many.
 *
 * @example `const deleted: number = await (store satisfies PostgresIdempotencyStore).cleanup()`
 */
export interface PostgresIdempotencyStore extends IdempotencyStore {
  cleanup(): Promise<number>;
}

const OWNER = 'postgresIdempotencyStore';
const MS = `* interval '1 millisecond'`;

/** The SQL of each operation, built once per table. Times come from the database's clock, shared by every replica. */
function queries(table: string) {
  // `claimed` reads the row as it was before the statement: a row inserted concurrently, invisible there, is a
  // claim in progress, which is what the ELSE answers.
  return {
    begin: `WITH claimed AS (
  INSERT INTO ${table} AS t (key, token, locked_until, expires_at)
  VALUES ($1, $2, now() + $3::float8 ${MS}, now() + $4::float8 ${MS})
  ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, locked_until = EXCLUDED.locked_until,
    completed_at = NULL, expires_at = EXCLUDED.expires_at
  WHERE t.expires_at <= now() OR (t.completed_at IS NULL AND t.locked_until <= now())
  RETURNING 1
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM claimed) THEN 'started'
  WHEN EXISTS (SELECT 1 FROM ${table} WHERE key = $1 AND completed_at IS NOT NULL) THEN 'completed'
  ELSE 'in_progress' END AS state`,
    renew: `INSERT INTO ${table} AS t (key, token, locked_until, expires_at)
VALUES ($1, $2, now() + $3::float8 ${MS}, now() + $4::float8 ${MS})
ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, locked_until = EXCLUDED.locked_until,
  completed_at = NULL, expires_at = EXCLUDED.expires_at
WHERE t.token = EXCLUDED.token OR t.expires_at <= now()`,
    complete: `INSERT INTO ${table} AS t (key, completed_at, expires_at) VALUES ($1, now(), now() + $3::float8 ${MS})
ON CONFLICT (key) DO UPDATE SET token = NULL, locked_until = NULL, completed_at = EXCLUDED.completed_at,
  expires_at = EXCLUDED.expires_at
WHERE t.token = $2::text OR t.expires_at <= now() OR (t.completed_at IS NULL AND t.locked_until <= now())`,
    release: `DELETE FROM ${table} WHERE key = $1 AND token = $2`,
    cleanup: `DELETE FROM ${table} WHERE key IN (
  SELECT key FROM ${table} WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
)`,
  };
}

/** A missing table gets a message that says how to create it. */
function explain(error: unknown, table: string): never {
  if ((error as { code?: unknown })?.code === '42P01') {
    throw new Error(
      `${OWNER}: the table ${table} does not exist: call ensureIdempotencyTable() at start, or run the SQL of idempotencyTableSql() in your migrations`,
      { cause: error },
    );
  }
  throw error;
}

/**
 * An idempotency store in Postgres, for a receiver running on several instances (or restarted). Each event id is
 * one row: a claim holds it with a token and a `locked_until` lease while the handlers run; a completed id is kept
 * until `expires_at` (`ttlMs`). Every change is one statement that checks the token, so a claim that lapsed and was
 * taken over cannot be completed or released by its former holder. Expired rows are deleted in the background, a
 * bounded batch at a time, through the `expires_at` index. Create the table first with `ensureIdempotencyTable()`
 * or the SQL of `idempotencyTableSql()`.
 *
 * @param options the pool, table and schema, TTL (24 h), lease (30 s) and cleanup schedule.
 * @throws {TypeError} naming the option when `pool` cannot query, a name is not a plain identifier, or a time is
 * not a positive integer.
 * @example
 * ```ts
 * import { createReceiver } from '@teei/event-relay'
 * import { ensureIdempotencyTable, postgresIdempotencyStore } from '@teei/event-relay/postgres'
 * import pg from 'pg'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * await ensureIdempotencyTable({ pool })
 * const receiver = createReceiver({
 *   secret: process.env.WEBHOOK_SIGNATURE_SECRET,
 *   idempotency: postgresIdempotencyStore({ pool }),
 * })
 * ```
 */
export function postgresIdempotencyStore(options: PostgresIdempotencyStoreOptions): PostgresIdempotencyStore {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${OWNER}: options must be an object`);
  const { pool } = options;
  if (typeof pool?.query !== 'function') {
    throw new TypeError(`${OWNER}: pool must be a pg Pool (or a client with query()), got ${typeof pool}`);
  }
  const { ttlMs, leaseMs } = idempotencyTimes(options, OWNER);
  const { table } = idempotencyNames(options);
  const cleanupIntervalMs = options.cleanupIntervalMs ?? DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS.cleanupIntervalMs;
  if (cleanupIntervalMs !== 0) positiveInteger(cleanupIntervalMs, 'cleanupIntervalMs', OWNER);
  const batch = positiveInteger(
    options.cleanupBatchSize ?? DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS.cleanupBatchSize,
    'cleanupBatchSize',
    OWNER,
  );
  const sql = queries(table);
  let lastCleanup = Date.now();
  let cleaning: Promise<number> | undefined;

  async function cleanup(): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await pool.query(sql.cleanup, [batch]).catch((e: unknown) => explain(e, table));
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < batch) return total;
    }
  }

  function maybeCleanup(): void {
    if (cleanupIntervalMs === 0 || cleaning !== undefined) return;
    const now = Date.now();
    if (now - lastCleanup < cleanupIntervalMs) return;
    lastCleanup = now;
    // In the background, one at a time; a failure waits for the next interval (call cleanup() to see errors).
    cleaning = cleanup()
      .catch(() => 0)
      .finally(() => {
        cleaning = undefined;
      });
  }

  return {
    ttlMs,
    leaseMs,
    async begin(key, token) {
      maybeCleanup();
      const { rows } = await pool
        .query<{ state: IdempotencyState }>(sql.begin, [key, token, leaseMs, ttlMs])
        .catch((e: unknown) => explain(e, table));
      const state = rows[0]?.state;
      if (state === undefined) throw new Error(`${OWNER}: begin returned no row`);
      return state;
    },
    async renew(key, token) {
      const { rowCount } = await pool
        .query(sql.renew, [key, token, leaseMs, ttlMs])
        .catch((e: unknown) => explain(e, table));
      return rowCount === 1;
    },
    async complete(key, token) {
      await pool.query(sql.complete, [key, token, ttlMs]).catch((e: unknown) => explain(e, table));
    },
    async release(key, token) {
      await pool.query(sql.release, [key, token]).catch((e: unknown) => explain(e, table));
    },
    cleanup,
  };
}
