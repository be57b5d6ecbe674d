/**
 * Benchmark: receiving through `nodeReceiver` with each idempotency store, against the in-memory store, in the same
 * run under the same load (autocannon -c 50, 1 KB Buddy events, every id fresh). Each server runs in its own child
 * process, the load in another; rows alternate, several rounds. Goal (issue 11): Redis ≥ 70 % of memory's req/s.
 *
 * `npm run bench -- --only receiving-stores [--quick]`
 *
 * @module
 */
import { alternate } from './lib/alternate.js';
import { type Child, forkChild } from './lib/child.js';
import { fmt, pct } from './lib/format.js';
import { type Summary, summarize } from './lib/stats.js';
import type { Benchmark, BenchOptions, BenchResult, Goal, Table } from './lib/types.js';
import { loadRow, type Run } from './receiving/load-row.js';
import type { StoreKind } from './receiving-stores/server.js';

const STORES: readonly { id: StoreKind; label: string; goal?: number }[] = [
  { id: 'memory', label: 'memory (baseline)' },
  { id: 'node-redis', label: 'Redis, node-redis 6', goal: 0.7 },
  { id: 'node-redis-no-timeout', label: 'Redis, node-redis 6, commandOptions.timeout 0' },
  { id: 'ioredis', label: 'Redis, ioredis 6', goal: 0.7 },
  { id: 'postgres', label: 'Postgres 15, pg' },
  { id: 'postgres-async-commit', label: 'Postgres 15, pg, synchronous_commit=off' },
];
const SECRET = 'bench-receiver-secret-0123456789';
const PATH = '/webhooks/buddy-events';
const CONNECTIONS = 50;

