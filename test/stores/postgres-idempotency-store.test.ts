// What only the Postgres store does: its DDL (printed and ensured), a clear error when the table is missing, and
// the cleanup of expired rows through the expires_at index, on the real Postgres.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS,
  ensureIdempotencyTable,
  idempotencyTableSql,
  postgresIdempotencyStore,
} from '../../src/stores/postgres.js';
import { PG_URL, pgAvailable, uniqueName } from '../helpers/services.js';
import { freshKey } from './backends.js';

describe('idempotencyTableSql and the options', () => {
  it('prints the schema, the table and its index, quoted', () => {
    const sql = idempotencyTableSql({ table: 'hooks', schema: 'app' });
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS "app";');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "app"."hooks" (');
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "hooks_expires_at" ON "app"."hooks" (expires_at);');
  });

  it('refuses names that are not plain identifiers, or too long for the index name', () => {
    expect(() => idempotencyTableSql({ table: 'x; DROP TABLE y' })).toThrow(/table must be a plain SQL identifier/);
    expect(() => idempotencyTableSql({ schema: 'a"b' })).toThrow(/schema must be a plain SQL identifier/);
    expect(() => idempotencyTableSql({ table: 'x'.repeat(53) })).toThrow(/table must be at most 52 characters/);
  });

  it('refuses a pool that cannot query, and bad cleanup options', () => {
    const pool = { query: async () => ({ rows: [], rowCount: 0 }) };
    expect(() => postgresIdempotencyStore({ pool: {} as never })).toThrow(/pool must be a pg Pool/);
    expect(() => postgresIdempotencyStore({ pool, cleanupIntervalMs: -1 })).toThrow(/cleanupIntervalMs/);
    expect(() => postgresIdempotencyStore({ pool, cleanupBatchSize: 0 })).toThrow(/cleanupBatchSize/);
    expect(DEFAULT_POSTGRES_IDEMPOTENCY_OPTIONS).toMatchObject({ table: 'event_relay_idempotency' });
  });
});

describe.skipIf(!pgAvailable())('postgresIdempotencyStore on the real Postgres', () => {
  let pool: pg.Pool;
  const schema = uniqueName('idem_schema');
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: PG_URL, max: 6 });
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('says how to create the table when it is missing', async () => {
    const store = postgresIdempotencyStore({ pool, schema, table: 'missing' });
    await expect(store.begin(freshKey(), 't')).rejects.toThrow(/call ensureIdempotencyTable\(\) at start/);
  });

  it('ensureIdempotencyTable: concurrent calls from several replicas all succeed, and it can run again', async () => {
    await Promise.all(Array.from({ length: 4 }, () => ensureIdempotencyTable({ pool, schema, table: 'ensured' })));
    await ensureIdempotencyTable({ pool, schema, table: 'ensured' });
    const { rows } = await pool.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'ensured' ORDER BY ordinal_position`,
      [schema],
    );
    expect(rows.map((r) => r.column_name)).toEqual(['key', 'token', 'locked_until', 'completed_at', 'expires_at']);
  });

  it('also runs on a single client', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await ensureIdempotencyTable({ pool: client, schema, table: 'on_client' });
      const store = postgresIdempotencyStore({ pool: client, schema, table: 'on_client' });
      expect(await store.begin(freshKey(), 't')).toBe('started');
    } finally {
      await client.end();
    }
  });

  it('cleanup deletes expired rows only, a batch at a time, and the cleanup query can use the index', async () => {
    await ensureIdempotencyTable({ pool, schema, table: 'cleaned' });
    const store = postgresIdempotencyStore({
      pool,
      schema,
      table: 'cleaned',
      ttlMs: 300,
      leaseMs: 300,
      cleanupIntervalMs: 0,
      cleanupBatchSize: 7,
    });
    const keep = postgresIdempotencyStore({ pool, schema, table: 'cleaned', cleanupIntervalMs: 0 });
    for (let i = 0; i < 20; i++) {
      const key = freshKey();
      await store.begin(key, 't');
      await store.complete(key, 't');
    }
    const kept = freshKey();
    await keep.begin(kept, 't');
    await keep.complete(kept, 't');
    await sleep(600);
    expect(await store.cleanup()).toBe(20);
    const { rows } = await pool.query(`SELECT key FROM "${schema}"."cleaned"`);
    expect(rows.map((r) => r.key)).toEqual([kept]);

    const client = await pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query(
        `EXPLAIN SELECT key FROM "${schema}"."cleaned" WHERE expires_at <= now() ORDER BY expires_at LIMIT 1000`,
      );
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
        /Index (Only )?Scan (using|on) "?cleaned_expires_at"?/,
      );
    } finally {
      client.release();
    }
  });

  it('starts a cleanup from begin once the interval has passed, without waiting for it', async () => {
    await ensureIdempotencyTable({ pool, schema, table: 'auto' });
    const store = postgresIdempotencyStore({
      pool,
      schema,
      table: 'auto',
      ttlMs: 200,
      leaseMs: 200,
      cleanupIntervalMs: 300,
    });
    const old = freshKey();
    await store.begin(old, 't');
    await store.complete(old, 't');
    await sleep(500);
    await store.begin(freshKey(), 't'); // past the interval: starts the cleanup in the background
    const deadline = Date.now() + 5_000;
    let left = 1;
    while (left > 0 && Date.now() < deadline) {
      await sleep(50);
      left = (await pool.query(`SELECT 1 FROM "${schema}"."auto" WHERE key = $1`, [old])).rowCount ?? 0;
    }
    expect(left).toBe(0);
  });
});
