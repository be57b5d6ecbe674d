/**
 * Benchmark 3: publishing to a node:http sink (its own process) at 1, 16 and 64 in flight: raw loops with
 * node:http + keep-alive (reference), `undici.request` and global fetch against `publisher.enqueue` over
 * `httpTransport`; then the heap held by 100,000 queued 1 KB events while the sink stalls.
 *
 * @module
 */
import { alternate } from './lib/alternate.js';
import { type Child, forkChild } from './lib/child.js';
import { bytes, fmt, pct } from './lib/format.js';
import { ratioOf, ratioTable } from './lib/ratio-table.js';
import { type Summary, summarize } from './lib/stats.js';
import type { Benchmark, BenchOptions, BenchResult, Goal, Table } from './lib/types.js';
import type { MemoryResult } from './publishing/memory.js';
import { ROWS } from './publishing/rows.js';

const IN_FLIGHT = [1, 16, 64] as const;
const REFERENCE = ROWS[0];
const SDK = ROWS[3];

async function throughput(options: BenchOptions, url: string, sink: Child) {
  const count = options.quick ? 600 : 4000;
  const rounds = options.quick ? 2 : 5;
  const cpuProf = process.env.BENCH_CPU_PROF;
  const clients = forkChild(new URL('./publishing/clients.ts', import.meta.url), {
    execArgv: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}/publish-clients`] : [],
  });
  const results = new Map<number, Map<string, Summary>>();
  const shortfalls: string[] = [];
  const cpu = new Map<string, number[]>();
  try {
    for (const inFlight of IN_FLIGHT) {
      options.log(`publishing: ${inFlight} in flight`);
      const rows = ROWS.map((row) => ({
        name: row,
        async measure(round: number) {
          // The warm-up round sends a full round too: the SDK path is longer code and needs its JIT warm-up.
          const n = count;
          const before = await sink.call<number>({ op: 'count' });
          const { rate, cpuMicros } = await clients.call<{ rate: number; cpuMicros: number }>({
            row,
            inFlight,
            count: n,
            url,
          });
          if (round >= 0) cpu.set(`${row}@${inFlight}`, [...(cpu.get(`${row}@${inFlight}`) ?? []), cpuMicros]);
          const delivered = (await sink.call<number>({ op: 'count' })) - before;
          if (delivered !== n)
            shortfalls.push(`${row} at ${inFlight} in flight: ${delivered} of ${n} reached the sink`);
          return rate;
        },
      }));
      results.set(inFlight, await alternate(rows, { rounds, warmup: 1 }));
    }
  } finally {
    await clients.stop();
  }
  return { results, count, rounds, shortfalls, cpu };
}

async function memory(options: BenchOptions, stallUrl: string): Promise<MemoryResult> {
  const child = forkChild(new URL('./publishing/memory.ts', import.meta.url), { execArgv: ['--expose-gc'] });
  try {
    options.log('publishing: memory of 100,000 queued events');
    return await child.call<MemoryResult>({ count: 100_000, url: stallUrl });
  } finally {
    await child.stop();
  }
}

async function run(options: BenchOptions): Promise<BenchResult> {
  const sink = forkChild(new URL('./publishing/sink.ts', import.meta.url));
  const stall = forkChild(new URL('./publishing/sink.ts', import.meta.url));
  try {
    const { port } = await sink.call<{ port: number }>({ op: 'start', mode: 'ok' });
    const { port: stallPort } = await stall.call<{ port: number }>({ op: 'start', mode: 'stall' });
    const url = `http://127.0.0.1:${port}/webhooks/buddy-events`;
    const t = await throughput(options, url, sink);
    const mem = await memory(options, `http://127.0.0.1:${stallPort}/webhooks/buddy-events`);
    const tables: Table[] = [];
    const goals: Goal[] = [];
    for (const inFlight of IN_FLIGHT) {
      const s = t.results.get(inFlight)!;
      tables.push(ratioTable(`Events/s at ${inFlight} in flight (1 KB Buddy event)`, 'events/s', s, REFERENCE));
    }
    const cpuOf = (row: string, inFlight: number) => summarize(t.cpu.get(`${row}@${inFlight}`) ?? []).median;
    tables.push({
      title: 'Client CPU µs per event (median of the rounds; lower is better)',
      header: ['row', ...IN_FLIGHT.map((n) => `${n} in flight`)],
      rows: ROWS.map((row) => [
        row === REFERENCE ? `${row} (reference)` : row,
        ...IN_FLIGHT.map((n) => `${fmt(cpuOf(row, n))} (${pct(cpuOf(REFERENCE, n) / cpuOf(row, n))})`),
      ]),
      notes: [
        "The client process's user + system time over a round divided by the events sent; in brackets the reference's CPU over the row's (100 % = as cheap as the raw loop). Steadier than events/s when other work shares the cores.",
      ],
    });
    const at64 = t.results.get(64)!;
    const r64 = ratioOf(at64, SDK, REFERENCE);
    goals.push({
      goal: 'publisher.enqueue at 64 in flight ≥ 90 % of raw node:http keep-alive',
      figure: `${pct(r64)} (${fmt(at64.get(SDK)?.median ?? Number.NaN)} vs ${fmt(at64.get(REFERENCE)?.median ?? Number.NaN)} events/s; by client CPU per event ${pct(cpuOf(REFERENCE, 64) / cpuOf(SDK, 64))})`,
      met: r64 >= 0.9,
    });
    const ratio = mem.bytesPerEvent / mem.eventBytes;
    tables.push({
      title: `Heap held by ${fmt(mem.count, 0)} queued 1 KB events (sink stalled)`,
      header: [
        'events',
        'wire bytes per event',
        'heap used delta',
        'bytes per event',
        'ratio to payload',
        'external delta',
        'pending',
        'enqueue time',
      ],
      rows: [
        [
          fmt(mem.count, 0),
          fmt(mem.eventBytes, 0),
          bytes(mem.heapDelta),
          fmt(mem.bytesPerEvent, 0),
          `${fmt(ratio, 2)}×`,
          bytes(mem.externalDelta),
          fmt(mem.pending, 0),
          `${fmt(mem.enqueueMs, 0)} ms`,
        ],
      ],
    });
    goals.push({
      goal: '100,000 queued 1 KB events hold under 2× their bytes',
      figure: `${fmt(mem.bytesPerEvent, 0)} B per ${fmt(mem.eventBytes, 0)} B event (${fmt(ratio, 2)}×)`,
      met: ratio < 2,
    });
    return {
      name: 'publishing',
      title: 'Publishing (HTTP, events/s, and queue memory)',
      date: new Date().toISOString(),
      command: options.command,
      tables,
      goals,
      notes: [
        `The sink is a node:http server in its own process that drains the body and answers 200 \`{}\`; the clients run in another process. Each round sends ${fmt(t.count, 0)} events per row, one untimed warm-up round then ${t.rounds} timed rounds, rows alternating with a rotating start.`,
        'Raw loops build a fresh envelope per event (uuid, timestamp, `JSON.stringify`), sign it (teei-v1, `createHmac`) and send it: node:http with a keep-alive agent (`maxSockets` = in flight), `undici.request` with an `Agent({ connections })`, and global fetch. The SDK row calls `publisher.enqueue` (catalog validation, envelope, serialisation, signature, retry bookkeeping) `count` times and awaits `flush()`.',
        'Memory: a child run with `--expose-gc`; 100 events warm the paths, then `gc()` twice, `heapUsed`, 100,000 `enqueue` calls with a distinct data object per event (own uuids and a freshly allocated notes string), `gc()` twice, `heapUsed` again; the 16 in-flight deliveries stall on a sink that never answers.',
        ...(t.shortfalls.length
          ? [`Deliveries short of the sink: ${t.shortfalls.join('; ')}.`]
          : ['Every event of every round reached the sink.']),
      ],
      data: { throughput: Object.fromEntries([...t.results].map(([k, v]) => [k, Object.fromEntries(v)])), memory: mem },
    };
  } finally {
    await sink.stop();
    await stall.stop();
  }
}

/**
 * The publishing benchmark.
 *
 * @example
 * ```ts
 * const result = await publishingBenchmark.run({ quick: true, command: 'npm run bench -- --quick', log: console.log })
 * ```
 */
export const publishingBenchmark: Benchmark = { name: 'publishing', title: 'Publishing', run };