async function run(options: BenchOptions): Promise<BenchResult> {
  const durationSeconds = options.quick ? 2 : 8;
  const warmupSeconds = options.quick ? 0.5 : 2;
  const rounds = options.quick ? 2 : 4;
  const poolSize = options.quick ? 60_000 : 200_000;
  const load = forkChild(new URL('./receiving/load.ts', import.meta.url));
  const servers = new Map<StoreKind, { child: Child; port: number }>();
  const skipped = new Map<StoreKind, string>();
  const runs = new Map<string, Run[]>();
  const stamp = `${process.pid}_${Date.now().toString(36)}`;
  const cpuProf = process.env.BENCH_CPU_PROF;
  try {
    await Promise.all(
      STORES.map(async ({ id }) => {
        const child = forkChild(new URL('./receiving-stores/server.ts', import.meta.url), {
          execArgv: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}/receive-store-${id}`] : [],
        });
        try {
          const name = `bench_idem_${id.replaceAll('-', '_')}_${stamp}`;
          const { port } = await child.call<{ port: number }>(
            { op: 'start', store: id, secret: SECRET, name },
            120_000,
          );
          servers.set(id, { child, port });
        } catch (error) {
          skipped.set(id, String((error as Error).message).split('\n')[0] ?? 'failed to start');
          await child.stop();
        }
      }),
    );
    if (!servers.has('memory')) throw new Error(`the memory-store server did not start: ${skipped.get('memory')}`);
    const rowOptions = { load, runs, path: PATH, connections: CONNECTIONS, durationSeconds, warmupSeconds };
    const rows = STORES.filter((s) => servers.has(s.id)).map(({ id }) => loadRow(id, servers.get(id)!, rowOptions));
    const summaries = await alternate(rows, {
      rounds,
      warmup: 1,
      beforeRound: () => load.call({ op: 'pool', size: poolSize, secret: SECRET }),
      onRound: (round) => options.log(`receiving-stores: round ${round + 1}/${rounds} done`),
    });
    return report(summaries, runs, skipped, options, { durationSeconds, warmupSeconds, rounds, poolSize });
  } finally {
    await load.stop();
    for (const { child } of servers.values()) {
      await child.call({ op: 'cleanup' }, 60_000).catch(() => {});
      await child.stop();
    }
  }
}

function median(values: readonly number[]): number {
  return summarize(values).median;
}

function report(
  summaries: Map<string, Summary>,
  runs: Map<string, Run[]>,
  skipped: Map<StoreKind, string>,
  options: BenchOptions,
  params: { durationSeconds: number; warmupSeconds: number; rounds: number; poolSize: number },
): BenchResult {
  const memory = summaries.get('memory')!;
  const goals: Goal[] = [];
  const rows: string[][] = [];
  for (const store of STORES) {
    const s = summaries.get(store.id);
    if (s === undefined) {
      rows.push([store.label, 'skipped', '', '', '', skipped.get(store.id) ?? '']);
      if (store.goal !== undefined) {
        goals.push({ goal: `${store.label} ≥ ${pct(store.goal)} of memory`, figure: 'not measured', met: null });
      }
      continue;
    }
    const rs = runs.get(store.id) ?? [];
    const codes: Record<string, number> = {};
    for (const r of rs) for (const [c, n] of Object.entries(r.statusCodes)) codes[c] = (codes[c] ?? 0) + n;
    const failed = rs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0);
    const ratio = s.median / memory.median;
    rows.push([
      store.label,
      `${fmt(s.median)} (${fmt(s.min)} – ${fmt(s.max)})`,
      pct(ratio),
      `${fmt(median(rs.map((r) => r.latencyP50)), 1)} / ${fmt(median(rs.map((r) => r.latencyP99)), 1)}`,
      fmt(median(rs.map((r) => r.cpuMicros))),
      Object.entries(codes)
        .map(([c, n]) => `${c}: ${fmt(n, 0)}`)
        .join(', ') + (failed > 0 ? `; ${fmt(failed, 0)} failed` : ''),
    ]);
    if (store.goal !== undefined) {
      goals.push({
        goal: `${store.label}: receiving ≥ ${pct(store.goal)} of the memory store's req/s`,
        figure: `${pct(ratio)} (${fmt(s.median)} vs ${fmt(memory.median)} req/s; p99 ${fmt(median(rs.map((r) => r.latencyP99)), 1)} vs ${fmt(median((runs.get('memory') ?? []).map((r) => r.latencyP99)), 1)} ms)${failed ? `; INVALID: ${fmt(failed, 0)} answers were not 2xx or failed` : ''}`,
        met: ratio >= store.goal && failed === 0,
      });
    }
  }
  const tables: Table[] = [
    {
      title: `Requests/s through nodeReceiver by idempotency store, 1 KB Buddy event, autocannon -c ${CONNECTIONS}`,
      header: [
        'store',
        'req/s, median (min – max)',
        'vs memory',
        'latency p50 / p99 ms (median round)',
        'server CPU µs per request',
        'status codes',
      ],
      rows,
      notes: [
        'Every request is a new event: the store claims it (begin) and completes it, two round trips for Redis and Postgres, none for memory. All 202 means every request went through the whole pipeline.',
      ],
    },
  ];
  return {
    name: 'receiving-stores',
    title: 'Receiving with shared idempotency stores (nodeReceiver, req/s)',
    date: new Date().toISOString(),
    command: options.command,
    tables,
    goals,
    notes: [
      `One server per store, each in its own child process (\`createReceiver({ secret, catalog: buddyCatalog, idempotency })\`, a no-op async handler, \`nodeReceiver\`); autocannon in another child with ${CONNECTIONS} connections, ${params.durationSeconds} s per row per round, ${params.rounds} rounds after a ${params.warmupSeconds} s warm-up, rows alternating with a rotating start.`,
      `The load process signs ${fmt(params.poolSize, 0)} teei-v1 requests with distinct event ids before every round; each server walks the pool from its own cursor.`,
      'Redis 7.0 and Postgres 15 run on the same 2 cores as the servers and the load generator, so their CPU is counted against the shared stores: on a separate database host the gap narrows.',
      "Where the Redis rows spend it (a CPU profile of the servers, BENCH_CPU_PROF=<dir>): the clients' socket writes, one per command (two commands per event), not the store; node-redis 6 also arms a 5 s `AbortSignal.timeout` per command (its default command timeout), whose expiry costs a few % more.",
      'Postgres commits each claim and each completion: with the server defaults every commit waits for the WAL flush on this shared disk, which bounds the first Postgres row. The second row runs the same store over connections with `synchronous_commit=off` (a database crash may then forget the last fraction of a second of claims and completions: those events run again on retry, as at-least-once allows).',
      ...[...skipped].map(([id, why]) => `${id} skipped: ${why}`),
    ],
    data: { summaries: Object.fromEntries(summaries), runs: Object.fromEntries(runs) },
  };
}

/**
 * The receiving-with-stores benchmark.
 *
 * @example
 * ```ts
 * const result = await receivingStoresBenchmark.run({ quick: true, command: 'npm run bench -- --quick', log: console.log })
 * ```
 */
export const receivingStoresBenchmark: Benchmark = { name: 'receiving-stores', title: 'Receiving with stores', run };
