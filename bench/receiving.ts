/**
 * Benchmark 2: receiving a 1 KB Buddy event under autocannon -c 50, per framework: a bare route (raw body, HMAC by
 * hand, JSON.parse) against the same framework with this SDK's adapter running the whole pipeline. Each server
 * runs in its own child process, the load in another; rows alternate, several rounds.
 *
 * @module
 */
import { alternate } from './lib/alternate.js';
import { type Child, forkChild } from './lib/child.js';
import { fmt, pct } from './lib/format.js';
import { type Summary, summarize } from './lib/stats.js';
import type { Benchmark, BenchOptions, BenchResult, Goal, Table } from './lib/types.js';
import { loadRow, type Run } from './receiving/load-row.js';
import type { Framework, Variant } from './receiving/server.js';

// `same`: the hand-written route doing the SDK's work (bench/receiving/same-work.ts), where the issue sets a goal.
const FRAMEWORKS: readonly { id: Framework; label: string; variants: readonly Variant[] }[] = [
  { id: 'node', label: 'node:http', variants: ['bare', 'same', 'sdk'] },
  { id: 'express', label: 'Express 5', variants: ['bare', 'sdk'] },
  { id: 'fastify', label: 'Fastify 5', variants: ['bare', 'same', 'sdk'] },
  { id: 'hono', label: 'Hono (@hono/node-server)', variants: ['bare', 'sdk'] },
];
const SAME_WORK_GOAL = 0.9;
const SECRET = 'bench-receiver-secret-0123456789';
const PATH = '/webhooks/buddy-events';
const CONNECTIONS = 50;

/** One timed run: the load figures and the server's CPU µs per request. */

