/**
 * The HTTP run: publisher → failing proxy → `nodeReceiver` → `createReceiver`, all on 127.0.0.1 in this process.
 * After the batch, the proxy stops failing ("the endpoint recovered") and the dead-letter queue is redriven.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { buddyCatalog, createPublisher, httpTransport, type Transport } from '../src/index.js';
import { prometheusMetrics } from '../src/observability/prometheus.js';
import { countLost, countProcessedTwice } from './accounting.js';
import type { DemoArgs } from './demo-args.js';
import { demoEvents } from './demo-events.js';
import { createTally, teeMetrics } from './demo-metrics.js';
import { createDemoCsr, serveReceiver } from './demo-receiver.js';
import { startFailingProxy } from './failing-proxy.js';
import { type ProgressSnapshot, startProgress } from './progress.js';
import { newPublishTally, publishAll } from './publish-all.js';
import { seededRandom } from './seeded-random.js';
import type { DemoSummary } from './summary.js';

/**
 * A short schedule so a few hundred events finish in seconds; production keeps the defaults (1 to 16 s).
 *
 * @example
 * ```ts
 * createPublisher({ transport, retry: { ...DEMO_RETRY, random: seededRandom(1) } })
 * ```
 */
export const DEMO_RETRY = Object.freeze({
  retries: 3,
  initialDelayMs: 50,
  factor: 2,
  maxDelayMs: 400,
  timeoutMs: 1000,
  maxRetryAfterMs: 1000,
});

/**
 * Where the run writes: the progress line and, with `--metrics`, the scrape.
 *
 * @example
 * ```ts
 * const io: DemoIo = { write: (text) => void process.stdout.write(text), tty: false }
 * ```
 */
export interface DemoIo {
  write(text: string): void;
  tty: boolean;
  /** Terminal width, when a terminal. */
  columns?: number;
}

/**
 * Runs the demo over HTTP and returns its figures.
 *
 * @example
 * ```ts
 * const summary = await runHttpDemo(parseDemoArgs([]), { write: (t) => process.stdout.write(t), tty: true })
 * ```
 */
export async function runHttpDemo(args: DemoArgs, io: DemoIo): Promise<{ summary: DemoSummary; registry: Registry }> {
  const started = performance.now();
  const secret = randomBytes(24).toString('base64url');
  const registry = new Registry();
  const prometheus = prometheusMetrics({ registry });
  const tally = createTally();
  const csr = createDemoCsr({ secret, metrics: prometheus });
  const server = await serveReceiver(csr.receiver);
  const random = seededRandom(args.seed);
  const proxy = await startFailingProxy({
    upstream: server.url,
    failureRate: args.failureRate,
    random,
    slowMaxMs: 1500,
  });

  let attempts = 0;
  const http = httpTransport({ url: `${proxy.url}/webhooks/buddy-events`, secret });
  const transport: Transport = {
    name: http.name,
    send(message, context) {
      attempts++;
      return http.send(message, context);
    },
    close: async () => http.close?.(),
  };
  const publisher = createPublisher({
    transport,
    catalog: buddyCatalog,
    retry: { ...DEMO_RETRY, random: seededRandom(args.seed + 1) },
    // The breaker still protects the receiver, but probes after 200 ms instead of 30 s.
    circuitBreaker: { failureThreshold: 10, resetTimeoutMs: 200 },
    metrics: teeMetrics(tally, prometheus),
    source: 'event-relay-demo',
  });

  const events = demoEvents(args.count);
  const outcome = newPublishTally();
  const progress = startProgress({
    total: events.length,
    tty: io.tty,
    ...(io.columns !== undefined && { columns: io.columns }),
    write: io.write,
    snapshot: () => ({
      settled: outcome.settled,
      delivered: outcome.delivered,
      deadLettered: outcome.deadLettered,
      retries: tally.retries,
      duplicates: csr.receiver.health().duplicates,
      pending: publisher.pending,
    }),
  });
  let batch: ProgressSnapshot;
  try {
    await publishAll(publisher, events, outcome);
    // A slow answer the publisher gave up on still reaches the receiver (as a duplicate, when a retry got through):
    // wait for those, so the last progress line holds every figure of the batch.
    await proxy.idle(5000);
  } finally {
    batch = progress.stop();
  }

  // "The endpoint recovered": the dead letters are sent again. An event dead-lettered after its handler had run
  // (its acknowledgements were lost) comes back as a duplicate: counted for the redrive, not for the batch.
  proxy.setFailureRate(0);
  const redrive = await publisher.redrive();
  const stillQueued = new Set((await publisher.deadLetter.list()).map((entry) => entry.envelope.metadata.id));
  await publisher.close();
  await proxy.close();
  await server.close();

  const lost = countLost(
    events.map((e) => e.id),
    csr.processed,
    stillQueued,
  );
  return {
    registry,
    summary: {
      published: events.length,
      delivered: batch.delivered,
      firstTry: outcome.firstTry,
      attempts,
      retries: batch.retries,
      duplicates: batch.duplicates,
      deadLettered: batch.deadLettered,
      redriven: redrive.delivered,
      redrivenDuplicates: csr.receiver.health().duplicates - batch.duplicates,
      stillDeadLettered: stillQueued.size,
      lost: lost + outcome.unexpected.length,
      processedTwice: countProcessedTwice(csr.processed),
      latenciesMs: outcome.latenciesMs,
      faults: proxy.injected,
      seconds: (performance.now() - started) / 1000,
    },
  };
}
