/**
 * Benchmark 6: durable delivery. Events delivered per second end to end (from the first `enqueue` to the last 2xx,
 * `flush()` included), 10,000 1 KB events to a fast local sink at the default concurrency (16), through each outbox in
 * bench/durability/rows.ts; the memory outbox is the reference. Also the p50/p99 of `enqueue` (resolved once the event
 * is stored: fsync'd for the file outbox) and fsyncs per event.
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InstanceResult } from './durability/client.js';
import { REFERENCE, ROWS, type RowContext } from './durability/rows.js';
import { alternate } from './lib/alternate.js';
import { type Child, forkChild } from './lib/child.js';
import { fmt, pct } from './lib/format.js';
import { ratioOf, ratioTable } from './lib/ratio-table.js';
import { percentile } from './lib/stats.js';
import type { Benchmark, BenchOptions, BenchResult, Goal } from './lib/types.js';

/** Concurrent producers, each awaiting its `enqueue` before the next (request handlers, say). */
const PRODUCERS = 64;
const TMP = fileURLToPath(new URL('../.tmp/bench-durability/', import.meta.url));

interface RoundFigures {
  readonly latencies: number[];
  readonly fsyncs: number;
  readonly groupCommits: number;
  readonly cpuMicros: number;
}

async function run(options: BenchOptions): Promise<BenchResult> {
  const count = options.quick ? 2000 : 10_000;
  const rounds = options.quick ? 2 : 5;
  mkdirSync(TMP, { recursive: true });
  const sink = forkChild(new URL('./publishing/sink.ts', import.meta.url));
  const clients = new Map<string, Child[]>(
    ROWS.map((row) => [
      row.name,
      Array.from({ length: row.instances }, () => forkChild(new URL('./durability/client.ts', import.meta.url))),
    ]),
  );
  const figures = new Map<string, RoundFigures[]>(ROWS.map((row) => [row.name, []]));
  const shortfalls: string[] = [];
  let round = 0;
  try {
    const { port } = await sink.call<{ port: number }>({ op: 'start', mode: 'ok' });
    const url = `http://127.0.0.1:${port}/webhooks/buddy-events`;
    const rows = ROWS.map((row) => ({
      name: row.name,
      async measure(index: number) {
        const children = clients.get(row.name) ?? [];
        round += 1;
        const runId = `r${process.pid}_${round}`;
        const context = (instance: number): RowContext => ({
          dir: `${TMP}${runId}`,
          run: runId,
          instance,
          instances: row.instances,
        });
        await Promise.all(children.map((c, i) => c.call({ op: 'prepare', row: row.name, url, context: context(i) })));
        const before = await sink.call<number>({ op: 'count' });
        const share = (i: number) => Math.floor(count / row.instances) + (i < count % row.instances ? 1 : 0);
        const t0 = performance.now();
        const results = await Promise.all(
          children.map((c, i) => c.call<InstanceResult>({ op: 'go', count: share(i), producers: PRODUCERS })),
        );
        const rate = (count * 1000) / (performance.now() - t0);
        const delivered = (await sink.call<number>({ op: 'count' })) - before;
        await Promise.all(children.map((c) => c.call({ op: 'finish' })));
        if (delivered < count) shortfalls.push(`${row.name}: ${delivered} of ${count} reached the sink`);
        if (index >= 0) {
          figures.get(row.name)?.push({
            latencies: results.flatMap((r) => r.latencies),
            fsyncs: results.reduce((n, r) => n + r.fsyncs, 0),
            groupCommits: results.reduce((n, r) => n + r.groupCommits, 0),
            cpuMicros: results.reduce((n, r) => n + r.cpuMicros, 0),
          });
        }
        return rate;
      },
    }));
    options.log(`durability: ${count} events per round, ${rows.map((r) => r.name).join(', ')}`);
    const summaries = await alternate(rows, { rounds, warmup: 1 });
    const perEvent = ROWS.map((row) => {
      const all = figures.get(row.name) ?? [];
      const latencies = all.flatMap((f) => f.latencies);
      const sum = (pick: (f: RoundFigures) => number) => all.reduce((n, f) => n + pick(f), 0) / (count * all.length);
      return {
        name: row.name,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        fsyncsPerEvent: sum((f) => f.fsyncs),
        commitsPerEvent: sum((f) => f.groupCommits),
        cpuPerEvent: sum((f) => f.cpuMicros),
      };
    });
    const goals: Goal[] = [];
    const file = ratioOf(summaries, 'fileOutbox', REFERENCE);
    const fileFigures = perEvent.find((r) => r.name === 'fileOutbox');
    goals.push({
      goal: 'fileOutbox ≥ 80 % of the memory outbox, events/s delivered end to end',
      figure: `${pct(file)} (${fmt(summaries.get('fileOutbox')?.median ?? Number.NaN)} vs ${fmt(summaries.get(REFERENCE)?.median ?? Number.NaN)} events/s; ${fmt(fileFigures?.fsyncsPerEvent ?? Number.NaN, 3)} fsyncs per event, enqueue p99 ${fmt(fileFigures?.p99 ?? Number.NaN, 1)} ms)`,
      met: file >= 0.8,
    });
    for (const row of ['postgresOutbox', 'postgresOutbox, 2 instances']) {
      const ratio = ratioOf(summaries, row, REFERENCE);
      goals.push({
        goal: `${row} ≥ 50 % of the memory outbox, events/s delivered end to end`,
        figure: `${pct(ratio)} (${fmt(summaries.get(row)?.median ?? Number.NaN)} vs ${fmt(summaries.get(REFERENCE)?.median ?? Number.NaN)} events/s)`,
        met: ratio >= 0.5,
      });
    }
    return {
      name: 'durability',
      title: 'Durable delivery (outboxes, events/s end to end)',
      date: new Date().toISOString(),
      command: options.command,
      tables: [
        ratioTable(
          `Events/s delivered end to end (${fmt(count, 0)} 1 KB events, concurrency 16, ${PRODUCERS} producers)`,
          'events/s',
          summaries,
          REFERENCE,
        ),
        {
          title: 'Per event (all timed rounds)',
          header: ['row', 'enqueue p50', 'enqueue p99', 'fsyncs per event', 'group commits per event', 'client CPU µs'],
          rows: perEvent.map((r) => [
            r.name === REFERENCE ? `${r.name} (reference)` : r.name,
            `${fmt(r.p50, 2)} ms`,
            `${fmt(r.p99, 2)} ms`,
            fmt(r.fsyncsPerEvent, 3),
            fmt(r.commitsPerEvent, 3),
            fmt(r.cpuPerEvent, 0),
          ]),
          notes: [
            '`enqueue` resolves once the outbox stored the event: at once for the memory outbox, after the fsync of its group for the file outbox. Fsyncs count every one: group commits (adds and completions), compaction snapshots and directory syncs.',
          ],
        },
      ],
      goals,
      notes: [
        `Each round: a fresh publisher per row (its outbox opened before the clock starts), ${PRODUCERS} producers each awaiting \`enqueue\` before the next, then \`flush()\` (every event delivered and completed in the outbox); events/s = ${fmt(count, 0)} / (first enqueue → flush resolved). One untimed warm-up round then ${rounds} timed rounds, rows alternating with a rotating start. The sink (bench/publishing/sink.ts) and each publisher instance run in their own processes; the file outbox writes under .tmp/ in the checkout (a real disk, not tmpfs). The Postgres rows use a fresh table per round on the local server (127.0.0.1, default settings), every instance calling \`ensureOutboxTable\` as it starts; with two instances each sends half the events through the shared table.`,
        ...(shortfalls.length
          ? [`Short of the sink: ${shortfalls.join('; ')}.`]
          : ['Every event of every round reached the sink.']),
      ],
      data: { summaries: Object.fromEntries(summaries), perEvent },
    };
  } finally {
    for (const children of clients.values()) for (const child of children) await child.stop();
    await sink.stop();
  }
}

/**
 * The durability benchmark.
 *
 * @example
 * ```ts
 * const result = await durabilityBenchmark.run({ quick: true, command: 'npm run bench -- --quick --only durability', log: console.log })
 * ```
 */
export const durabilityBenchmark: Benchmark = { name: 'durability', title: 'Durable delivery', run };
