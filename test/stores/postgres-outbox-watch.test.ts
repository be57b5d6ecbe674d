// postgresOutbox.watch against the real Postgres: LISTEN wakes on another instance's commit (not on a rollback),
// comes back after the server drops its connection, and polling alone still finds rows when LISTEN is off.
import { ensureOutboxTable, postgresOutbox } from '@teei/event-relay/postgres';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { pgAvailable } from '../helpers/services.js';
import { dropAndEnd, eventually, outboxTable, record, testPool, wakeCounter } from './outbox-pg-fixtures.js';

// Long enough that a wake-up inside a test can only come from LISTEN/NOTIFY, never from the poll.
const NO_POLL = 600_000;

describe.skipIf(!pgAvailable())('postgresOutbox.watch: LISTEN/NOTIFY and polling', () => {
  let pools: pg.Pool[] = [];
  let tables: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  const setup = async () => {
    const table = outboxTable();
    tables.push(table);
    const writerPool = testPool();
    const watcherPool = testPool();
    pools.push(writerPool, watcherPool);
    await ensureOutboxTable({ pool: writerPool, table });
    return { table, writerPool, watcherPool };
  };
  const open = (options: Parameters<typeof postgresOutbox>[0]) => {
    const outbox = postgresOutbox(options);
    closers.push(() => outbox.close());
    return outbox;
  };
  const inTransaction = async (
    pool: pg.Pool,
    end: 'COMMIT' | 'ROLLBACK',
    work: (c: pg.PoolClient) => Promise<void>,
  ) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query(end);
    } finally {
      client.release();
    }
  };

  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close().catch(() => {})));
    await dropAndEnd(pools, tables);
    pools = [];
    tables = [];
  });

  it('wakes the watcher when another instance commits a transactional enqueue, not when it rolls back', async () => {
    const { table, writerPool, watcherPool } = await setup();
    const writer = open({ pool: writerPool, table });
    const watcher = open({ pool: watcherPool, table, pollIntervalMs: NO_POLL });
    const wakes = wakeCounter();
    const connected = wakes.next(10_000); // the first wake-up comes once LISTEN is in place
    watcher.watch?.(wakes.listener);
    await connected;

    const before = wakes.count;
    await inTransaction(writerPool, 'ROLLBACK', (c) => writer.add(record(), { transaction: c }).then(() => {}));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(wakes.count).toBe(before);

    const r = record();
    const woken = wakes.next(3000);
    await inTransaction(writerPool, 'COMMIT', (c) => writer.add(r, { transaction: c }).then(() => {}));
    await woken;
    expect(await watcher.claim(10)).toEqual([r]);
  });

  it('a burst of commits reaches the watcher as one wake-up per 25 ms at most, not one each', async () => {
    const { table, writerPool, watcherPool } = await setup();
    const writer = open({ pool: writerPool, table });
    const watcher = open({ pool: watcherPool, table, pollIntervalMs: NO_POLL });
    const wakes = wakeCounter();
    const connected = wakes.next(10_000);
    watcher.watch?.(wakes.listener);
    await connected;
    const before = wakes.count;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 40 }, () =>
        inTransaction(writerPool, 'COMMIT', (c) => writer.add(record(), { transaction: c }).then(() => {})),
      ),
    );
    await eventually(() => (wakes.count > before ? true : undefined), 3000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const elapsed = Date.now() - started;
    expect(wakes.count - before).toBeLessThanOrEqual(Math.ceil(elapsed / 25) + 1);
    expect((await watcher.claim(100)).length).toBe(40);
  });

  it('a release wakes the other instances, so they need not wait for a poll', async () => {
    const { table, writerPool, watcherPool } = await setup();
    const holder = open({ pool: writerPool, table });
    const watcher = open({ pool: watcherPool, table, pollIntervalMs: NO_POLL });
    const r = record();
    await holder.add(r);
    const wakes = wakeCounter();
    const connected = wakes.next(10_000);
    watcher.watch?.(wakes.listener);
    await connected;
    const woken = wakes.next(3000);
    await holder.release([r.deliveryId]);
    await woken;
    expect(await watcher.claim(10)).toEqual([r]);
  });

  it('comes back after the server drops the LISTEN connection, and hears commits again', async () => {
    const { table, writerPool, watcherPool } = await setup();
    const writer = open({ pool: writerPool, table });
    const watcher = open({ pool: watcherPool, table, pollIntervalMs: NO_POLL });
    const wakes = wakeCounter();
    const connected = wakes.next(10_000);
    watcher.watch?.(wakes.listener);
    await connected;

    const reconnected = wakes.next(10_000); // it wakes once more when LISTEN is back, for what it may have missed
    const { rows } = await writerPool.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE query = $1`,
      [`LISTEN "${table}"`],
    );
    expect(rows).toEqual([{ killed: true }]);
    await reconnected;

    const r = record();
    const woken = wakes.next(3000);
    await inTransaction(writerPool, 'COMMIT', (c) => writer.add(r, { transaction: c }).then(() => {}));
    await woken;
    expect(await watcher.claim(10)).toEqual([r]);
  });

  it('with LISTEN off, polling alone wakes the watcher within its interval', async () => {
    const { table, writerPool, watcherPool } = await setup();
    const writer = open({ pool: writerPool, table });
    const watcher = open({ pool: watcherPool, table, listen: false, pollIntervalMs: 300 });
    const found: string[] = [];
    watcher.watch?.(() => {
      void watcher.claim(10).then((records) => found.push(...records.map((x) => x.deliveryId)));
    });
    const r = record();
    await inTransaction(writerPool, 'COMMIT', (c) => writer.add(r, { transaction: c }).then(() => {}));
    await eventually(() => (found.includes(r.deliveryId) ? true : undefined), 3000);
    // No LISTEN connection was opened.
    const listening = await writerPool.query(`SELECT 1 FROM pg_stat_activity WHERE query = $1`, [`LISTEN "${table}"`]);
    expect(listening.rows).toEqual([]);
  });

  it('the default poll (1 s) finds a lapsed lease without any notification', async () => {
    const { table, writerPool, watcherPool } = await setup();
    const crashed = postgresOutbox({ pool: writerPool, table, leaseMs: 1000 });
    const survivor = open({ pool: watcherPool, table, leaseMs: 1000 });
    const r = record();
    await crashed.add(r);
    await writerPool.end(); // a crash: no release, no NOTIFY, no heartbeat
    const taken: string[] = [];
    survivor.watch?.(() => {
      void survivor.claim(10).then((records) => taken.push(...records.map((x) => x.deliveryId)));
    });
    await eventually(() => (taken.includes(r.deliveryId) ? true : undefined), 5000);
    await crashed.close();
  });

  it('the function watch returns stops the wake-ups and, for the last watcher, the LISTEN connection', async () => {
    const { table, writerPool, watcherPool } = await setup();
    const watcher = open({ pool: watcherPool, table, pollIntervalMs: 100 });
    const wakes = wakeCounter();
    const connected = wakes.next(10_000);
    const stop = watcher.watch?.(wakes.listener);
    await connected;
    stop?.();
    const after = wakes.count;
    await eventually(async () => {
      const { rows } = await writerPool.query(`SELECT 1 FROM pg_stat_activity WHERE query = $1`, [`LISTEN "${table}"`]);
      return rows.length === 0 ? true : undefined;
    }, 5000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(wakes.count).toBe(after);
  });
});
