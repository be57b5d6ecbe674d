/**
 * Builds the standard benchmark table: median, min–max and the ratio to the reference row.
 *
 * @module
 */
import { fmt, pct } from './format.js';
import type { Summary } from './stats.js';
import type { Table } from './types.js';

/**
 * One table from alternating-round summaries; the reference row is marked and shows 100 %.
 *
 * @example
 * ```ts
 * ratioTable('Sign 1 KB', 'ops/s', summaries, 'node:crypto HMAC')
 * ```
 */
export function ratioTable(
  title: string,
  unit: string,
  summaries: ReadonlyMap<string, Summary>,
  reference: string,
  notes?: readonly string[],
): Table {
  const ref = summaries.get(reference)?.median ?? Number.NaN;
  const rows = [...summaries].map(([name, s]) => [
    name === reference ? `${name} (reference)` : name,
    fmt(s.median),
    `${fmt(s.min)} – ${fmt(s.max)}`,
    pct(s.median / ref),
  ]);
  return { title, header: ['row', `median ${unit}`, 'min – max', `vs reference`], rows, ...(notes ? { notes } : {}) };
}

/**
 * The median ratio of `name` to `reference` (NaN when either is missing).
 *
 * @example
 * ```ts
 * ratioOf(summaries, 'teei-v1', 'node:crypto HMAC') // 0.93
 * ```
 */
export function ratioOf(summaries: ReadonlyMap<string, Summary>, name: string, reference: string): number {
  return (summaries.get(name)?.median ?? Number.NaN) / (summaries.get(reference)?.median ?? Number.NaN);
}
