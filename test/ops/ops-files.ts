// Reads the rules and the dashboard in ops/ and pulls metric names out of their PromQL, for the ops tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const opsPath = (path: string): string => fileURLToPath(new URL(`../../ops/${path}`, import.meta.url));

const NOT_METRICS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'offset', 'bool', 'inf', 'nan']);

/** Metric names a PromQL expression (or a Grafana `label_values(...)` query) reads. */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/__name__\s*=~?\s*"([^"]*)"/g)) {
    for (const name of (match[1] ?? '').split('|')) names.add(name);
  }
  const bare = expr
    // Grafana's label_values(selector, label): the last argument is a label name.
    .replace(/label_values\((.*),\s*\w+\s*\)/g, '$1')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  for (const match of bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)) {
    const name = match[1] as string;
    if (!NOT_METRICS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

export interface AlertRule {
  alert: string;
  expr: string;
  runbookUrl: string | undefined;
}

/** The alert rules of ops/prometheus/alerts.yml (the subset of YAML that file uses: plain and block scalars). */
export function readAlertRules(): AlertRule[] {
  const lines = readFileSync(opsPath('prometheus/alerts.yml'), 'utf8').split('\n');
  const rules: AlertRule[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const alert = /^\s*- alert:\s*(\S+)/.exec(line);
    if (alert) {
      rules.push({ alert: alert[1] as string, expr: '', runbookUrl: undefined });
      continue;
    }
    const rule = rules.at(-1);
    const expr = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (rule && expr) {
      const indent = (expr[1] as string).length;
      let value = (expr[2] as string).trim();
      if (/^[|>]-?$/.test(value)) {
        const block: string[] = [];
        while (i + 1 < lines.length && /^\s*$|^\s+/.test(lines[i + 1] as string)) {
          const next = lines[i + 1] as string;
          if (next.trim() !== '' && next.length - next.trimStart().length <= indent) break;
          block.push(next.trim());
          i++;
        }
        value = block.join(' ').trim();
      }
      rule.expr = value;
    }
    const runbook = /^\s*runbook_url:\s*"?([^"\s]+)"?/.exec(line);
    if (rule && runbook) rule.runbookUrl = runbook[1];
  }
  return rules;
}

interface GrafanaTarget {
  expr: string;
  datasource: { type: string; uid: string };
}
export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: GrafanaTarget[];
}
export interface GrafanaDashboard {
  schemaVersion: number;
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating: { list: { name: string; type: string; query: unknown; datasource?: unknown }[] };
}

export function readDashboard(): GrafanaDashboard {
  return JSON.parse(readFileSync(opsPath('grafana/event-relay-dashboard.json'), 'utf8')) as GrafanaDashboard;
}
