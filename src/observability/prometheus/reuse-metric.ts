/**
 * Get-or-create for prom-client metrics, so `prometheusMetrics()` can run twice on one registry (hot reload, tests,
 * a publisher and a receiver in one process) without prom-client's "already registered" error.
 *
 * @module
 */
import type { Registry, RegistryContentType } from 'prom-client';

/**
 * Returns the metric already registered under `name`, or `create()`s it. A metric of that name that lacks `method`
 * or has other labels is a different metric: a `TypeError` says so rather than failing later on the hot path.
 *
 * @throws {TypeError} when `name` is taken by an incompatible metric.
 * @example
 * ```ts
 * const total = reuseMetric(registry, 'x_total', 'inc', ['status'], () => new Counter({ ... }))
 * ```
 */
export function reuseMetric<M extends object>(
  registry: Registry<RegistryContentType>,
  name: string,
  method: 'inc' | 'observe' | 'set',
  labelNames: readonly string[],
  create: () => M,
): M {
  const existing = registry.getSingleMetric(name) as (object & { labelNames?: readonly string[] }) | undefined;
  if (existing === undefined) return create();
  const sameLabels =
    [...(existing.labelNames ?? [])].sort().join(',') === [...labelNames].sort().join(',') &&
    typeof (existing as Record<string, unknown>)[method] === 'function';
  if (!sameLabels) {
    throw new TypeError(
      `prometheusMetrics: the registry already holds a metric named ${name} of another type or with other labels ` +
        `than {${labelNames.join(',')}}; pass prometheusMetrics({ registry }) a registry of its own.`,
    );
  }
  return existing as M;
}
