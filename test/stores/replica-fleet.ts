// Starts receiver replicas (test/stores/replica-server.ts) as child processes and plays the sender: the same
// signed request to several replicas at once, each retried on 409 after its Retry-After, as the publisher does.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Child, startScript } from '../examples/child.js';

export interface Replica {
  readonly name: string;
  readonly url: string;
  readonly child: Child;
  /** Event ids of the handler runs this replica started, or finished. */
  runs(kind: 'start' | 'done'): string[];
}

export async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const child = startScript('test/stores/replica-server.ts', { ...env, REPLICA: name });
  await child.waitFor(/listening \d+/, 60_000);
  const port = /listening (\d+)/.exec(child.output())?.[1];
  return {
    name,
    url: `http://127.0.0.1:${port}/webhooks/buddy-events`,
    child,
    runs: (kind) => [...child.output().matchAll(new RegExp(`^${kind} (\\S+)$`, 'gm'))].map((m) => m[1] as string),
  };
}

// No keep-alive: a pooled socket the server is closing (its keepAliveTimeout) would fail a request at random.
const agent = new Agent({ keepAlive: false, maxSockets: 64 });

export interface Answer {
  readonly status: number;
  readonly retryAfter: number | undefined;
  readonly body: string;
}

/** One POST; rejects on a network error (a replica that died). */
export function post(url: string, req: { headers: Record<string, string>; body: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
    const r = request(url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

/**
 * Sends until the replica acknowledges (202, or 200 for a duplicate): after a 409 it waits the Retry-After, after
 * another answer 300 ms. Resolves with every status seen, in order; rejects past `deadline` (epoch ms).
 */
export async function deliver(
  url: string,
  req: { headers: Record<string, string>; body: string },
  deadline: number,
): Promise<number[]> {
  const statuses: number[] = [];
  for (;;) {
    const answer = await post(url, req);
    statuses.push(answer.status);
    if (answer.status === 202 || answer.status === 200) return statuses;
    if (Date.now() > deadline)
      throw new Error(`${url}: not acknowledged by the deadline; answers ${statuses.join(', ')}`);
    await sleep(answer.status === 409 ? (answer.retryAfter ?? 1) * 1000 : 300);
  }
}

/** Runs `task` for each item, at most `limit` at a time. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i] as T, i);
      }
    }),
  );
}

/** How many times each id occurs in `ids`. */
export function tally(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
