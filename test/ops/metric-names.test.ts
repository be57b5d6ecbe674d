import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, prometheusMetrics } from '../../src/observability/prometheus.js';
import { metricNames, readAlertRules, readDashboard } from './ops-files.js';

const registry = new Registry();
prometheusMetrics({ registry });
const registered = new Set(registry.getMetricsAsArray().map((m) => m.name));

/** `x_bucket` → `x` when `x` is registered: the series a histogram exposes. */
function baseName(name: string): string {
  const base = name.replace(/_(?:bucket|sum|count)$/, '');
  return base !== name && registered.has(base) ? base : name;
}

describe('metric names in ops/', () => {
  it('extracts names from PromQL, ignoring functions, labels, keywords and Grafana variables', () => {
    const expr =
      'histogram_quantile(0.95, sum by (job, le) (rate(a_ms_bucket{job=~"$job",x="y z"}[$__rate_interval]))) > 5 ' +
      'unless on (job) b_total offset 5m and label_values({__name__=~"c_total|d_total"}, job)';
    expect(metricNames(expr).sort()).toEqual(['a_ms_bucket', 'b_total', 'c_total', 'd_total']);
  });

  const rules = readAlertRules();
  it('reads every alert rule with an expression', () => {
    expect(rules.length).toBe(9);
    for (const rule of rules) expect(rule.expr, rule.alert).not.toBe('');
  });

  it.each(rules.map((rule) => [rule.alert, rule.expr]))('alert %s uses registered metrics only', (_name, expr) => {
    const used = metricNames(expr).map(baseName);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(registered, `${name} in ${expr}`).toContain(name);
  });

  const dashboard = readDashboard();
  const exprs = [
    ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
    ...dashboard.templating.list.flatMap((v) =>
      v.type === 'query' ? [(v.query as { query: string }).query ?? String(v.query)] : [],
    ),
  ];
  it.each(exprs)('dashboard query %s uses registered metrics only', (expr) => {
    const used = metricNames(expr).map(baseName);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(registered, `${name} in ${expr}`).toContain(name);
  });

  it('charts every metric the SDK registers', () => {
    const charted = new Set(exprs.flatMap((expr) => metricNames(expr).map(baseName)));
    expect([...charted].sort()).toEqual(Object.values(METRIC_NAMES).sort());
  });
});
