// postgresOutbox against the real Postgres, through the Outbox contract: claims, leases, takeover, SKIP LOCKED,
// transactional inserts, group commit and a missing table. One unique table per test, dropped afterwards.
import { isEventRelayError } from '@teei/event-relay';
import { ensureOutboxTable, postgresOutbox } from '@teei/event-relay/postgres';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { pgAvailable } from '../helpers/services.js';
import { dropAndEnd, eventually, outboxTable, record, testPool } from './outbox-pg-fixtures.js';

describe.skipIf(!pgAvailable())('postgresOutbox: the contract on the real Postgres', () => {
  let pools: pg.Pool[] = [];
  let tables: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  const setup = async (poolCount = 1) => {
    const table = outboxTable();
    tables.push(table);
    const made = Array.from({ length: poolCount }, () => testPool());
    pools.push(...made);
    await ensureOutboxTable({ pool: made[0]!, table });
    return { table, pools: made };
  };
  const open = (pool: pg.Pool, table: string, extra: { leaseMs?: number } = {}) => {
    const outbox = postgresOutbox({ pool, table, ...extra });
    closers.push(() => outbox.close());
    return outbox;
  };
  const rowsOf = async (pool: pg.Pool, table: string) =>
    (await pool.query(`SELECT delivery_id, locked_by, locked_until FROM "${table}" ORDER BY enqueued_at`)).rows;

  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close().catch(() => {})));
    await dropAndEnd(pools, tables);
    pools = [];
    tables = [];
  });

  it('says what it is: durable, shared, named postgres', async () => {
    const { table, pools } = await setup();
    const outbox = open(pools[0]!, table);
    expect(outbox).toMatchObject({ name: 'postgres', durable: true, shared: true });
    expect(typeof outbox.watch).toBe('function');
  });

  it('add without a transaction stores the row already held by this instance and answers claimed', async () => {
    const { table, pools } = await setup(2);
    const mine = open(pools[0]!, table);
    const other = open(pools[1]!, table);
    const r = record();
    expect(await mine.add(r)).toBe('claimed');
    const [row] = await rowsOf(pools[0]!, table);
    expect(row?.delivery_id).toBe(r.deliveryId);
    expect(row?.locked_by).toEqual(expect.any(String));
    expect(new Date(row?.locked_until as Date).getTime()).toBeGreaterThan(Date.now());
    // Held: neither this instance nor another hands it out again.
    expect(await other.claim(10)).toEqual([]);
    expect(await mine.claim(10)).toEqual([]);
    expect(await mine.size()).toBe(1);
    await mine.complete([r.deliveryId]);
    expect(await mine.size()).toBe(0);
    expect(await rowsOf(pools[0]!, table)).toEqual([]);
  });

  it('claim hands back the record as stored: envelope, delivery id and enqueue time, oldest first', async () => {
    const { table, pools } = await setup(2);
    const writer = open(pools[0]!, table);
    const reader = open(pools[1]!, table);
    const older = record(Date.now() - 5000);
    const newer = record(Date.now() - 1000);
    const client = await pools[0]!.connect();
    await client.query('BEGIN');
    await writer.add(newer, { transaction: client });
    await writer.add(older, { transaction: client });
    await client.query('COMMIT');
    client.release();
    const claimed = await reader.claim(10);
    expect(claimed).toEqual([older, newer]);
    expect(await writer.claim(10)).toEqual([]);
  });

  it('keeps any text of an envelope exactly: quotes, backslashes, control characters, emoji', async () => {
    const { table, pools } = await setup();
    const outbox = open(pools[0]!, table);
    const tricky = record();
    const envelope = {
      ...tricky.envelope,
      data: { ...tricky.envelope.data, note: 'a "quote", a \\ backslash, \x1e\x00\n\t, é, 🎉, {"json":[1]}' },
    };
    const batch = [record(), { ...tricky, envelope }, record()];
    await Promise.all(batch.map((r) => outbox.add(r)));
    await outbox.release(batch.map((r) => r.deliveryId));
    const claimed = await outbox.claim(10);
    expect(claimed.find((r) => r.deliveryId === tricky.deliveryId)).toEqual({ ...tricky, envelope });
    expect(claimed).toHaveLength(3);
  });

  it('a delivery id added again is one row; the add answers claimed and takes the lease only if nobody holds it', async () => {
    const { table, pools } = await setup(2);
    const a = open(pools[0]!, table);
    const b = open(pools[1]!, table);
    const r = record();
    // Twice in one batch, then again: one row, every add answered 'claimed' (publish() needs it).
    expect(await Promise.all([a.add(r), a.add(r)])).toEqual(['claimed', 'claimed']);
    expect(await a.add(r)).toBe('claimed');
    expect(await a.size()).toBe(1);
    const holderOf = async () =>
      (await pools[0]!.query(`SELECT locked_by FROM "${table}" WHERE delivery_id = $1`, [r.deliveryId])).rows[0]
        ?.locked_by;
    const aHolds = await holderOf();
    // Held by a: b's add does not steal the lease.
    expect(await b.add(r)).toBe('claimed');
    expect(await holderOf()).toBe(aHolds);
    // Released: b's add takes it, so no third instance claims it meanwhile.
    await a.release([r.deliveryId]);
    expect(await b.add(r)).toBe('claimed');
    expect(await holderOf()).not.toBe(aHolds);
    expect(await a.claim(10)).toEqual([]);
    await b.complete([r.deliveryId]);
    expect(await a.size()).toBe(0);
  });

  it('add with a transaction: rolled back leaves nothing, committed is stored for any instance to claim', async () => {
    const { table, pools } = await setup(2);
    const outbox = open(pools[0]!, table);
    const other = open(pools[1]!, table);
    const client = await pools[0]!.connect();
    try {
      const rolledBack = record();
      await client.query('BEGIN');
      expect(await outbox.add(rolledBack, { transaction: client })).toBe('stored');
      // Inside the transaction the row exists; outside, nobody sees it.
      expect((await client.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n).toBe(1);
      expect(await other.claim(10)).toEqual([]);
      await client.query('ROLLBACK');
      expect(await other.claim(10)).toEqual([]);
      expect(await outbox.size()).toBe(0);

      const committed = record();
      await client.query('BEGIN');
      expect(await outbox.add(committed, { transaction: client })).toBe('stored');
      await client.query('COMMIT');
      expect(await other.claim(10)).toEqual([committed]);
    } finally {
      client.release();
    }
  });

  it('add refuses a transaction that is not a pg client, with a TypeError naming it', async () => {
    const { table, pools } = await setup();
    const outbox = open(pools[0]!, table);
    await expect(outbox.add(record(), { transaction: {} })).rejects.toThrow(TypeError);
    await expect(outbox.add(record(), { transaction: 'BEGIN' })).rejects.toThrow(/transaction must be a pg client/);
    expect(await outbox.size()).toBe(0);
  });

  it('release gives rows back to any instance; a release by a non-holder changes nothing', async () => {
    const { table, pools } = await setup(2);
    const a = open(pools[0]!, table);
    const b = open(pools[1]!, table);
    const r = record();
    await a.add(r);
    await b.release([r.deliveryId]); // not b's: still held by a
    expect(await b.claim(10)).toEqual([]);
    await a.release([r.deliveryId]);
    const [row] = await rowsOf(pools[0]!, table);
    expect(row).toMatchObject({ locked_by: null, locked_until: null });
    expect(await b.claim(10)).toEqual([r]);
    expect(await a.claim(10)).toEqual([]);
  });

  it('the heartbeat renews a live holder’s leases, so nobody takes over while it lives', async () => {
    const { table, pools } = await setup(2);
    const holder = open(pools[0]!, table, { leaseMs: 900 });
    const thief = open(pools[1]!, table, { leaseMs: 900 });
    const r = record();
    await holder.add(r);
    // Three lease lengths: without renewal the row would be free after the first.
    const until = Date.now() + 2700;
    while (Date.now() < until) {
      expect(await thief.claim(10)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await holder.close(); // a clean close releases at once
    expect(await thief.claim(10)).toEqual([r]);
  });

  it('renews only leases that need it: a row delivered within half a beat is never rewritten', async () => {
    const { table, pools } = await setup();
    const pool = pools[0]!;
    const updates: { text: string; ids: unknown }[] = [];
    const counting = {
      query: (text: string, values?: unknown[]) => {
        if (text.startsWith('UPDATE')) updates.push({ text, ids: values?.[0] });
        return pool.query(text, values);
      },
      connect: () => pool.connect(),
    };
    const outbox = postgresOutbox({ pool: counting as unknown as pg.Pool, table, leaseMs: 3000 });
    closers.push(() => outbox.close());
    const quick = record();
    const slow = record();
    await outbox.add(quick);
    await outbox.add(slow);
    await outbox.complete([quick.deliveryId]);
    // Beats at 1 s and 2 s: `slow` is renewed at one of them, `quick` (gone) never.
    await eventually(() => (updates.length > 0 ? true : undefined), 5000);
    const renewed = await pool.query(`SELECT locked_until FROM "${table}" WHERE delivery_id = $1`, [slow.deliveryId]);
    expect(new Date(renewed.rows[0].locked_until).getTime()).toBeGreaterThan(Date.now() + 1500);
    expect(updates.every((u) => u.text.includes('SET locked_until'))).toBe(true);
    expect(updates.flatMap((u) => u.ids as string[])).not.toContain(quick.deliveryId);
    expect(updates.flatMap((u) => u.ids as string[])).toContain(slow.deliveryId);
  });

  it('a crashed holder’s rows are taken over once its lease lapses, not before', async () => {
    const { table, pools } = await setup(2);
    const crashed = postgresOutbox({ pool: pools[0]!, table, leaseMs: 1500 });
    const survivor = open(pools[1]!, table, { leaseMs: 1500 });
    const records = [record(), record(), record()];
    for (const r of records) expect(await crashed.add(r)).toBe('claimed');
    // The crash: its connections are gone, its heartbeat fails, nothing is released.
    const crashedAt = Date.now();
    await pools[0]!.end();
    expect(await survivor.claim(10)).toEqual([]);
    // The three leases began a moment apart, so they lapse a moment apart.
    const taken: { deliveryId: string }[] = [];
    let firstTakenAfter: number | undefined;
    await eventually(async () => {
      taken.push(...(await survivor.claim(10)));
      if (taken.length > 0) firstTakenAfter ??= Date.now() - crashedAt;
      return taken.length === records.length ? true : undefined;
    });
    expect(firstTakenAfter).toBeGreaterThanOrEqual(1000);
    expect(taken.map((r) => r.deliveryId).sort()).toEqual(records.map((r) => r.deliveryId).sort());
    // Now the survivor holds them under its own lease.
    const rows = await rowsOf(pools[1]!, table);
    expect(new Set(rows.map((row) => row.locked_by)).size).toBe(1);
    expect(await survivor.claim(10)).toEqual([]);
    await crashed.close(); // its pool is gone: close still returns
  });

  it('SKIP LOCKED: concurrent claimers split the rows, none handed out twice', async () => {
    const { table, pools } = await setup(4);
    const writer = open(pools[0]!, table);
    const all = Array.from({ length: 400 }, (_, i) => record(Date.now() - 400 + i));
    const client = await pools[0]!.connect();
    await client.query('BEGIN');
    for (const r of all) await writer.add(r, { transaction: client });
    await client.query('COMMIT');
    client.release();

    const claimers = pools.map((pool) => open(pool, table));
    const got = await Promise.all(
      claimers.map(async (outbox) => {
        const mine: string[] = [];
        for (;;) {
          const batch = await outbox.claim(7);
          if (batch.length === 0) return mine;
          mine.push(...batch.map((r) => r.deliveryId));
        }
      }),
    );
    const flat = got.flat();
    expect(flat).toHaveLength(400);
    expect(new Set(flat).size).toBe(400);
    expect(got.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
  });

  it('group commit: 1,000 concurrent adds share a few INSERTs, and 1,000 completes a few DELETEs', async () => {
    const { table, pools } = await setup();
    const statements: string[] = [];
    const pool = pools[0]!;
    const counting = {
      query: (text: string, values?: unknown[]) => {
        statements.push(text.trimStart().split(/\s/)[0]!);
        return pool.query(text, values);
      },
      connect: () => pool.connect(),
    };
    const outbox = postgresOutbox({ pool: counting as unknown as pg.Pool, table });
    closers.push(() => outbox.close());
    const all = Array.from({ length: 1000 }, () => record());
    const answers = await Promise.all(all.map((r) => outbox.add(r)));
    expect(answers.every((a) => a === 'claimed')).toBe(true);
    const inserts = statements.filter((s) => s === 'INSERT').length;
    expect(inserts).toBeGreaterThan(0);
    expect(inserts).toBeLessThanOrEqual(5);
    expect(await outbox.size()).toBe(1000);
    await Promise.all(all.map((r) => outbox.complete([r.deliveryId])));
    const deletes = statements.filter((s) => s === 'DELETE').length;
    expect(deletes).toBeLessThanOrEqual(5);
    expect(await outbox.size()).toBe(0);
  });

  it('a DELETE that failed is retried on the heartbeat: a delivered event does not linger, nor go to another instance', async () => {
    const { table, pools } = await setup(2);
    const pool = pools[0]!;
    let failDeletes = true;
    const flaky = {
      query: (text: string, values?: unknown[]) =>
        failDeletes && text.startsWith('DELETE')
          ? Promise.reject(new Error('connection terminated unexpectedly'))
          : pool.query(text, values),
      connect: () => pool.connect(),
    };
    const outbox = postgresOutbox({ pool: flaky as unknown as pg.Pool, table, leaseMs: 600 });
    closers.push(() => outbox.close());
    const other = open(pools[1]!, table, { leaseMs: 600 });
    const r = record();
    await outbox.add(r);
    await expect(outbox.complete([r.deliveryId])).rejects.toThrow(/connection terminated/);
    // Still held (renewed), so no other instance sends it again meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await other.claim(10)).toEqual([]);
    failDeletes = false;
    await eventually(async () => ((await other.size()) === 0 ? true : undefined), 5000);
  });

  it('with a pool of one connection it polls instead of keeping that connection for LISTEN', async () => {
    const { table } = await setup();
    const single = testPool(1);
    pools.push(single);
    const outbox = open(single, table);
    let woken = 0;
    outbox.watch?.(() => {
      woken += 1;
    });
    // Were LISTEN holding the only connection, this would wait forever.
    expect(await outbox.add(record())).toBe('claimed');
    expect(await outbox.size()).toBe(1);
    await eventually(() => (woken > 0 ? true : undefined), 3000);
  });

  it('never leaves the pool’s sessions without synchronous commit (only its own statements skip the flush wait)', async () => {
    const { table } = await setup();
    const single = testPool(1);
    pools.push(single);
    const outbox = open(single, table);
    const records = [record(), record(), record()];
    for (const r of records) await outbox.add(r);
    await outbox.release([records[0]!.deliveryId]);
    expect(await outbox.claim(5)).toEqual([records[0]]);
    await outbox.complete(records.map((r) => r.deliveryId));
    expect(await outbox.size()).toBe(0);
    // The same (only) connection served every statement above; the user's next transaction must still be durable.
    expect((await single.query('SHOW synchronous_commit')).rows).toEqual([{ synchronous_commit: 'on' }]);
  });

  it('close releases what this instance still holds, and refuses further use', async () => {
    const { table, pools } = await setup(2);
    const a = postgresOutbox({ pool: pools[0]!, table });
    const b = open(pools[1]!, table);
    const r = record();
    await a.add(r);
    await a.close();
    await a.close(); // idempotent
    expect(await b.claim(10)).toEqual([r]);
    const refused = await a.add(record()).catch((e: unknown) => e);
    expect(isEventRelayError(refused, 'OutboxError') && refused.code).toBe('outbox_closed');
    await expect(a.claim(1)).rejects.toThrow(/closed/);
  });

  it('a missing table fails with a ConfigError that says to call ensureOutboxTable() or run the SQL', async () => {
    const pool = testPool();
    pools.push(pool);
    const outbox = open(pool, outboxTable());
    for (const attempt of [() => outbox.add(record()), () => outbox.claim(5), () => outbox.size()]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isEventRelayError(error, 'ConfigError')).toBe(true);
      expect((error as Error).message).toMatch(/ensureOutboxTable\(.*outboxTableSql\(\)/s);
      expect((error as Error & { option?: string }).option).toBe('table');
    }
  });

  it('refuses bad options with a TypeError naming the option', () => {
    const pool = testPool();
    pools.push(pool);
    const bad = (options: unknown) => () => postgresOutbox(options as Parameters<typeof postgresOutbox>[0]);
    expect(bad(undefined)).toThrow(/options required/);
    expect(bad({ pool: {} })).toThrow(/pool must be a pg Pool/);
    expect(bad({ pool, table: 'x; DROP TABLE users' })).toThrow(/table must be a plain SQL identifier/);
    expect(bad({ pool, schema: 'a"b' })).toThrow(/schema must be a plain SQL identifier/);
    expect(bad({ pool, leaseMs: 0 })).toThrow(/leaseMs must be a positive integer/);
    expect(bad({ pool, pollIntervalMs: 1.5 })).toThrow(/pollIntervalMs must be a positive integer/);
    expect(bad({ pool, listen: 'yes' })).toThrow(/listen must be a boolean/);
  });
});
