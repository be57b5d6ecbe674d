// Shared by the Postgres outbox suites: a pool per test on the shared server, a unique table dropped afterwards,
// records to store, and waits with generous bounds for a loaded machine.
import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@teei/event-relay';
import pg from 'pg';
import { PG_URL, uniqueName } from '../helpers/services.js';

/** A small pool on the test server; `end()` it (or let `dropTables` do it) when done. */
export function testPool(max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: PG_URL, max });
  // A connection the server drops (pg_terminate_backend in a test) must not crash the test process.
  pool.on('error', () => {});
  return pool;
}

/** A unique table name for this test. */
export function outboxTable(): string {
  return uniqueName('outbox');
}

/** Drops the tables (and schemas) a test created, then ends its pools. */
export async function dropAndEnd(
  pools: readonly pg.Pool[],
  tables: readonly string[],
  schemas: readonly string[] = [],
): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    for (const table of tables) await admin.query(`DROP TABLE IF EXISTS "${table}"`);
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
  await Promise.all(pools.map((pool) => (pool.ended ? undefined : pool.end())));
}

/** An outbox record of a fresh `buddy.match.created` event. */
export function record(enqueuedAt = Date.now()) {
  const envelope = createEnvelope('buddy.match.created', {
    matchId: randomUUID(),
    participantId: randomUUID(),
    buddyId: randomUUID(),
    matchedAt: new Date().toISOString(),
  });
  return { deliveryId: envelope.metadata.id, envelope, enqueuedAt };
}

/** Polls `check` every 25 ms until it returns a value other than `undefined`; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Counts `watch` wake-ups and lets a test wait for the next one. */
export function wakeCounter() {
  let count = 0;
  const waiters: (() => void)[] = [];
  return {
    listener: () => {
      count += 1;
      for (const resolve of waiters.splice(0)) resolve();
    },
    get count() {
      return count;
    },
    /** Resolves at the next wake-up; rejects after `timeoutMs`. */
    next(timeoutMs: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no wake-up within ${timeoutMs} ms`)), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
