/**
 * Child process: one publisher instance of the Postgres durability benchmark. A `round` runs `count` concurrent
 * `enqueue` calls (each resolves once stored), then `flush()`; `open` only starts a publisher on a table, which then
 * drains what other processes commit there. The parent times one or two such processes from outside. Publishers are
 * kept across rounds (warm JIT, warm pool).
 *
 * @module
 */
import pg from 'pg';
import type { BuddyCatalog } from '../../src/catalog/buddy.js';
import type { Publisher } from '../../src/index.js';
import { serveParent } from '../lib/child.js';
import { buddyCheckinData } from '../lib/payloads.js';
import { buddyCatalog, createPublisher, httpTransport, type Outbox, postgresOutbox } from '../lib/sdk.js';

/** Which publisher: its outbox, its table, where it sends. */
export interface PublisherRequest {
  readonly outbox: 'memory' | 'postgres';
  readonly url: string;
  readonly pgUrl: string;
  readonly table: string;
}

/** A round of `count` enqueues, or opening a publisher that drains its table. */
export type RoundRequest = PublisherRequest &
  ({ readonly op: 'round'; readonly count: number } | { readonly op: 'open' });

const SECRET = 'bench-publisher-secret-0123456789';
const TYPE = 'buddy.checkin.completed';
const DATA = buddyCheckinData(1024);

let pool: pg.Pool | undefined;
const publishers = new Map<string, Publisher<BuddyCatalog>>();

function publisherFor(request: PublisherRequest): Publisher<BuddyCatalog> {
  const key = `${request.outbox}:${request.table}:${request.url}`;
  const publisher = publishers.get(key);
  if (publisher) return publisher;
  let outbox: Outbox | undefined;
  if (request.outbox === 'postgres') {
    pool ??= new pg.Pool({ connectionString: request.pgUrl });
    outbox = postgresOutbox({ pool, table: request.table });
  }
  // Default concurrency (16) and maxQueue (10,000): the publisher as a user gets it.
  const created = createPublisher({
    transport: httpTransport({ url: request.url, secret: SECRET }),
    catalog: buddyCatalog,
    ...(outbox ? { outbox } : {}),
  });
  publishers.set(key, created);
  return created;
}

serveParent(async (msg) => {
  const request = msg as RoundRequest | { op: 'close' };
  if (request.op === 'close') {
    await Promise.all([...publishers.values()].map((p) => p.close()));
    publishers.clear();
    await pool?.end();
    pool = undefined;
    return null;
  }
  const publisher = publisherFor(request);
  if (request.op === 'open') return null;
  const started = performance.now();
  await Promise.all(Array.from({ length: request.count }, () => publisher.enqueue(TYPE, DATA)));
  const storedMs = performance.now() - started;
  await publisher.flush();
  return { storedMs, deliveredMs: performance.now() - started };
});
