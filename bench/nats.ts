/**
 * Benchmark 4: NATS JetStream at a window of 256. Raw `js.publish` with `msgID` (reference) against
 * `natsTransport` through the publisher; consume rate with ack, raw pull consumer against `natsConsumer`.
 * A unique stream per run, deleted after; skipped with a note when NATS does not answer.
 *
 * @module
 */
import net from 'node:net';
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

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^nats:/, 'http:'));
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 4222) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function run(options: BenchOptions): Promise<BenchResult> {
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const base = {
    name: 'nats',
    title: 'NATS JetStream (window 256, msgs/s)',
    date: new Date().toISOString(),
    command: options.command,
  };
  if (!(await reachable(url))) {
    return {
      ...base,
      tables: [],
      goals: [
        { goal: 'natsTransport ≥ 90 % of raw js.publish', figure: `skipped: NATS not reachable at ${url}`, met: null },
      ],
      notes: [
        `Skipped: nothing answered at ${url}. Start \`nats-server -js\` and run \`npm run bench -- --only nats\`.`,
      ],
    };
  }
  const count = options.quick ? 2000 : 8000;
  const rounds = options.quick ? 2 : 5;
  const worker = forkChild(new URL('./nats/worker.ts', import.meta.url));
  try {
    const { stream } = await worker.call<{ stream: string }>({ op: 'setup', url });
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
          goal: 'natsConsumer consume rate (reported, no goal)',
          figure: `${pct(consumeRatio)} of the raw consumer (${fmt(sub.get(SDK_SUB)?.median ?? Number.NaN)} msgs/s)`,
          met: null,
        },
      ],
      notes: [
        `Stream \`${stream}\` (file storage, created with \`ensureStream\`, deleted after). ${fmt(count, 0)} messages per row per round (a quarter in the consume warm-up round), one untimed warm-up round then ${rounds} timed rounds, rows alternating.`,
        'Raw publish: a fresh envelope per message, teei-v1 headers signed by hand, `js.publish(subject, body, { msgID, headers })`, 256 workers awaiting their PubAck. SDK: `publisher.enqueue` with `concurrency: 256` over `natsTransport`, then `flush()`.',
        'Consume: each round creates a new durable consumer from the start of the stream and times until the given count is handled (consumer creation included for both rows). Raw: `consume({ max_messages: 512 })`, HMAC check by hand, `JSON.parse`, `ack()`. SDK: `natsConsumer({ concurrency: 256 })` with a fresh `createReceiver({ catalog: buddyCatalog })` and a no-op handler.',
        "What limits natsTransport: the transport no longer reads `context.signal` on the publisher path (it registers through the attempt's cheap abort hook and relies on `js.publish`'s own `timeout`) and encodes the body once, so calling `send()` directly costs about what a minimal transport (serializeEvent, signSync, headers, `js.publish`) costs. What is left between the SDK row and the raw loop is the publisher's delivery machinery (queue, catalog validation, receipt) and run-to-run noise on 2 shared cores.",
        'The NATS server shares the 2 cores with the client. Both rows use a default `connect()`: nats.js then builds two `Error` objects (for async stack traces) per request, about a fifth of the publish CPU in a profile; `connect({ noAsyncTraces: true })` removes that cost for raw and SDK alike.',
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
