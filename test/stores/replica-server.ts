// One receiver replica, as its own process: nodeReceiver on 127.0.0.1 over a shared idempotency store. The replica
// tests start several, send them the same events, SIGKILL them mid-handler and restart them.
//
// Env: STORE (node-redis | ioredis | postgres), STORE_NAME (key prefix or table), SECRET, LEASE_MS, REPLICA (a
// name), HANDLER_MS (when set, every handler sleeps this long instead of the event's data.sleepMs), REDIS_URL,
// PG_URL. Prints `listening <port>`, then `start <eventId>` and `done <eventId>` around each handler run (stdout is
// a pipe, written synchronously on Linux: a line printed is a line the parent gets, even after a SIGKILL).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createReceiver, type IdempotencyStore } from '@teei/event-relay';
import { nodeReceiver } from '@teei/event-relay/node';
import { postgresIdempotencyStore } from '@teei/event-relay/postgres';
import { redisIdempotencyStore } from '@teei/event-relay/redis';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createClient } from 'redis';

const env = process.env;
const leaseMs = Number(env.LEASE_MS ?? 1_500);
const name = env.STORE_NAME ?? '';
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const closers: (() => Promise<unknown>)[] = [];

async function openStore(): Promise<IdempotencyStore> {
  switch (env.STORE) {
    case 'node-redis': {
      const client = await createClient({ url: env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).connect();
      closers.push(() => client.quit());
      return redisIdempotencyStore({ client, prefix: name, leaseMs });
    }
    case 'ioredis': {
      const client = new Redis(env.REDIS_URL ?? '');
      closers.push(async () => client.disconnect());
      return redisIdempotencyStore({ client, prefix: name, leaseMs });
    }
    case 'postgres': {
      const pool = new pg.Pool({ connectionString: env.PG_URL, max: 5 });
      closers.push(() => pool.end());
      return postgresIdempotencyStore({ pool, table: name, leaseMs });
    }
    default:
      throw new Error(`STORE must be node-redis, ioredis or postgres, got ${env.STORE}`);
  }
}

const receiver = createReceiver({ secret: env.SECRET ?? '', idempotency: await openStore() });
receiver.onError((error, ctx) => out(`error ${ctx.eventId ?? '-'} ${error.message}`));
receiver.onAny(async (event) => {
  out(`start ${event.metadata.id}`);
  await sleep(env.HANDLER_MS === undefined ? Number(event.data.sleepMs ?? 0) : Number(env.HANDLER_MS));
  out(`done ${event.metadata.id}`);
});

const server = createServer(nodeReceiver(receiver));
server.listen(0, '127.0.0.1', () => out(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void Promise.all(closers.map((close) => close())).finally(() => process.exit(0)));
});
