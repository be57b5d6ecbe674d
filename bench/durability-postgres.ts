/**
 * Benchmark: the transactional outbox's path through `postgresOutbox`. Another process commits a backlog of 10,000
 * events; one or two publisher instances (separate processes, already running on that table) wake on the NOTIFY,
 * claim with SKIP LOCKED and deliver to a fast local sink at the default concurrency (16). Events/s from the COMMIT to
 * the last delivery, against the memory outbox's enqueue-to-delivery in the same run. (Enqueue through
 * `postgresOutbox`, one and two instances, is in bench/durability.ts with the other outboxes.) Run it alone with
 * `npm run bench -- --only durability-postgres` (add `--quick` for a short check).
 *
 * @module
 */
import pg from 'pg';
import type { RoundRequest } from './durability-postgres/publisher.js';
import { alternate } from './lib/alternate.js';
import { type Child, forkChild } from './lib/child.js';
import { fmt } from './lib/format.js';
import { buddyCheckinData } from './lib/payloads.js';
import { ratioTable } from './lib/ratio-table.js';
import { createEnvelope, ensureOutboxTable, postgresOutbox } from './lib/sdk.js';
import type { Benchmark, BenchOptions, BenchResult } from './lib/types.js';

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MEMORY = 'memory outbox, 1 instance';
const DRAIN_ONE = 'postgresOutbox, committed backlog drained by 1 instance';
const DRAIN_TWO = 'postgresOutbox, committed backlog drained by 2 instances';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(options: BenchOptions): Promise<BenchResult> {
  const count = options.quick ? 2000 : 10_000;
  const rounds = options.quick ? 2 : 5;
  const stamp = `${process.pid}_${Date.now().toString(36)}`;
  const tables = { drainOne: `bench_drain1_${stamp}`, drainTwo: `bench_drain2_${stamp}` };
  const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
  const sink = forkChild(new URL('./publishing/sink.ts', import.meta.url));
  const instances: Child[] = [0, 1].map(() =>
    forkChild(new URL('./durability-postgres/publisher.ts', import.meta.url)),
  );
  const shortfalls: string[] = [];
  try {
    for (const table of Object.values(tables)) await ensureOutboxTable({ pool: admin, table });
    const { port } = await sink.call<{ port: number }>({ op: 'start', mode: 'ok' });
    const url = `http://127.0.0.1:${port}/webhooks/buddy-events`;
    const sinkCount = () => sink.call<number>({ op: 'count' });
    const settle = async (table: string) => {
      while ((await admin.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n > 0) await sleep(20);
    };

    // The reference: the memory outbox, enqueue to delivery (bench/durability.ts's reference, measured here again).
    const memoryRound = async () => {
      const before = await sinkCount();
      const request = { op: 'round', outbox: 'memory', count, url, pgUrl: PG_URL, table: '' } as const;
      const started = performance.now();
      await instances[0]!.call(request satisfies RoundRequest);
      const rate = (count * 1000) / (performance.now() - started);
      const delivered = (await sinkCount()) - before;
      if (delivered !== count) shortfalls.push(`${MEMORY}: ${delivered} of ${count} reached the sink`);
      return rate;
    };

    // The backlog is committed by this process in one transaction (untimed: invisible until COMMIT); the clock runs
    // from the COMMIT until the sink has every event.
    const drainRound = async (name: string, table: string, parts: readonly Child[]) => {
      const open = { op: 'open', outbox: 'postgres', url, pgUrl: PG_URL, table } as const;
      await Promise.all(parts.map((child) => child.call(open satisfies RoundRequest)));
      const into = postgresOutbox({ pool: admin, table, listen: false });
      const client = await admin.connect();
      const before = await sinkCount();
      try {
        await client.query('BEGIN');
        for (let i = 0; i < count; i++) {
          const envelope = createEnvelope('buddy.checkin.completed', buddyCheckinData(1024));
          await into.add(
            { deliveryId: envelope.metadata.id, envelope, enqueuedAt: Date.now() },
            { transaction: client },
          );
        }
        await client.query('COMMIT');
      } finally {
        client.release();
        await into.close();
      }
      const started = performance.now();
      const deadline = Date.now() + 120_000;
      let delivered = (await sinkCount()) - before;
      while (delivered < count && Date.now() < deadline) {
        await sleep(5);
        delivered = (await sinkCount()) - before;
      }
      const rate = (count * 1000) / (performance.now() - started);
      if (delivered !== count) shortfalls.push(`${name}: ${delivered} of ${count} reached the sink`);
      await settle(table);
      return rate;
    };

    options.log(`durability-postgres: ${rounds} rounds of ${fmt(count, 0)} events`);
    const results = await alternate(
      [
        { name: MEMORY, measure: memoryRound },
        { name: DRAIN_ONE, measure: () => drainRound(DRAIN_ONE, tables.drainOne, instances.slice(0, 1)) },
        { name: DRAIN_TWO, measure: () => drainRound(DRAIN_TWO, tables.drainTwo, instances) },
      ],
      { rounds, warmup: 1 },
    );
    return {
      name: 'durability-postgres',
      title: 'postgresOutbox: a committed backlog drained (events/s)',
      date: new Date().toISOString(),
      command: options.command,
      tables: [
        ratioTable(`Events/s delivered, ${fmt(count, 0)} 1 KB events, concurrency 16`, 'events/s', results, MEMORY),
      ],
      // The goals (postgresOutbox enqueue, one and two instances, ≥ 50 % of memory) are in bench/durability.ts.
      goals: [],
      notes: [
        `Reference: ${fmt(count, 0)} concurrent \`enqueue\` calls on a publisher with the memory outbox, then \`flush()\`.`,
        `Drain rows: this process commits ${fmt(count, 0)} events in one transaction with \`enqueue(…, { transaction })\`'s insert; the instances, already running on that table, wake on the NOTIFY and claim with SKIP LOCKED (at most twice the concurrency per claim). Timed from the COMMIT until the sink has every event.`,
        `One untimed warm-up round, then ${rounds} timed rounds, rows alternating with a rotating start. The sink is a node:http server in its own process that drains the body and answers 200 \`{}\`. Postgres runs on the same machine (127.0.0.1) with its default settings: each INSERT waits for its WAL flush; claims, lease renewals and deletes do not (see docs/durability-postgres.md).`,
        ...(shortfalls.length
          ? [`Deliveries short of the sink: ${shortfalls.join('; ')}.`]
          : ['Every event of every round reached the sink.']),
      ],
      data: { throughput: Object.fromEntries(results) },
    };
  } finally {
    await Promise.all(instances.map((child) => child.call({ op: 'close' }).catch(() => {})));
    await Promise.all([...instances, sink].map((child) => child.stop()));
    for (const table of Object.values(tables)) await admin.query(`DROP TABLE IF EXISTS "${table}"`).catch(() => {});
    await admin.end();
  }
}

/**
 * The Postgres durability benchmark.
 *
 * @example
 * ```ts
 * await durabilityPostgresBenchmark.run({ quick: true, command: 'npm run bench -- --only durability-postgres --quick', log: console.log })
 * ```
 */
export const durabilityPostgresBenchmark: Benchmark = {
  name: 'durability-postgres',
  title: 'Durable delivery with postgresOutbox',
  run,
};
