// ensureOutboxTable and outboxTableSql against the real Postgres: idempotent, safe when instances race, usable by
// a role without DDL rights once the table exists, and the printed SQL builds a working outbox table.
import { ensureOutboxTable, outboxTableSql, postgresOutbox } from '@teei/event-relay/postgres';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PG_URL, pgAvailable, uniqueName } from '../helpers/services.js';
import { dropAndEnd, outboxTable, record, testPool } from './outbox-pg-fixtures.js';

const indexesOf = async (pool: pg.Pool, table: string, schema = 'public') =>
  (
    await pool.query<{ indexname: string; indexdef: string }>(
      'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname',
      [schema, table],
    )
  ).rows;

describe('outboxTableSql', () => {
  it('prints the table and its two partial indexes, idempotent, for the default table', () => {
    const sql = outboxTableSql();
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS "event_relay_outbox" \(/);
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "event_relay_outbox_available" ON "event_relay_outbox"');
    expect(sql).toContain('CREATE INDEX IF NOT EXISTS "event_relay_outbox_leased" ON "event_relay_outbox"');
    expect(sql).not.toContain('SCHEMA');
  });

  it('qualifies every name with the schema, and creates the schema first', () => {
    const sql = outboxTableSql({ table: 'relay', schema: 'app' });
    expect(sql.split('\n')[0]).toBe('CREATE SCHEMA IF NOT EXISTS "app";');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "app"."relay"');
    expect(sql).toContain('ON "app"."relay" (enqueued_at) WHERE locked_until IS NULL');
  });

  it('refuses a name that is not a plain identifier, so no SQL can ride in on it', () => {
    expect(() => outboxTableSql({ table: 'outbox"; DROP TABLE users; --' })).toThrow(TypeError);
    expect(() => outboxTableSql({ schema: 'a b' })).toThrow(/schema must be a plain SQL identifier/);
  });

  it('keeps the index names of two long tables apart instead of letting Postgres cut them to one', () => {
    const long = 'a'.repeat(60);
    const one = outboxTableSql({ table: `${long}_1` });
    const two = outboxTableSql({ table: `${long}_2` });
    const names = (sql: string) => [...sql.matchAll(/CREATE INDEX IF NOT EXISTS "([^"]+)"/g)].map((m) => m[1]!);
    for (const name of [...names(one), ...names(two)]) expect(name.length).toBeLessThanOrEqual(63);
    expect(new Set([...names(one), ...names(two)]).size).toBe(4);
  });
});

describe.skipIf(!pgAvailable())('ensureOutboxTable on the real Postgres', () => {
  let pools: pg.Pool[] = [];
  let tables: string[] = [];
  let schemas: string[] = [];
  const roles: string[] = [];

  afterEach(async () => {
    await dropAndEnd(pools, tables, schemas);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    for (const role of roles.splice(0)) await admin.query(`DROP OWNED BY "${role}"; DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
    pools = [];
    tables = [];
    schemas = [];
  });

  it('creates the table and both indexes, and a second run changes nothing', async () => {
    const pool = testPool();
    pools.push(pool);
    const table = outboxTable();
    tables.push(table);
    await ensureOutboxTable({ pool, table });
    const indexes = await indexesOf(pool, table);
    expect(indexes.map((i) => i.indexname).sort()).toEqual(
      [`${table}_available`, `${table}_leased`, `${table}_pkey`].sort(),
    );
    await pool.query(`INSERT INTO "${table}" (delivery_id, envelope) VALUES ('kept', '{}')`);
    await ensureOutboxTable({ pool, table });
    expect((await pool.query(`SELECT delivery_id FROM "${table}"`)).rows).toEqual([{ delivery_id: 'kept' }]);
    expect(await indexesOf(pool, table)).toEqual(indexes);
  });

  it('is safe when six instances run it at the same moment', async () => {
    const table = outboxTable();
    tables.push(table);
    const racers = Array.from({ length: 6 }, () => testPool(2));
    pools.push(...racers);
    const results = await Promise.allSettled(racers.map((pool) => ensureOutboxTable({ pool, table })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await indexesOf(racers[0]!, table)).toHaveLength(3);
  });

  it('creates a missing schema, and the outbox works there', async () => {
    const pool = testPool();
    pools.push(pool);
    const schema = uniqueName('relay_schema');
    schemas.push(schema);
    await ensureOutboxTable({ pool, schema });
    expect(await indexesOf(pool, 'event_relay_outbox', schema)).toHaveLength(3);
    const outbox = postgresOutbox({ pool, schema });
    expect(await outbox.add(record())).toBe('claimed');
    expect(await outbox.size()).toBe(1);
    await outbox.close();
  });

  it('passes for a role without CREATE rights once the table exists (every instance may call it at start)', async () => {
    const admin = testPool();
    pools.push(admin);
    const table = outboxTable();
    tables.push(table);
    const role = uniqueName('relay_app');
    roles.push(role);
    await admin.query(`CREATE ROLE "${role}" LOGIN`);
    await ensureOutboxTable({ pool: admin, table });
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO "${role}"`);
    const url = new URL(PG_URL);
    url.username = role;
    const app = new pg.Pool({ connectionString: url.toString(), max: 2 });
    pools.push(app);
    // The role cannot create anything in public (Postgres 15's default): only the catalog check lets it pass.
    await expect(app.query(`CREATE TABLE "${table}_x" (id int)`)).rejects.toThrow(/permission denied/);
    await ensureOutboxTable({ pool: app, table });
    const outbox = postgresOutbox({ pool: app, table });
    expect(await outbox.add(record())).toBe('claimed');
    await outbox.close();
  });

  it('the printed SQL, run as a migration, builds a table the outbox works with', async () => {
    const pool = testPool();
    pools.push(pool);
    const table = outboxTable();
    tables.push(table);
    await pool.query(outboxTableSql({ table }));
    await pool.query(outboxTableSql({ table })); // a migration tool may run it twice
    const outbox = postgresOutbox({ pool, table });
    const r = record();
    expect(await outbox.add(r)).toBe('claimed');
    await outbox.release([r.deliveryId]);
    expect(await outbox.claim(5)).toEqual([r]);
    await outbox.close();
  });

  it('refuses something that is not a pool, with a TypeError naming it', async () => {
    await expect(ensureOutboxTable({ pool: {} as pg.Pool })).rejects.toThrow(/pool must be a pg Pool/);
  });
});
