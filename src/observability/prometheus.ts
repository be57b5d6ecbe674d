/**
 * `@teei/event-relay/prometheus`: the Prometheus metrics sink. The only entry that imports `prom-client`
 * (an optional peer dependency, ^15).
 *
 * @module
 */
export { DEFAULT_BUCKETS, METRIC_NAMES, type MetricName } from './prometheus/metric-names.js';
export {
  type PrometheusBuckets,
  type PrometheusMetrics,
  type PrometheusMetricsOptions,
  prometheusMetrics,
} from './prometheus/prometheus-metrics.js';
