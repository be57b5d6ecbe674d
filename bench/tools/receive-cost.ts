/**
 * `npx tsx bench/tools/receive-cost.ts [rounds]`: CPU µs per request in one process, rows alternating, median of the
 * rounds: `receiver.handle()` (the SDK pipeline with the Buddy catalog, the default memory idempotency store and a
 * no-op handler) against the hand-written same-work route of bench/receiving/same-work.ts, on prepared signed 1 KB
 * Buddy requests with distinct ids. No HTTP: steadier than bench/receiving.ts for trying a change on a busy machine.
 *
 * @module
 */
import { createHmac, randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IdempotencyStore } from '../../src/index.js';
import { alternate } from '../lib/alternate.js';
import { buddyEventTemplate } from '../lib/payloads.js';
import { buddyCatalog, createReceiver, memoryIdempotencyStore } from '../lib/sdk.js';
import { sameWorkRoute } from '../receiving/same-work.js';

const rounds = Number(process.argv[2] ?? 15);
const PER_ROUND = 20_000;
const SECRET = 'bench-receiver-secret-0123456789';
const key = Buffer.from(SECRET);

interface Prepared {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Signed requests with fresh ids, made before each round (not timed). */
function pool(size: number): Prepared[] {
  const now = new Date();
  const timestamp = now.toISOString();
  const { before, after } = buddyEventTemplate(now);
  return Array.from({ length: size }, () => {
    const id = randomUUID();
    const body = Buffer.from(before + id + after);
    const signature = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('hex');
    const headers = {
      host: '127.0.0.1',
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-webhook-id': id,
      'x-webhook-timestamp': timestamp,
      'x-webhook-signature': `sha256=${signature}`,
    };
    return { headers, body };
  });
}

/** `STORE=map`: the same-work route's Map dedupe as the receiver's store, to see the memory store's share. */
function mapStore(): IdempotencyStore {
  const seen = new Map<string, string | undefined>();
  const ring: string[] = new Array(100_000);
  let next = 0;
  return {
    leaseMs: 30_000,
    ttlMs: 86_400_000,
    begin(key, token) {
      if (seen.has(key)) return seen.get(key) === undefined ? 'completed' : 'in_progress';
      const evicted = ring[next];
      if (evicted !== undefined) seen.delete(evicted);
      ring[next] = key;
      next = (next + 1) % ring.length;
      seen.set(key, token);
      return 'started';
    },
    renew: () => true,
    complete: (key) => void seen.set(key, undefined),
    release: (key) => void seen.delete(key),
  };
}

const receiver = createReceiver({
  secret: SECRET,
  catalog: buddyCatalog,
  ...(process.env.STORE === 'map' ? { idempotency: mapStore() } : {}),
  ...(process.env.STORE === 'clock' ? { idempotency: memoryIdempotencyStore({ now: () => 1 }) } : {}),
});
receiver.on('buddy.checkin.completed', async () => {});
const same = sameWorkRoute(key, async () => {});

type Op = (request: Prepared) => Promise<{ status: number }>;
const rows: [string, Op][] = [
  [
    'same-work route',
    (r) => same(r.headers['x-webhook-id'], r.headers['x-webhook-timestamp'], r.headers['x-webhook-signature'], r.body),
  ],
  ['receiver.handle', (r) => receiver.handle({ method: 'POST', headers: r.headers, body: r.body })],
];
let requests: Prepared[] = [];
// A young-generation collection before each timed run: neither row pays for the other's garbage, nor for the pool's.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;
const result = await alternate(
  rows.map(([name, op]) => ({
    name,
    async measure() {
      const batch = requests.splice(0, PER_ROUND);
      gc({ type: 'minor' });
      const c0 = process.cpuUsage();
      for (const request of batch) {
        const { status } = await op(request);
        if (status !== 202) throw new Error(`${name} answered ${status}`);
      }
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / batch.length;
    },
  })),
  {
    rounds,
    warmup: 2,
    beforeRound: () => {
      requests = pool(PER_ROUND * rows.length);
    },
  },
);
const reference = result.get('same-work route')!.median;
for (const [name, s] of result) {
  console.log(
    `${name.padEnd(16)} ${s.median.toFixed(2).padStart(6)} µs (${s.min.toFixed(2)} – ${s.max.toFixed(2)})  ${((100 * reference) / s.median).toFixed(0)} % by CPU`,
  );
}
