/**
 * Benchmark: events delivered per second end to end through `postgresOutbox`, with one and with two publisher
 * instances (separate processes sharing one table), against the memory outbox in the same run. 10,000 events per
 * round to a fast local sink at the default concurrency (16). Run it alone with
 * `npm run bench -- --only durability-postgres` (add `--quick` for a short check).
 *
 * @module
 */
import pg from 'pg';
import type { RoundRequest } from './durability-postgres/publisher.js';
import { alternate } from './lib/alternate.js';
import { type Child, forkChild } from './lib/child.js';
import { fmt, pct } from './lib/format.js';
import { ratioOf, ratioTable } from './lib/ratio-table.js';
import { ensureOutboxTable } from './lib/sdk.js';
import type { Benchmark, BenchOptions, BenchResult } from './lib/types.js';

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MEMORY = 'memory outbox, 1 instance';
const PG_ONE = 'postgresOutbox, 1 instance';
const PG_TWO = 'postgresOutbox, 2 instances';

async function run(options: BenchOptions): Promise<BenchResult> {
  const count = options.quick ? 2000 : 10_000;
  const rounds = options.quick ? 2 : 5;
  const table = `bench_outbox_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
  const sink = forkChild(new URL('./publishing/sink.ts', import.meta.url));
  const instances: Child[] = [0, 1].map(() =>
    forkChild(new URL('./durability-postgres/publisher.ts', import.meta.url)),
  );
  const shortfalls: string[] = [];
  try {
    await ensureOutboxTable({ pool: admin, table });
    const { port } = await sink.call<{ port: number }>({ op: 'start', mode: 'ok' });
    const url = `http://127.0.0.1:${port}/webhooks/buddy-events`;
    const round = async (name: string, outbox: RoundRequest['outbox'], parts: readonly Child[]) => {
      const before = await sink.call<number>({ op: 'count' });
      const share = count / parts.length;
      const started = performance.now();
      await Promise.all(
        parts.map((child) =>
          child.call({ op: 'round', outbox, count: share, url, pgUrl: PG_URL, table } satisfies RoundRequest),
        ),
      );
      const rate = (count * 1000) / (performance.now() - started);
      await Promise.all(parts.map((child) => child.call({ op: 'settle' })));
      const delivered = (await sink.call<number>({ op: 'count' })) - before;
      if (delivered !== count) shortfalls.push(`${name}: ${delivered} of ${count} reached the sink`);
      return rate;
    };
    options.log(`durability-postgres: ${rounds} rounds of ${fmt(count, 0)} events`);
    const results = await alternate(
      [
        { name: MEMORY, measure: () => round(MEMORY, 'memory', instances.slice(0, 1)) },
        { name: PG_ONE, measure: () => round(PG_ONE, 'postgres', instances.slice(0, 1)) },
        { name: PG_TWO, measure: () => round(PG_TWO, 'postgres', instances) },
      ],
      { rounds, warmup: 1 },
    );
    const one = ratioOf(results, PG_ONE, MEMORY);
    const two = ratioOf(results, PG_TWO, MEMORY);
    const rate = (row: string) => fmt(results.get(row)?.median ?? Number.NaN);
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
      goals: [
        {
          goal: 'postgresOutbox with 1 instance ≥ 50 % of the memory outbox',
          figure: `${pct(one)} (${rate(PG_ONE)} vs ${rate(MEMORY)} events/s)`,
          met: one >= 0.5,
        },
        {
          goal: 'postgresOutbox with 2 instances ≥ 50 % of the memory outbox',
          figure: `${pct(two)} (${rate(PG_TWO)} vs ${rate(MEMORY)} events/s)`,
          met: two >= 0.5,
        },
      ],
      notes: [
        `A round: every instance makes its share of ${fmt(count, 0)} concurrent \`enqueue\` calls (each resolves once the event is stored: committed to Postgres for postgresOutbox), then awaits \`flush()\`; timed from outside, from the first call to the last instance's flush. Instances are separate processes; the two-instance row splits the events 5,000 and 5,000 over one shared table. One untimed warm-up round, then ${rounds} timed rounds, rows alternating with a rotating start.`,
        'The sink is a node:http server in its own process that drains the body and answers 200 `{}`. Postgres runs on the same machine (127.0.0.1), with its default settings (synchronous_commit on: every INSERT batch waits for its WAL flush).',
        ...(shortfalls.length
          ? [`Deliveries short of the sink: ${shortfalls.join('; ')}.`]
          : ['Every event of every round reached the sink.']),
      ],
      data: { throughput: Object.fromEntries(results) },
    };
  } finally {
    await Promise.all(instances.map((child) => child.call({ op: 'close' }).catch(() => {})));
    await Promise.all([...instances, sink].map((child) => child.stop()));
    await admin.query(`DROP TABLE IF EXISTS "${table}"`).catch(() => {});
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
