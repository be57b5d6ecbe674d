/**
 * The demo's own counters, fed by the same {@link MetricsSink} calls as Prometheus, and a tee that feeds both.
 *
 * @module
 */
import type { MetricsSink } from '../src/index.js';

/**
 * Counters the progress line and the summary read.
 *
 * @example
 * ```ts
 * const tally: Tally = createTally() // tally.retries after the run
 * ```
 */
export interface Tally extends MetricsSink {
  readonly retries: number;
  readonly errorsByType: ReadonlyMap<string, number>;
}

/**
 * Counts retries and failed attempts by error type.
 *
 * @example
 * ```ts
 * const tally = createTally()
 * createPublisher({ transport, metrics: teeMetrics(tally, prometheusMetrics({ registry })) })
 * ```
 */
export function createTally(): Tally {
  let retries = 0;
  const errorsByType = new Map<string, number>();
  return {
    get retries() {
      return retries;
    },
    errorsByType,
    retry() {
      retries++;
    },
    publishError({ errorType }) {
      errorsByType.set(errorType, (errorsByType.get(errorType) ?? 0) + 1);
    },
  };
}

/**
 * One sink that calls every given sink.
 *
 * @example
 * ```ts
 * const metrics = teeMetrics(tally, prometheusMetrics({ registry }))
 * ```
 */
export function teeMetrics(...sinks: MetricsSink[]): MetricsSink {
  const each =
    <K extends keyof MetricsSink>(key: K) =>
    (...args: Parameters<NonNullable<MetricsSink[K]>>) => {
      for (const sink of sinks) (sink[key] as ((...a: typeof args) => void) | undefined)?.(...args);
    };
  return {
    published: each('published'),
    publishError: each('publishError'),
    retry: each('retry'),
    pendingQueue: each('pendingQueue'),
    received: each('received'),
    receiveError: each('receiveError'),
    signatureFailure: each('signatureFailure'),
  };
}
