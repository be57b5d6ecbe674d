/**
 * `postgresOutbox`: a durable outbox that several publisher instances share. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` under a lease that the holder renews on a heartbeat while it lives; a crashed holder's
 * rows are taken over once its lease lapses. An enqueue inside the caller's transaction is the transactional
 * outbox: committed, it is delivered; rolled back, it never existed.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { OutboxError } from '../../errors.js';
import { type Logger, silentLogger } from '../../observability/logger.js';
import type { Outbox, OutboxAddOptions, OutboxAddResult, OutboxRecord } from '../../publisher/outbox.js';
import { Batcher } from './batcher.js';
import { leaseKeeper } from './lease-keeper.js';
import { outboxNames } from './outbox-names.js';
import { ENVELOPE_SEPARATOR, outboxQueries, runOutboxQuery } from './outbox-queries.js';
import { DEFAULT_OUTBOX_TABLE, type OutboxTableOptions } from './outbox-table-sql.js';
import { outboxWatchers } from './outbox-watchers.js';
import type { PgClient, PgPool } from './pg-client.js';

/**
 * Options of {@link postgresOutbox}.
 *
 * @example
 * ```ts
 * const options: PostgresOutboxOptions = { pool, schema: 'app', leaseMs: 60_000 }
 * ```
 */
export interface PostgresOutboxOptions extends OutboxTableOptions {
  /** A `pg` `Pool` (any `pg` ^8). The outbox keeps one of its connections for `LISTEN` while it is watched. */
  pool: PgPool;
  /**
   * How long a claimed row stays held without a heartbeat. The holder renews its leases every third of it while it
   * lives; a crashed holder's rows are taken over this long after its last heartbeat. @default 30000
   */
  leaseMs?: number;
  /**
   * How often the publisher is woken to look for rows without a notification: rows whose lease lapsed, and any
   * notification lost while the `LISTEN` connection was down. @default 1000
   */
  pollIntervalMs?: number;
  /**
   * `LISTEN` for other instances' commits, so a transactional enqueue is picked up at once. Turn it off behind a
   * pooler in transaction mode (PgBouncer), where `LISTEN` does not work; polling remains. @default true
   */
  listen?: boolean;
  /** Reports a lost `LISTEN` connection and failed lease renewals. @default silentLogger */
  logger?: Logger;
}

/**
 * The defaults of {@link PostgresOutboxOptions}.
 *
 * @example
 * ```ts
 * postgresOutbox({ pool, leaseMs: DEFAULT_POSTGRES_OUTBOX.leaseMs * 2 })
 * ```
 */
export const DEFAULT_POSTGRES_OUTBOX = Object.freeze({
  table: DEFAULT_OUTBOX_TABLE.table,
  leaseMs: 30_000,
  pollIntervalMs: 1_000,
  listen: true,
});

/** Rows per INSERT, `complete` calls per DELETE, and statements of one kind in flight at once. */
const MAX_BATCH = 500;
const MAX_DELETE_CALLS = 256;
const MAX_IN_FLIGHT = 2;

/**
 * A durable, shared outbox in a Postgres table (`shared: true`, `durable: true`). Create the table first with
 * `ensureOutboxTable()` or the SQL of `outboxTableSql()`; a missing table fails with a `ConfigError` saying so.
 *
 * - `add` without a transaction inserts the row already held by this instance (`'claimed'`: sent at once).
 * - `add` with `{ transaction: client }` inserts with the caller's client, inside their `BEGIN … COMMIT`, held by
 *   nobody (`'stored'`), and notifies the other instances when the transaction commits.
 * - Concurrent inserts and deletes share statements (group commit).
 *
 * @throws {TypeError} naming a bad option.
 * @example
 * ```ts
 * import pg from 'pg'
 * import { createPublisher, httpTransport } from '@teei/event-relay'
 * import { ensureOutboxTable, postgresOutbox } from '@teei/event-relay/postgres'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * await ensureOutboxTable({ pool })
 * const publisher = createPublisher({
 *   transport: httpTransport({ url: 'https://csr.example/webhooks/buddy-events', secret: 'a-long-random-secret' }),
 *   outbox: postgresOutbox({ pool }),
 * })
 * ```
 */
