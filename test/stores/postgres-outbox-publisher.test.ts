// createPublisher({ outbox: postgresOutbox(...) }) end to end: a real Postgres, a real node:http receiver on
// 127.0.0.1 that verifies signatures. The transactional outbox (rolled back: never sent; committed: delivered), the
// plain enqueue and publish paths, and close({ timeoutMs }) during an outage leaving the rows for the next start.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buddyCatalog, createPublisher, createReceiver, httpTransport, type Publisher } from '@teei/event-relay';
import type { BuddyCatalog } from '@teei/event-relay/buddy';
import { nodeReceiver } from '@teei/event-relay/node';
import { ensureOutboxTable, postgresOutbox } from '@teei/event-relay/postgres';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pgAvailable, uniqueName } from '../helpers/services.js';
import { dropAndEnd, eventually, outboxTable, record, testPool } from './outbox-pg-fixtures.js';

const SECRET = 'publisher-test-secret-of-32-bytes-at-least';

describe.skipIf(!pgAvailable())('createPublisher with postgresOutbox, end to end', () => {
  let pool: pg.Pool;
  let table: string;
  let matches: string;
  let server: Server;
  let url: string;
  let handled: string[];
  let down: boolean;
  const publishers: Publisher<BuddyCatalog>[] = [];

  const start = (options: { leaseMs?: number } = {}) => {
    const publisher = createPublisher({
      transport: httpTransport({ url, secret: SECRET, timeoutMs: 1000 }),
      catalog: buddyCatalog,
      outbox: postgresOutbox({ pool, table, ...options }),
      retry: { initialDelayMs: 100, maxDelayMs: 400 },
    });
    publishers.push(publisher);
    return publisher;
  };
  const matchData = () => {
    const { envelope } = record();
    return envelope.data as { matchId: string; participantId: string; buddyId: string; matchedAt: string };
  };

  beforeEach(async () => {
    pool = testPool(6);
    table = outboxTable();
    matches = uniqueName('matches');
    await ensureOutboxTable({ pool, table });
    await pool.query(`CREATE TABLE "${matches}" (id uuid PRIMARY KEY)`);
    handled = [];
    down = false;
    const receiver = createReceiver({ secret: SECRET, catalog: buddyCatalog });
    receiver.onAny((event) => {
      handled.push(event.metadata.id);
    });
    const handle = nodeReceiver(receiver);
    server = createServer((req, res) => {
      if (down) {
        req.resume();
        res.writeHead(503).end();
        return;
      }
      handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/buddy-events`;
  });

  afterEach(async () => {
    await Promise.all(publishers.splice(0).map((p) => p.close({ timeoutMs: 500 }).catch(() => {})));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.query(`DROP TABLE IF EXISTS "${matches}"`);
    await dropAndEnd([pool], [table]);
  });

  it('a rolled-back transaction is never sent; a committed one is delivered', async () => {
    const publisher = start();
    const inTransaction = async (end: 'COMMIT' | 'ROLLBACK') => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const data = matchData();
        await client.query(`INSERT INTO "${matches}" (id) VALUES ($1)`, [data.matchId]);
        const id = await publisher.enqueue('buddy.match.created', data, { transaction: client });
        await client.query(end);
        return id;
      } finally {
        client.release();
      }
    };
    const rolledBack = await inTransaction('ROLLBACK');
    const committed = await inTransaction('COMMIT');
    const sentAt = Date.now();
    await eventually(() => (handled.includes(committed) ? true : undefined), 5000);
    // Woken by NOTIFY, not by a poll tick: well under a second on a quiet machine, bounded loosely here.
    expect(Date.now() - sentAt).toBeLessThan(3000);
    // Longer than a poll: the rolled-back event had every chance to show up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(handled).not.toContain(rolledBack);
    expect(handled.filter((id) => id === committed)).toHaveLength(1);
    const rows = (await pool.query(`SELECT id FROM "${matches}"`)).rows;
    expect(rows).toHaveLength(1);
    await eventually(async () => ((await publisher.outbox.size()) === 0 ? true : undefined), 5000);
  });

  it('enqueue without a transaction and publish deliver through the table and leave it empty', async () => {
    const publisher = start();
    const ids = await Promise.all(
      Array.from({ length: 50 }, () => publisher.enqueue('buddy.match.created', matchData())),
    );
    const receipt = await publisher.publish('buddy.match.created', matchData());
    expect(receipt.attempts).toBe(1);
    await publisher.flush();
    await eventually(() => ([...ids, receipt.eventId].every((id) => handled.includes(id)) ? true : undefined), 5000);
    await eventually(async () => ((await publisher.outbox.size()) === 0 ? true : undefined), 5000);
  });

  it('close({ timeoutMs: 1500 }) with the endpoint down returns within 3 s; the rows wait for the next start', async () => {
    down = true;
    const first = start();
    const ids = await Promise.all(Array.from({ length: 20 }, () => first.enqueue('buddy.match.created', matchData())));
    await new Promise((resolve) => setTimeout(resolve, 300)); // deliveries are failing and retrying now
    const closing = Date.now();
    await first.close({ timeoutMs: 1500 });
    const elapsed = Date.now() - closing;
    console.log(`close({ timeoutMs: 1500 }) with the endpoint down took ${elapsed} ms`);
    expect(elapsed).toBeLessThan(3000);
    // Kept, and released rather than left to a 30 s lease.
    const { rows } = await pool.query(`SELECT delivery_id, locked_until FROM "${table}"`);
    expect(rows.map((row) => row.delivery_id).sort()).toEqual([...ids].sort());
    expect(rows.every((row) => row.locked_until === null)).toBe(true);
    expect(handled).toEqual([]);

    down = false;
    const restarted = Date.now();
    start(); // the default 30 s lease: only the release lets it resume at once
    await eventually(() => (ids.every((id) => handled.includes(id)) ? true : undefined), 10_000);
    expect(Date.now() - restarted).toBeLessThan(10_000);
    await eventually(async () => {
      const left = await pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
      return left.rows[0].n === 0 ? true : undefined;
    }, 5000);
  });
});
