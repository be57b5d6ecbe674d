/**
 * Loggers and metrics sinks are the user's code: one that throws must not lose an event, leave a promise unsettled,
 * wedge the circuit breaker (a throw between an attempt and its verdict would keep the probe slot forever) or crash
 * the process from a timer. These wrappers swallow such throws once, at the boundary, so the delivery code can call
 * them freely.
 *
 * @module
 */
import type { Logger, LogRecord } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * @internal A logger whose methods never throw.
 *
 * @example
 * ```ts
 * const log = guardLogger(options.logger ?? silentLogger)
 * log.warn({ operation: 'publish' }, 'never throws')
 * ```
 */
export function guardLogger(logger: Logger): Logger {
  const guarded = {} as Logger;
  for (const level of LEVELS) {
    guarded[level] = (obj: LogRecord, msg?: string): void => {
      try {
        logger[level](obj, msg);
      } catch {
        // A broken logger has nowhere to report its own failure.
      }
    };
  }
  return guarded;
}

/**
 * @internal A metrics sink whose methods never throw; methods the sink lacks stay absent, so `sink.x?.()` stays free.
 *
 * @example
 * ```ts
 * const metrics = guardMetrics(prometheusMetrics({ registry }))
 * metrics.retry?.({ attempt: 2 })
 * ```
 */
export function guardMetrics(sink: MetricsSink): MetricsSink {
  const guarded: Record<string, (arg?: unknown) => void> = {};
  for (const key of metricNames(sink)) {
    const method = (sink as Record<string, unknown>)[key];
    if (typeof method !== 'function') continue;
    // Every sink method takes at most one argument: no rest array on the hot path.
    guarded[key] = (arg?: unknown): void => {
      try {
        method.call(sink, arg);
      } catch {
        // Counting must never cost an event.
      }
    };
  }
  return guarded as MetricsSink;
}

/** Own and prototype method names: a sink may be a class instance. */
function metricNames(sink: MetricsSink): Set<string> {
  const names = new Set<string>();
  for (let o: object | null = sink; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) if (name !== 'constructor') names.add(name);
  }
  return names;
}
