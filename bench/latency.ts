/**
 * Benchmark 5: end-to-end latency at 50 events/s through publisher → HTTP → receiver → handler, in one child
 * process so both ends read the same clock.
 *
 * @module
 */

import type { LatencyResult } from './latency/worker.js';
import { forkChild } from './lib/child.js';
import { fmt } from './lib/format.js';
import { percentile } from './lib/stats.js';
import type { Benchmark, BenchOptions, BenchResult } from './lib/types.js';

const RATE = 50;

async function run(options: BenchOptions): Promise<BenchResult> {
  const seconds = options.quick ? 5 : 10;
  options.log(`latency: ${RATE} events/s for ${seconds} s`);
  const worker = forkChild(new URL('./latency/worker.ts', import.meta.url));
  let result: LatencyResult;
  try {
    result = await worker.call<LatencyResult>({ rate: RATE, seconds, warmup: 25 });
  } finally {
    await worker.stop();
  }
  const l = result.latencies;
  const row = (name: string, xs: number[]) => [
    name,
    fmt(xs.length, 0),
    fmt(percentile(xs, 0.5), 2),
    fmt(percentile(xs, 0.95), 2),
    fmt(percentile(xs, 0.99), 2),
    fmt(Math.max(...xs), 2),
  ];
  const p95 = percentile(l, 0.95);
  return {
    name: 'latency',
    title: `End-to-end latency (${RATE} events/s, ms)`,
    date: new Date().toISOString(),
    command: options.command,
    tables: [
      {
        title: `${RATE} events/s for ${seconds} s, 1 KB Buddy event, publisher → HTTP → receiver → handler`,
        header: ['measure', 'events', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        rows: [row('handler time − publish call time', l), row('publish() receipt durationMs', result.receipts)],
      },
    ],
    goals: [
      {
        goal: `end-to-end p95 < 10 ms at ${RATE} events/s`,
        figure: `p95 ${fmt(p95, 2)} ms (p50 ${fmt(percentile(l, 0.5), 2)}, p99 ${fmt(percentile(l, 0.99), 2)}, ${l.length} events)`,
        met: l.length > 0 && p95 < 10,
      },
    ],
    notes: [
      'One child process holds a `createPublisher` over `httpTransport` (keep-alive node:http) and a `createReceiver({ catalog: buddyCatalog })` mounted with `nodeReceiver` on node:http at 127.0.0.1, so both timestamps come from the same `performance.now()`.',
      `Events are sent on a fixed schedule (one every ${1000 / RATE} ms, \`publish()\` not awaited before the next), after 25 untimed warm-up events; each carries its send time in \`data.notes\` (padded to about 1 KB).`,
      ...(result.failures.length ? [`${result.failures.length} publish() calls failed: ${result.failures[0]}`] : []),
    ],
    data: {
      latencyMs: { p50: percentile(l, 0.5), p95, p99: percentile(l, 0.99), max: Math.max(...l), count: l.length },
      receiptMs: { p50: percentile(result.receipts, 0.5), p95: percentile(result.receipts, 0.95) },
    },
  };
}

/**
 * The latency benchmark.
 *
 * @example
 * ```ts
 * const result = await latencyBenchmark.run({ quick: true, command: 'npm run bench -- --quick', log: console.log })
 * ```
 */
export const latencyBenchmark: Benchmark = { name: 'latency', title: 'Latency', run };
