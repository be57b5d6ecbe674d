/**
 * Child process: the load generator. Holds a pool of signed 1 KB Buddy requests with distinct delivery ids
 * (precomputed, so signing costs nothing during a run) and drives autocannon against one server at a time.
 *
 * @module
 */
import { createHmac, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { serveParent } from '../lib/child.js';
import { buddyEventTemplate } from '../lib/payloads.js';

interface PooledRequest {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

let pool: PooledRequest[] = [];
/** Per target, the next pool index: ids stay distinct per server until a pool has been used up. */
const cursors = new Map<string, number>();

function makePool(size: number, secret: string): number {
  const key = Buffer.from(secret);
  const now = new Date();
  const timestamp = now.toISOString();
  const { before, after } = buddyEventTemplate(now);
  pool = new Array(size);
  for (let i = 0; i < size; i++) {
    const id = randomUUID();
    const body = Buffer.from(before + id + after);
    const signature = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('hex');
    pool[i] = {
      body,
      headers: {
        'content-type': 'application/json',
        'x-webhook-id': id,
        'x-webhook-timestamp': timestamp,
        'x-webhook-signature': `sha256=${signature}`,
      },
    };
  }
  cursors.clear();
  return size;
}

interface RunRequest {
  readonly target: string;
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
}

async function run({ target, url, connections, durationSeconds }: RunRequest) {
  const start = cursors.get(target) ?? 0;
  let next = start;
  const result = await autocannon({
    url,
    connections,
    duration: durationSeconds,
    requests: [
      {
        method: 'POST',
        setupRequest(req) {
          const item = pool[next++ % pool.length]!;
          return { ...req, method: 'POST', headers: item.headers, body: item.body };
        },
      },
    ],
  });
  cursors.set(target, next);
  const seconds = result.duration;
  return {
    requestsPerSecond: result.requests.total / seconds,
    total: result.requests.total,
    status2xx: result['2xx'],
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]),
    ),
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    /** Requests beyond the pool size reused ids (the SDK then answers as duplicates). */
    reused: Math.max(0, next - pool.length),
  };
}

export type LoadResult = Awaited<ReturnType<typeof run>>;

serveParent(async (msg) => {
  const m = msg as { op: 'pool'; size: number; secret: string } | ({ op: 'run' } & RunRequest);
  if (m.op === 'pool') return makePool(m.size, m.secret);
  return run(m);
});
