/**
 * Child process: one `nodeReceiver` server over one idempotency store (memory, Redis through node-redis or ioredis,
 * Postgres), otherwise the receiving benchmark's SDK server: Buddy catalog, a no-op async handler. Answers
 * `{ op: 'start' }` with the port, `{ op: 'cpu' }` with its CPU time, `{ op: 'cleanup' }` by deleting its keys or
 * table.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createClient } from 'redis';
import { serveParent } from '../lib/child.js';
import {
  buddyCatalog,
  createReceiver,
  ensureIdempotencyTable,
  memoryIdempotencyStore,
  nodeReceiver,
  postgresIdempotencyStore,
  type RedisClientLike,
  redisIdempotencyStore,
} from '../lib/sdk.js';

export type StoreKind =
  | 'memory'
  | 'node-redis'
  | 'node-redis-no-timeout'
  | 'ioredis'
  | 'postgres'
  | 'postgres-async-commit';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
let cleanup: () => Promise<void> = async () => {};

async function openStore(kind: StoreKind, name: string) {
  if (kind === 'memory') return memoryIdempotencyStore();
  if (kind === 'postgres' || kind === 'postgres-async-commit') {
    // The second variant: the same store over connections that do not wait for the WAL flush at commit.
    const options = kind === 'postgres' ? {} : { options: '-c synchronous_commit=off' };
    const pool = new pg.Pool({ connectionString: PG_URL, max: 10, ...options });
    await ensureIdempotencyTable({ pool, table: name });
    cleanup = async () => {
      await pool.query(`DROP TABLE IF EXISTS "${name}"`);
      await pool.end();
    };
    return postgresIdempotencyStore({ pool, table: name });
  }
  const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  const prefix = `${name}:`;
  let quit = async () => {};
  let client: RedisClientLike = admin;
  if (kind === 'node-redis' || kind === 'node-redis-no-timeout') {
    // node-redis 6 arms an `AbortSignal.timeout` (5 s) per command by default; `timeout: 0` arms none.
    const commandOptions = kind === 'node-redis' ? {} : { commandOptions: { timeout: 0 } };
    const node = createClient({ url: REDIS_URL, ...commandOptions });
    await node.connect();
    client = node;
    quit = async () => void (await node.quit());
  }
  cleanup = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await quit();
    admin.disconnect();
  };
  return redisIdempotencyStore({ client, prefix });
}

async function start(kind: StoreKind, secret: string, name: string): Promise<number> {
  const receiver = createReceiver({ secret, catalog: buddyCatalog, idempotency: await openStore(kind, name) });
  receiver.on('buddy.checkin.completed', async () => {});
  const server = http.createServer(nodeReceiver(receiver));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

serveParent(async (msg) => {
  const m = msg as { op: 'cpu' } | { op: 'cleanup' } | { op: 'start'; store: StoreKind; secret: string; name: string };
  if (m.op === 'cpu') {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
  if (m.op === 'cleanup') return cleanup();
  return { port: await start(m.store, m.secret, m.name) };
});
