/**
 * Benchmark: events delivered per second end to end through `postgresOutbox`, with one and with two publisher
 * instances (separate processes sharing one table), against the memory outbox in the same run. 10,000 events per
 * round to a fast local sink at the default concurrency (16). Two more rows drain a backlog committed by another
 * process (the transactional outbox's path: NOTIFY, then claims with SKIP LOCKED). Run it alone with
 * `npm run bench -- --only durability-postgres` (add `--quick` for a short check).
 *
 * @module
 */
import pg from 'pg';
import type { RoundRequest } from './durability-postgres/publisher.js';
import { alternate } from './lib/alternate.js';
import { type Child, forkChild } from './lib/child.js';
import { fmt, pct } from './lib/format.js';
import { buddyCheckinData } from './lib/payloads.js';
import { ratioOf, ratioTable } from './lib/ratio-table.js';
import { createEnvelope, ensureOutboxTable, postgresOutbox } from './lib/sdk.js';
import type { Benchmark, BenchOptions, BenchResult } from './lib/types.js';

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MEMORY = 'memory outbox, 1 instance';
const MEMORY_TWO = 'memory outbox, 2 instances (what splitting alone costs here)';
const PG_ONE = 'postgresOutbox, 1 instance';
const PG_TWO = 'postgresOutbox, 2 instances';
const DRAIN_ONE = 'postgresOutbox, committed backlog drained by 1 instance';
const DRAIN_TWO = 'postgresOutbox, committed backlog drained by 2 instances';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(options: BenchOptions): Promise<BenchResult> {
  const count = options.quick ? 2000 : 10_000;
  const rounds = options.quick ? 2 : 5;
  const stamp = `${process.pid}_${Date.now().toString(36)}`;
  const tables = {
    enqueue: `bench_outbox_${stamp}`,
    drainOne: `bench_drain1_${stamp}`,
    drainTwo: `bench_drain2_${stamp}`,
  };
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

    const enqueueRound = async (name: string, outbox: 'memory' | 'postgres', parts: readonly Child[]) => {
      const before = await sinkCount();
      const share = count / parts.length;
      const request = { op: 'round', outbox, count: share, url, pgUrl: PG_URL, table: tables.enqueue } as const;
      const started = performance.now();
      await Promise.all(parts.map((child) => child.call(request satisfies RoundRequest)));
      const rate = (count * 1000) / (performance.now() - started);
      const delivered = (await sinkCount()) - before;
      if (delivered !== count) shortfalls.push(`${name}: ${delivered} of ${count} reached the sink`);
      await settle(tables.enqueue);
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
        { name: MEMORY, measure: () => enqueueRound(MEMORY, 'memory', instances.slice(0, 1)) },
        { name: MEMORY_TWO, measure: () => enqueueRound(MEMORY_TWO, 'memory', instances) },
        { name: PG_ONE, measure: () => enqueueRound(PG_ONE, 'postgres', instances.slice(0, 1)) },
        { name: PG_TWO, measure: () => enqueueRound(PG_TWO, 'postgres', instances) },
        { name: DRAIN_ONE, measure: () => drainRound(DRAIN_ONE, tables.drainOne, instances.slice(0, 1)) },
        { name: DRAIN_TWO, measure: () => drainRound(DRAIN_TWO, tables.drainTwo, instances) },
      ],
      { rounds, warmup: 1 },
    );
    const rate = (row: string) => fmt(results.get(row)?.median ?? Number.NaN);
    const goal = (row: string) => {
      const ratio = ratioOf(results, row, MEMORY);
      return {
        goal: `${row} ≥ 50 % of the memory outbox`,
        figure: `${pct(ratio)} (${rate(row)} vs ${rate(MEMORY)} events/s)`,
        met: ratio >= 0.5,
      };
    };
    return {
      name: 'durability-postgres',
      title: 'Durable delivery with postgresOutbox (events/s end to end)',
      date: new Date().toISOString(),
      command: options.command,
      tables: [
        ratioTable(
          `Events/s delivered end to end, ${fmt(count, 0)} 1 KB events, concurrency 16`,
          'events/s',
          results,
          MEMORY,
        ),
      ],
      goals: [goal(PG_ONE), goal(PG_TWO)],
      notes: [
        `Enqueue rows: every instance makes its share of ${fmt(count, 0)} concurrent \`enqueue\` calls (each resolves once the event is stored: committed to Postgres for postgresOutbox), then awaits \`flush()\`; timed from outside, from the first call to the last instance's flush. Instances are separate processes; the two-instance row splits the events evenly over one shared table.`,
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
