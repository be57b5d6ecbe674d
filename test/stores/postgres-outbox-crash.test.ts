// Crash test with real processes: two publisher processes share one postgresOutbox table and deliver to a real
// node:http server on 127.0.0.1 that fails some requests on purpose. One of them is SIGKILLed at random moments
// (and restarted as a fresh process each time) while the other keeps running. Every id whose `enqueue` resolved must
// reach the server at least once: 0 lost. The test prints how many arrived twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ensureOutboxTable } from '@teei/event-relay/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, pgAvailable } from '../helpers/services.js';
import { dropAndEnd, eventually, outboxTable, testPool } from './outbox-pg-fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./outbox-pg-publisher-child.ts', import.meta.url));
const LEASE_MS = 2000;

interface Publisher {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Ids this process reported as enqueued (complete lines only: a line cut by the kill does not count). */
  readonly reported: string[];
  allEnqueued: boolean;
}

function startPublisher(name: string, env: Record<string, string>, reported: string[]): Publisher {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const publisher: Publisher = {
    name,
    child,
    exited: new Promise((resolve) => child.once('close', () => resolve())),
    reported,
    allEnqueued: false,
  };
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('enqueued ')) reported.push(line.slice('enqueued '.length));
      else if (line === 'all-enqueued') publisher.allEnqueued = true;
    }
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.once('close', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM') console.error(`${name} exited ${code}: ${stderr}`);
  });
  return publisher;
}

describe.skipIf(!pgAvailable())('postgresOutbox: two publisher processes, one SIGKILLed at random moments', () => {
  const pool = testPool();
  const table = outboxTable();
  const received = new Map<string, number>();
  const senders = new Map<string, Set<string>>();
  let server: Server;
  let sinkUrl: string;
  const running: Publisher[] = [];

  beforeAll(async () => {
    await ensureOutboxTable({ pool, table });
    server = createServer((req, res) => {
      const id = String(req.headers['x-webhook-id']);
      const instance = String(req.headers['x-instance']);
      req.resume();
      req.on('end', () => {
        // Slow enough that events are in flight when the kill comes; one in twenty fails and is retried.
        setTimeout(
          () => {
            if (Math.random() < 0.05) {
              res.writeHead(503).end();
              return;
            }
            received.set(id, (received.get(id) ?? 0) + 1);
            senders.set(id, (senders.get(id) ?? new Set()).add(instance));
            res.writeHead(202, { 'content-type': 'application/json' }).end('{"acknowledged":true}');
          },
          Math.floor(Math.random() * 15),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sinkUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/buddy-events`;
  });

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await dropAndEnd([pool], [table]);
  });

  it('loses nothing whose enqueue resolved, and the table ends empty', { timeout: 180_000 }, async () => {
    const env = (instance: string, count: number) => ({
      INSTANCE: instance,
      PG_URL,
      OUTBOX_TABLE: table,
      SINK_URL: sinkUrl,
      COUNT: String(count),
      LEASE_MS: String(LEASE_MS),
    });
    const survivorIds: string[] = [];
    const victimIds: string[] = [];
    const killedIds: Map<string, string[]> = new Map();
    const survivor = startPublisher('survivor', env('survivor', 600), survivorIds);
    running.push(survivor);

    // The victim: SIGKILLed twice at a random point of its enqueues, restarted as a fresh process each time.
    const kills = 2;
    for (let round = 0; round <= kills; round++) {
      const name = `victim-${round}`;
      const ids: string[] = [];
      const victim = startPublisher(name, env(name, round < kills ? 1000 : 300), ids);
      running.push(victim);
      if (round === kills) {
        await eventually(() => (victim.allEnqueued ? true : undefined), 60_000);
        victimIds.push(...ids);
        break;
      }
      const killAfter = 50 + Math.floor(Math.random() * 250);
      await eventually(() => (ids.length >= killAfter ? true : undefined), 60_000);
      victim.child.kill('SIGKILL');
      await victim.exited;
      victimIds.push(...ids);
      killedIds.set(name, ids);
    }
    await eventually(() => (survivor.allEnqueued ? true : undefined), 60_000);

    const reported = [...survivorIds, ...victimIds];
    expect(new Set(reported).size).toBe(reported.length);
    // Every reported id reaches the server: the killed processes' held rows are taken over once their lease lapses.
    await eventually(() => (reported.every((id) => received.has(id)) ? true : undefined), 90_000).catch(() => {});
    const lost = reported.filter((id) => !received.has(id));
    const twice = reported.filter((id) => (received.get(id) ?? 0) > 1).length;
    // Events a killed process had stored that another process delivered: its held rows, taken over after the lease.
    const takenOver = [...killedIds].flatMap(([name, ids]) =>
      ids.filter((id) => [...(senders.get(id) ?? [])].some((sender) => sender !== name)),
    );
    const fromKilled = [...killedIds.values()].reduce((n, ids) => n + ids.length, 0);
    console.log(
      `postgresOutbox crash test: ${reported.length} enqueues resolved (${fromKilled} in the ${kills} SIGKILLed ` +
        `processes), ${lost.length} lost, ${twice} arrived more than once, ${takenOver.length} taken over by ` +
        'another process',
    );
    expect(lost).toEqual([]);
    expect(takenOver.length).toBeGreaterThan(0);
    // Delivered rows are deleted: nothing is left behind (rows enqueued but not reported, cut by a kill, included).
    await eventually(async () => {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
      return rows[0].n === 0 ? true : undefined;
    }, 30_000);
  });
});