export function postgresOutbox(options: PostgresOutboxOptions): Outbox {
  if (typeof options !== 'object' || options === null) throw new TypeError('postgresOutbox(options): options required');
  const { pool } = options;
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError('pool must be a pg Pool (an object with query() and connect())');
  }
  const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? DEFAULT_POSTGRES_OUTBOX.leaseMs);
  const pollIntervalMs = positiveInteger(
    'pollIntervalMs',
    options.pollIntervalMs ?? DEFAULT_POSTGRES_OUTBOX.pollIntervalMs,
  );
  let listen = options.listen ?? DEFAULT_POSTGRES_OUTBOX.listen;
  if (typeof listen !== 'boolean') throw new TypeError(`listen must be a boolean, got ${String(listen)}`);
  const log = options.logger ?? silentLogger;
  // LISTEN keeps one connection for good: in a pool of one it would starve every other query.
  if (listen && (pool as { options?: { max?: unknown } }).options?.max === 1) {
    listen = false;
    log.warn({ operation: 'outbox', outbox: 'postgres' }, 'a pool of one connection cannot LISTEN: polling only');
  }
  const names = outboxNames(options.table ?? DEFAULT_POSTGRES_OUTBOX.table, options.schema);
  const sql = outboxQueries(names);
  const query = <R extends Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    client: PgClient = pool,
  ) => runOutboxQuery<R>(client, names, text, values);
  // Who holds a row: readable in the table by an operator, unique to this outbox object.
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leases = leaseKeeper(
    Math.max(1, Math.floor(leaseMs / 3)),
    {
      renew: (ids) => query(sql.renew, [ids, holder, leaseMs]),
      remove: (ids) => query(sql.complete, [ids]),
    },
    log,
  );
  const { held } = leases;

  const inserts = new Batcher<OutboxRecord, OutboxAddResult>(
    async (records) => {
      // One row per delivery id: an id twice in one statement would make ON CONFLICT DO UPDATE fail the whole batch.
      const unique = new Map<string, OutboxRecord>();
      for (const r of records) if (!unique.has(r.deliveryId)) unique.set(r.deliveryId, r);
      const batch = [...unique.values()];
      const ids = batch.map((r) => r.deliveryId);
      const bodies = batch.map((r) => JSON.stringify(r.envelope)).join(ENVELOPE_SEPARATOR);
      const times = batch.map((r) => r.enqueuedAt);
      const leasedAt = Date.now();
      const { rows } = await query<{ delivery_id: string }>(sql.insertClaimed, [ids, bodies, times, holder, leaseMs]);
      for (const row of rows) held.set(row.delivery_id, leasedAt);
      // Every add without a transaction answers 'claimed', as the contract wants: an id already stored and held by
      // another instance is sent by both (the receiver deduplicates), never lost.
      return records.map(() => 'claimed' as const);
    },
    MAX_BATCH,
    MAX_IN_FLIGHT,
  );
  // One item per `complete` call (the publisher already gathers the ids delivered meanwhile), one DELETE per batch.
  const deletes = new Batcher<readonly string[], void>(
    async (lists) => {
      const ids = lists.flat();
      try {
        await query(sql.complete, [ids]);
      } catch (error) {
        leases.unforgotten(ids);
        throw error;
      }
      for (const id of ids) held.delete(id);
      return [];
    },
    MAX_DELETE_CALLS,
    MAX_IN_FLIGHT,
  );

  const watchers = outboxWatchers({ pool, channel: names.channel, listen, pollIntervalMs, log });

  let closed: Promise<void> | undefined;
  const ensureOpen = (): void => {
    if (closed) throw new OutboxError('outbox_closed', 'this postgresOutbox is closed; create a new one');
  };
  let counting: Promise<number> | undefined;

  return {
    name: 'postgres',
    durable: true,
    shared: true,

    async add(record: OutboxRecord, addOptions?: OutboxAddOptions): Promise<OutboxAddResult> {
      ensureOpen();
      const transaction = addOptions?.transaction;
      if (transaction === undefined) return inserts.push(record);
      if (typeof (transaction as PgClient | null)?.query !== 'function') {
        throw new TypeError('transaction must be a pg client inside your open transaction (after BEGIN)');
      }
      await query(
        sql.insertInTransaction,
        [record.deliveryId, JSON.stringify(record.envelope), record.enqueuedAt, names.channel],
        transaction as PgClient,
      );
      // Inserted, or already there under this delivery id: either way it waits for the commit and a claim.
      return 'stored';
    },

    async claim(limit: number): Promise<OutboxRecord[]> {
      ensureOpen();
      if (!Number.isSafeInteger(limit) || limit < 1) return [];
      const leasedAt = Date.now();
      const { rows } = await query<{ delivery_id: string; envelope: string; enqueued_at: number | string }>(sql.claim, [
        limit,
        holder,
        leaseMs,
      ]);
      const records = rows.map((row) => {
        held.set(row.delivery_id, leasedAt);
        return {
          deliveryId: row.delivery_id,
          envelope: JSON.parse(row.envelope) as OutboxRecord['envelope'],
          enqueuedAt: Number(row.enqueued_at),
        };
      });
      return records.sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    },

    async complete(deliveryIds: readonly string[]): Promise<void> {
      if (deliveryIds.length > 0) await deletes.push(deliveryIds);
    },

    async release(deliveryIds: readonly string[]): Promise<void> {
      if (deliveryIds.length === 0) return;
      await query(sql.release, [deliveryIds, holder, names.channel]);
      for (const id of deliveryIds) held.delete(id);
    },

    watch(onAvailable: () => void): () => void {
      ensureOpen();
      return watchers.watch(onAvailable);
    },

    size(): Promise<number> {
      // Concurrent gauge reads share one count.
      counting ??= query<{ n: number | string }>(sql.size)
        .then(({ rows }) => Number(rows[0]?.n ?? 0))
        .finally(() => {
          counting = undefined;
        });
      return counting;
    },

    close(): Promise<void> {
      closed ??= (async () => {
        await watchers.close();
        await Promise.all([inserts.idle(), deletes.idle()]);
        await leases.stop();
        if (held.size === 0) return;
        // What the publisher did not give back is released here, so another instance need not wait for the lease.
        try {
          await query(sql.release, [[...held.keys()], holder, names.channel]);
          held.clear();
        } catch (error) {
          log.warn(
            { operation: 'outbox', outbox: 'postgres', held: held.size, err: (error as Error).message },
            'outbox could not release its rows on close; they are taken over once their lease lapses',
          );
        }
      })();
      return closed;
    },
  };
}

function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${option} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
