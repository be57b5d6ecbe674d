/**
 * Benchmark 4: NATS JetStream at a window of 256, on a 3-node cluster with an R3 stream (real nats-server
 * processes on loopback ports, started and stopped here). Raw `js.publish` with `msgID` (reference) against
 * `natsTransport` through the publisher; consume rate with ack, raw pull consumer against `natsConsumer`.
 * Skipped with a note when the nats-server binary is missing.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { type NatsCluster, startNatsCluster } from '../test/nats/nats-cluster.js';
import { NATS_SERVER_BIN } from '../test/nats/nats-server-process.js';
import { alternate } from './lib/alternate.js';
import { forkChild } from './lib/child.js';
import { fmt, pct } from './lib/format.js';
import { ratioOf, ratioTable } from './lib/ratio-table.js';
import { summarize } from './lib/stats.js';
import type { Benchmark, BenchOptions, BenchResult } from './lib/types.js';

const RAW_PUB = 'raw js.publish + msgID';
const SDK_PUB = 'publisher.enqueue (natsTransport)';
const RAW_SUB = 'raw pull consumer + ack';
const SDK_SUB = 'natsConsumer (receiver pipeline)';

async function run(options: BenchOptions): Promise<BenchResult> {
  const base = {
    name: 'nats',
    title: 'NATS JetStream, 3-node cluster, R3 stream (window 256, msgs/s)',
    date: new Date().toISOString(),
    command: options.command,
  };
  if (!existsSync(NATS_SERVER_BIN)) {
    const figure = `skipped: no nats-server at ${NATS_SERVER_BIN}`;
    return {
      ...base,
      tables: [],
      goals: [
        { goal: 'natsTransport ≥ 90 % of raw js.publish', figure, met: null },
        { goal: 'natsConsumer ≥ 80 % of a raw pull consumer with ack', figure, met: null },
      ],
      notes: [
        `Skipped: install Debian's nats-server (or set NATS_SERVER_BIN) and run \`npm run bench -- --only nats\`.`,
      ],
    };
  }
  options.log('nats: starting a 3-node cluster');
  const cluster: NatsCluster = await startNatsCluster();
  try {
    return await measure(options, base, cluster.servers);
  } finally {
    await cluster.dispose();
  }
}

async function measure(
  options: BenchOptions,
  base: Pick<BenchResult, 'name' | 'title' | 'date' | 'command'>,
  servers: string[],
): Promise<BenchResult> {
  const count = options.quick ? 2000 : 8000;
  const rounds = options.quick ? 2 : 5;
  const worker = forkChild(new URL('./nats/worker.ts', import.meta.url));
  try {
    const { stream } = await worker.call<{ stream: string }>({ op: 'setup', servers, replicas: 3 });
    options.log('nats: publishing');
    const cpu = new Map<string, number[]>();
    const pub = await alternate(
      [RAW_PUB, SDK_PUB].map((name) => ({
        name,
        async measure(round: number) {
          const { rate, cpuMicros } = await worker.call<{ rate: number; cpuMicros: number }>({
            op: 'publish',
            row: name === RAW_PUB ? 'raw' : 'sdk',
            count,
          });
          if (round >= 0) cpu.set(name, [...(cpu.get(name) ?? []), cpuMicros]);
          return rate;
        },
      })),
      { rounds, warmup: 1 },
    );
    const stored = await worker.call<number>({ op: 'stored' });
    options.log('nats: consuming');
    let consumers = 0;
    const sub = await alternate(
      [RAW_SUB, SDK_SUB].map((name) => ({
        name,
        measure: (round: number) =>
          worker.call<number>({
            op: 'consume',
            row: name === RAW_SUB ? 'raw' : 'sdk',
            count: Math.min(stored, round < 0 ? count / 4 : count),
            durable: `bench_${consumers++}`,
          }),
      })),
      { rounds, warmup: 1 },
    );
    const ratio = ratioOf(pub, SDK_PUB, RAW_PUB);
    const cpuOf = (name: string) => summarize(cpu.get(name) ?? []).median;
    const cpuRatio = cpuOf(RAW_PUB) / cpuOf(SDK_PUB);
    const consumeRatio = ratioOf(sub, SDK_SUB, RAW_SUB);
    return {
      ...base,
      tables: [
        ratioTable('Publish, 1 KB Buddy event, 256 in flight', 'msgs/s', pub, RAW_PUB, [
          `Client CPU per message (median of the rounds): raw ${fmt(cpuOf(RAW_PUB))} µs, SDK ${fmt(cpuOf(SDK_PUB))} µs (raw / SDK ${pct(cpuRatio)}).`,
        ]),
        ratioTable('Consume with ack, 1 KB Buddy event', 'msgs/s', sub, RAW_SUB),
      ],
      goals: [
        {
          goal: 'natsTransport ≥ 90 % of raw js.publish',
          figure: `${pct(ratio)} (${fmt(pub.get(SDK_PUB)?.median ?? Number.NaN)} vs ${fmt(pub.get(RAW_PUB)?.median ?? Number.NaN)} msgs/s; by client CPU per message ${pct(cpuRatio)})`,
          met: ratio >= 0.9,
        },
        {
          goal: 'natsConsumer ≥ 80 % of a raw pull consumer with ack',
          figure: `${pct(consumeRatio)} (${fmt(sub.get(SDK_SUB)?.median ?? Number.NaN)} vs ${fmt(sub.get(RAW_SUB)?.median ?? Number.NaN)} msgs/s)`,
          met: consumeRatio >= 0.8,
        },
      ],
      notes: [
        `Stream \`${stream}\`: file storage, 3 replicas on a 3-node cluster of Debian's nats-server (${NATS_SERVER_BIN}) on loopback ports, created with \`ensureStream(nc, { replicas: 3 })\`; the client connects with every node's URL. ${fmt(count, 0)} messages per row per round (a quarter in the consume warm-up round), one untimed warm-up round then ${rounds} timed rounds, rows alternating.`,
        'Raw publish: a fresh envelope per message, teei-v1 headers signed by hand, `js.publish(subject, body, { msgID, headers })`, 256 workers awaiting their PubAck. SDK: `await publisher.enqueue(...)` with `concurrency: 256` over `natsTransport`, then `flush()`.',
        'Consume: each round creates a new durable consumer from the start of the stream and times until the given count is handled (consumer creation included for both rows). Raw: `consume({ max_messages: 512 })`, HMAC check by hand, `JSON.parse`, `ack()`. SDK: `natsConsumer({ concurrency: 256 })` with a fresh `createReceiver({ catalog: buddyCatalog })` and a no-op handler.',
        'The three servers and the client share the 2 cores: an R3 publish costs the servers about three times the CPU of an R1 publish, so the client-side cost of the SDK weighs less in the ratio than on one server.',
        "Where the SDK's publish time goes (`bench/tools/profile-nats-publisher.ts`, rows raw, send, sdk): calling `natsTransport().send()` directly costs about what the raw loop costs plus envelope building; the rest is the publisher (catalog validation in `prepareEvent`, the delivery queue, a timer per attempt, the receipt) and the garbage it leaves. nats.js itself builds a `RequestError` on every successful request (`RequestOne.cancel`), and, with the default `connect()`, two more `Error` objects for async stack traces; `connect({ noAsyncTraces: true })` removes the latter for raw and SDK alike.",
      ],
      data: { publish: Object.fromEntries(pub), consume: Object.fromEntries(sub) },
    };
  } finally {
    await worker.call({ op: 'teardown' }).catch(() => undefined);
    await worker.stop();
  }
}

/**
 * The NATS benchmark.
 *
 * @example
 * ```ts
 * const result = await natsBenchmark.run({ quick: true, command: 'npm run bench -- --quick', log: console.log })
 * ```
 */
export const natsBenchmark: Benchmark = { name: 'nats', title: 'NATS', run };
