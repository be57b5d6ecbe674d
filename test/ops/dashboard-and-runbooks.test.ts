import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { opsPath, readAlertRules, readDashboard } from './ops-files.js';

describe('Grafana dashboard', () => {
  const dashboard = readDashboard();
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('imports as is: a schema version, a uid, and a Prometheus data source variable', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard).not.toHaveProperty('__inputs');
    const datasource = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
  });

  it('queries through the data source variable only', () => {
    for (const panel of panels) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template literal
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets ?? []) expect(target.datasource).toEqual(panel.datasource);
    }
  });

  it('lays panels out on the 24-column grid with unique ids', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { gridPos, title } of dashboard.panels) expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
  });

  it('shows publish latency p50/p95/p99 and processing lag from histogram buckets', () => {
    const exprs = (title: string) => panels.find((panel) => panel.title === title)?.targets?.map((t) => t.expr) ?? [];
    for (const [title, metric] of [
      ['Publish latency', 'buddy_webhook_publish_duration_ms_bucket'],
      ['Event processing lag', 'csr_event_processing_lag_ms_bucket'],
    ] as const) {
      const quantiles = exprs(title).map((expr) =>
        /^histogram_quantile\((0\.\d+), sum by \(le\) \(rate\((\w+)\{/.exec(expr),
      );
      expect(quantiles.map((m) => m?.[1])).toEqual(['0.5', '0.95', '0.99']);
      for (const m of quantiles) expect(m?.[2]).toBe(metric);
    }
  });
});

describe('runbooks', () => {
  it('every alert links to a runbook that exists in ops/runbooks', () => {
    for (const rule of readAlertRules()) {
      const file = /\/ops\/runbooks\/([\w-]+\.md)$/.exec(rule.runbookUrl ?? '')?.[1];
      expect(file, rule.alert).toBeDefined();
      expect(existsSync(opsPath(`runbooks/${file}`)), `${rule.alert} → ${file}`).toBe(true);
    }
  });

  it.each(['webhook-endpoint-down.md', 'dead-letter-queue.md', 'signature-failures.md', 'events-stuck-in-outbox.md'])(
    '%s names the alerts that lead to it',
    (file) => {
      const text = readFileSync(opsPath(`runbooks/${file}`), 'utf8');
      const alerts = readAlertRules().filter((rule) => rule.runbookUrl?.endsWith(`/${file}`));
      expect(alerts.length).toBeGreaterThan(0);
      for (const rule of alerts) expect(text, rule.alert).toContain(rule.alert);
    },
  );
});
