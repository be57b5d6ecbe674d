/**
 * The CSR side of the demo: a real `createReceiver` counting how many times each event reached its handler (it
 * must be exactly once, however often the event was retried), served by `nodeReceiver` on 127.0.0.1.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeReceiver } from '../src/adapters/node.js';
import type { BuddyCatalog } from '../src/catalog/buddy.js';
import { buddyCatalog, createReceiver, type MetricsSink, type Receiver } from '../src/index.js';

/**
 * The receiver and what its handler saw.
 *
 * @example
 * ```ts
 * const csr: DemoCsr = createDemoCsr({ secret, metrics }) // csr.processed.get(id) === 1
 * ```
 */
export interface DemoCsr {
  readonly receiver: Receiver<BuddyCatalog>;
  /** Handler runs by event id. */
  readonly processed: ReadonlyMap<string, number>;
  /** Handler runs that failed on purpose (the event is redelivered). */
  readonly handlerFailures: number;
  /** Events whose handler failed at least once. */
  readonly failedIds: ReadonlySet<string>;
  /** `performance.now()` of each event's first successful handler run. */
  readonly processedAt: ReadonlyMap<string, number>;
}

/**
 * Options of {@link createDemoCsr}.
 *
 * @example
 * ```ts
 * const options: DemoCsrOptions = { secret, metrics, handlerFailureRate: 0.3, random: seededRandom(7) }
 * ```
 */
export interface DemoCsrOptions {
  secret: string;
  metrics: MetricsSink;
  /** Share of handler runs that throw on purpose, before doing anything. @default 0 */
  handlerFailureRate?: number;
  /** @default Math.random */
  random?: () => number;
}

/**
 * Builds the receiver with a Buddy catalog and a counting handler.
 *
 * @example
 * ```ts
 * const csr = createDemoCsr({ secret, metrics, handlerFailureRate: 0.3 })
 * ```
 */
export function createDemoCsr(options: DemoCsrOptions): DemoCsr {
  const { handlerFailureRate = 0, random = Math.random } = options;
  // logger: false: the handler fails on purpose and the summary counts it; a stack trace per failure would drown it.
  const receiver = createReceiver({
    secret: options.secret,
    catalog: buddyCatalog,
    metrics: options.metrics,
    logger: false,
  });
  const processed = new Map<string, number>();
  const processedAt = new Map<string, number>();
  const failedIds = new Set<string>();
  let handlerFailures = 0;
  receiver.onAny(async (event) => {
    if (random() < handlerFailureRate) {
      handlerFailures++;
      failedIds.add(event.metadata.id);
      throw new Error('the demo handler failed on purpose');
    }
    processed.set(event.metadata.id, (processed.get(event.metadata.id) ?? 0) + 1);
    if (!processedAt.has(event.metadata.id)) processedAt.set(event.metadata.id, performance.now());
  });
  return {
    receiver,
    processed,
    processedAt,
    failedIds,
    get handlerFailures() {
      return handlerFailures;
    },
  };
}

/**
 * Serves a receiver with `nodeReceiver` on a free port of 127.0.0.1.
 *
 * @example
 * ```ts
 * const server = await serveReceiver(csr.receiver) // server.url + '/webhooks/buddy-events'
 * ```
 */
export async function serveReceiver(
  receiver: Receiver<BuddyCatalog>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(nodeReceiver(receiver));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