async function run(options: BenchOptions): Promise<BenchResult> {
  const durationSeconds = options.quick ? 2 : 8;
  const warmupSeconds = options.quick ? 0.5 : 2;
  const rounds = options.quick ? 2 : 4;
  const poolSize = options.quick ? 80_000 : 250_000;
  const cpuProf = process.env.BENCH_CPU_PROF;
  const servers = new Map<string, { child: Child; port: number }>();
  const load = forkChild(new URL('./receiving/load.ts', import.meta.url));
  const runs = new Map<string, Run[]>();
  try {
    // Start the servers together (each child spends most of its start-up loading modules), in a stable order.
    const started = await Promise.all(
      FRAMEWORKS.flatMap((f) =>
        f.variants.map(async (v) => {
          const child = forkChild(new URL('./receiving/server.ts', import.meta.url), {
            execArgv: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}/receive-${f.id}-${v}`] : [],
          });
          const { port } = await child.call<{ port: number }>({
            op: 'start',
            framework: f.id,
            variant: v,
            secret: SECRET,
          });
          return [`${f.id}:${v}`, { child, port }] as const;
        }),
      ),
    );
    for (const [name, server] of started) servers.set(name, server);
    const rowOptions = { load, runs, path: PATH, connections: CONNECTIONS, durationSeconds, warmupSeconds };
    const rows = [...servers].map(([name, server]) => loadRow(name, server, rowOptions));
    const summaries = await alternate(rows, {
      rounds,
      warmup: 1,
      // A fresh pool each round: new ids for every server, and a timestamp well inside the tolerance.
      beforeRound: () => load.call({ op: 'pool', size: poolSize, secret: SECRET }),
      onRound: (round) => options.log(`receiving: round ${round + 1}/${rounds} done`),
    });
    return report(summaries, runs, options, { durationSeconds, warmupSeconds, rounds, poolSize });
  } finally {
    await load.stop();
    for (const { child } of servers.values()) await child.stop();
  }
}

function report(
  summaries: Map<string, Summary>,
  runs: Map<string, Run[]>,
  options: BenchOptions,
  params: { durationSeconds: number; warmupSeconds: number; rounds: number; poolSize: number },
): BenchResult {
  const goals: Goal[] = [];
  const rows: string[][] = [];
  const statusRows: string[][] = [];
  for (const f of FRAMEWORKS) {
    const bare = summaries.get(`${f.id}:bare`)!;
    const sdk = summaries.get(`${f.id}:sdk`)!;
    const same = summaries.get(`${f.id}:same`);
    const ratio = sdk.median / bare.median;
    const cpu = (v: Variant) => summarize((runs.get(`${f.id}:${v}`) ?? []).map((r) => r.cpuMicros)).median;
    const span = (x: Summary | undefined) => (x ? `${fmt(x.median)} (${fmt(x.min)} – ${fmt(x.max)})` : '—');
    rows.push([
      f.label,
      span(bare),
      span(same),
      span(sdk),
      pct(ratio),
      same ? pct(sdk.median / same.median) : '—',
      `${fmt(cpu('bare'))} / ${same ? fmt(cpu('same')) : '—'} / ${fmt(cpu('sdk'))}`,
      same ? pct(cpu('same') / cpu('sdk')) : '—',
    ]);
    const failed = (v: Variant) =>
      (runs.get(`${f.id}:${v}`) ?? []).reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0);
    const bad = failed('sdk') + failed('bare');
    goals.push({
      goal: `${f.label}: SDK adapter pipeline ≥ 85 % of the bare route`,
      figure: `${pct(ratio)} (${fmt(sdk.median)} vs ${fmt(bare.median)} req/s; by server CPU per request ${pct(cpu('bare') / cpu('sdk'))})${bad ? `; INVALID: ${fmt(failed('sdk'), 0)} SDK and ${fmt(failed('bare'), 0)} bare answers were not 2xx or failed` : ''}`,
      met: ratio >= 0.85 && bad === 0,
    });
    if (same !== undefined) {
      const sameRatio = sdk.median / same.median;
      const sameBad = failed('same') + failed('sdk');
      goals.push({
        goal: `${f.label}: SDK pipeline ≥ ${pct(SAME_WORK_GOAL)} of the same-work route, at saturation`,
        figure: `${pct(sameRatio)} (${fmt(sdk.median)} vs ${fmt(same.median)} req/s; by server CPU per request ${pct(cpu('same') / cpu('sdk'))})${sameBad ? `; INVALID: ${fmt(failed('sdk'), 0)} SDK and ${fmt(failed('same'), 0)} same-work answers were not 2xx or failed` : ''}`,
        met: sameRatio >= SAME_WORK_GOAL && sameBad === 0,
      });
    }
    for (const v of f.variants) {
      const rs = runs.get(`${f.id}:${v}`) ?? [];
      const codes: Record<string, number> = {};
      for (const r of rs) for (const [c, n] of Object.entries(r.statusCodes)) codes[c] = (codes[c] ?? 0) + n;
      const p50 = rs.map((r) => r.latencyP50).sort((a, b) => a - b)[Math.floor(rs.length / 2)] ?? Number.NaN;
      const p99 = rs.map((r) => r.latencyP99).sort((a, b) => a - b)[Math.floor(rs.length / 2)] ?? Number.NaN;
      statusRows.push([
        `${f.label} ${v === 'bare' ? 'bare route' : v === 'same' ? 'same-work route' : 'SDK adapter'}`,
        fmt(
          rs.reduce((a, r) => a + r.total, 0),
          0,
        ),
        Object.entries(codes)
          .map(([c, n]) => `${c}: ${fmt(n, 0)}`)
          .join(', '),
        fmt(
          rs.reduce((a, r) => a + r.errors + r.timeouts, 0),
          0,
        ),
        fmt(
          rs.reduce((a, r) => a + r.reused, 0),
          0,
        ),
        `${fmt(p50, 1)} / ${fmt(p99, 1)}`,
      ]);
    }
  }
  const tables: Table[] = [
    {
      title: `Requests/s, 1 KB Buddy event, autocannon -c ${CONNECTIONS}`,
      header: [
        'framework',
        'bare route req/s, median (min – max)',
        'same-work route req/s',
        'SDK adapter req/s',
        'SDK / bare',
        'SDK / same-work',
        'server CPU µs per request, bare / same-work / SDK',
        'same-work CPU / SDK CPU',
      ],
      rows,
      notes: [
        "Server CPU per request is the server process's user + system time over a run divided by the requests it answered (median of the rounds): steadier than req/s when other work shares the 2 cores. Its ratio reads like the req/s ratio (100 % = the SDK costs no more than the bare route).",
      ],
    },
    {
      title: 'Answers over the timed rounds',
      header: [
        'row',
        'requests',
        'status codes',
        'errors + timeouts',
        'reused ids',
        'latency p50 / p99 ms (median round)',
      ],
      rows: statusRows,
      notes: [
        'The SDK answers 202 to a fresh delivery id and 200 to a duplicate: all-202 shows every request went through the whole pipeline.',
      ],
    },
  ];
  return {
    name: 'receiving',
    title: 'Receiving (HTTP, 1 KB Buddy event, req/s)',
    date: new Date().toISOString(),
    command: options.command,
    tables,
    goals,
    notes: [
      `Each of the 10 servers runs in its own child process (started once, idle when not measured); autocannon runs in another child with ${CONNECTIONS} connections, ${params.durationSeconds} s per row per round, ${params.rounds} rounds after a ${params.warmupSeconds} s warm-up of every row, rows alternating with a rotating start.`,
      `The load process precomputes ${fmt(params.poolSize, 0)} signed requests (teei-v1, distinct uuid delivery ids, timestamp of the pool) before every round; each server walks the pool from its own cursor, so no server sees an id twice unless "reused ids" says so.`,
      'Bare route: raw body, `createHmac` + `timingSafeEqual` by hand, `JSON.parse`, a 202 with a small JSON body. Express uses `express.raw()`, Fastify a buffer content-type parser, Hono `c.req.arrayBuffer()`.',
      "Same-work route (node:http and Fastify): the bare route plus what the SDK pipeline adds, by hand: `safeParse` of the event's data with the Buddy catalog's own zod schema, a `Map` dedupe on the event id capped at 100,000 ids, and an async no-op handler (bench/receiving/same-work.ts). The SDK's goal is set against it.",
      "SDK adapter: `createReceiver({ secret, catalog: buddyCatalog })` with a no-op `on('buddy.checkin.completed')` handler and the default memory idempotency store, mounted with `nodeReceiver` / `expressReceiver` / `fastifyReceiver` / `honoReceiver`.",
      'The default memory idempotency store keeps at most 100,000 delivery ids: an SDK server that has answered more than that (see "requests" above, plus the warm-up) works at capacity, evicting the oldest id for each new one, as a long-running receiver does.',
      'Two cores shared by the server and the load generator: the absolute figures are bounded by the load generator; the ratios are the point.',
    ],
    data: { summaries: Object.fromEntries(summaries), runs: Object.fromEntries(runs) },
  };
}

/**
 * The receiving benchmark.
 *
 * @example
 * ```ts
 * const result = await receivingBenchmark.run({ quick: true, command: 'npm run bench -- --quick', log: console.log })
 * ```
 */
export const receivingBenchmark: Benchmark = { name: 'receiving', title: 'Receiving', run };
