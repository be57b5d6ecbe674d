/**
 * The `--nats` run: publisher → `natsTransport` → JetStream → `natsConsumer` → the same receiver pipeline. A share
 * of handler runs fail on purpose; the consumer redelivers them with backoff and dead-letters a message after
 * `maxDeliver` failed deliveries. The run uses a stream and subjects of its own and deletes the stream at the end.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { buddyCatalog, createPublisher, memoryDeadLetterQueue } from '../src/index.js';
import { prometheusMetrics } from '../src/observability/prometheus.js';
import { ensureStream, natsConsumer, natsTransport } from '../src/transports/nats.js';
import { countLost, countProcessedTwice } from './accounting.js';
import type { DemoArgs } from './demo-args.js';
import { demoEvents } from './demo-events.js';
import { createTally, teeMetrics } from './demo-metrics.js';
import { createDemoCsr } from './demo-receiver.js';
import { startProgress } from './progress.js';
import { newPublishTally, publishAll } from './publish-all.js';
import { DEMO_RETRY, type DemoIo } from './run-http.js';
import { seededRandom } from './seeded-random.js';
import type { DemoSummary } from './summary.js';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
/** How long to wait for the consumer to settle every event. */
const SETTLE_TIMEOUT_MS = 45_000;

async function tryConnect(): Promise<NatsConnection | undefined> {
  try {
    return await connect({ servers: NATS_URL, timeout: 2000, reconnect: false });
  } catch {
    return undefined;
  }
}

/**
 * Runs the demo through JetStream; `undefined` when NATS does not answer at `NATS_URL`.
 *
 * @example
 * ```ts
 * const result = await runNatsDemo(args, io) ?? await runHttpDemo(args, io)
 * ```
 */
export async function runNatsDemo(
  args: DemoArgs,
  io: DemoIo,
): Promise<{ summary: DemoSummary; registry: Registry } | undefined> {
  const nc = await tryConnect();
  if (nc === undefined) return undefined;
  const started = performance.now();
  const runId = `demo${randomBytes(4).toString('hex')}`;
  const stream = `EVENT_RELAY_${runId.toUpperCase()}`;
  const secret = randomBytes(24).toString('base64url');
  const registry = new Registry();
  const prometheus = prometheusMetrics({ registry });
  const tally = createTally();
  const random = seededRandom(args.seed);
  const csr = createDemoCsr({ secret, metrics: prometheus, handlerFailureRate: args.failureRate, random });
  const consumerDeadLetters = memoryDeadLetterQueue();
  try {
    await ensureStream(nc, { name: stream, subjects: [`${runId}.>`] });
    const consumer = await natsConsumer({
      connection: nc,
      stream,
      durable: 'csr-demo',
      receiver: csr.receiver,
      maxDeliver: 5,
      backoffMs: [50, 100, 200, 400],
      deadLetter: consumerDeadLetters,
    });
    const publisher = createPublisher({
      transport: natsTransport({ connection: nc, secret, subject: (envelope) => `${runId}.${envelope.type}` }),
      catalog: buddyCatalog,
      retry: { ...DEMO_RETRY, random: seededRandom(args.seed + 1) },
      metrics: teeMetrics(tally, prometheus),
      source: 'event-relay-demo',
    });

    const events = demoEvents(args.count);
    const publishedAt = new Map(events.map((e) => [e.id, 0]));
    const outcome = newPublishTally();
    let deadLettered = 0;
    const progress = startProgress({
      total: events.length,
      tty: io.tty,
      ...(io.columns !== undefined && { columns: io.columns }),
      write: io.write,
      snapshot: () => ({
        settled: csr.processed.size + deadLettered,
        delivered: csr.processed.size,
        deadLettered,
        retries: csr.handlerFailures,
        duplicates: csr.receiver.health().duplicates,
        pending: publisher.pending,
      }),
    });
    for (const e of events) publishedAt.set(e.id, performance.now());
    await publishAll(publisher, events, outcome);
    const deadline = performance.now() + SETTLE_TIMEOUT_MS;
    while (csr.processed.size + deadLettered < events.length && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      deadLettered = await consumerDeadLetters.size();
    }
    // Stopped before the last progress line, so no late redelivery changes a figure after it: the summary reports
    // the figures of that line.
    await consumer.stop();
    await publisher.close();
    deadLettered = await consumerDeadLetters.size();
    const last = progress.stop();

    const queued = new Set((await consumerDeadLetters.list()).map((entry) => entry.envelope.metadata.id));
    const failedOnce = csr.handlerFailures;
    return {
      registry,
      summary: {
        published: events.length,
        delivered: last.delivered,
        firstTry: [...csr.processed.keys()].filter((id) => !csr.failedIds.has(id)).length,
        attempts: [...csr.processed.values()].reduce((a, b) => a + b, 0) + failedOnce,
        retries: last.retries,
        duplicates: last.duplicates,
        deadLettered: last.deadLettered,
        redriven: 0,
        redrivenDuplicates: 0,
        stillDeadLettered: queued.size,
        lost:
          countLost(
            events.map((e) => e.id),
            csr.processed,
            queued,
          ) + outcome.unexpected.length,
        processedTwice: countProcessedTwice(csr.processed),
        latenciesMs: events.flatMap((e) => {
          const done = csr.processedAt.get(e.id);
          return done === undefined ? [] : [done - (publishedAt.get(e.id) ?? done)];
        }),
        faults: { handler_failed: failedOnce, publish_failed: outcome.deadLettered },
        seconds: (performance.now() - started) / 1000,
      },
    };
  } finally {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
    await nc.close();
  }
}
