/**
 * The end-of-run table.
 *
 * @module
 */

/**
 * Figures of one run.
 *
 * @example
 * ```ts
 * const { summary } = await runHttpDemo(args, io)
 * console.log(formatSummary(summary))
 * ```
 */
export interface DemoSummary {
  published: number;
  delivered: number;
  firstTry: number;
  attempts: number;
  retries: number;
  duplicates: number;
  deadLettered: number;
  redriven: number;
  /** Redriven events the receiver had already processed (their acknowledgement was lost): absorbed as duplicates. */
  redrivenDuplicates: number;
  stillDeadLettered: number;
  lost: number;
  processedTwice: number;
  latenciesMs: number[];
  faults: Readonly<Record<string, number>>;
  seconds: number;
}

/**
 * The nearest-rank percentile of `values` (0 when empty).
 *
 * @example
 * ```ts
 * percentile([5, 1, 3], 50) // 3
 * ```
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`;

/**
 * Renders the summary as an aligned two-column table.
 *
 * @example
 * ```ts
 * console.log(formatSummary(summary))
 * ```
 */
export function formatSummary(s: DemoSummary): string {
  const faults = Object.entries(s.faults)
    .filter(([, n]) => n > 0)
    .map(([fault, n]) => `${fault} ${n}`)
    .join(', ');
  const rows: [string, string][] = [
    ['events published', String(s.published)],
    ['delivered', `${s.delivered} (${s.firstTry} on the first attempt)`],
    ['attempts', String(s.attempts)],
    ['retries', String(s.retries)],
    ['duplicates absorbed', `${s.duplicates} (retries of events already processed: acknowledged, not run again)`],
    [
      'dead-lettered',
      `${s.deadLettered} (redriven after recovery: ${s.redriven}, still queued: ${s.stillDeadLettered}${
        s.redrivenDuplicates > 0 ? `; ${s.redrivenDuplicates} redriven already processed, absorbed as duplicates` : ''
      })`,
    ],
    ['processed twice', String(s.processedTwice)],
    ['lost', String(s.lost)],
    ['latency p50 / p95', `${ms(percentile(s.latenciesMs, 50))} / ${ms(percentile(s.latenciesMs, 95))}`],
    ['faults injected', faults === '' ? 'none' : faults],
    ['wall time', `${s.seconds.toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const line = `+${'-'.repeat(width + 2)}+${'-'.repeat(Math.max(...rows.map(([, v]) => v.length)) + 2)}+`;
  return [
    line,
    ...rows.map(([label, value]) => `| ${label.padEnd(width)} | ${value.padEnd(line.length - width - 7)} |`),
    line,
  ].join('\n');
}
