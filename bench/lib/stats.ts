/**
 * Summary statistics for benchmark samples: median, min, max and percentiles.
 *
 * @module
 */

/** Median, min and max of one row's samples (one sample per round). */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

/**
 * The value at quantile `q` (0..1) of `values`, nearest-rank on the sorted copy.
 *
 * @example
 * ```ts
 * percentile([5, 1, 3], 0.5) // 3
 * ```
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/**
 * Median (mean of the two middle values for an even count), min and max.
 *
 * @example
 * ```ts
 * summarize([3, 1, 2]).median // 2
 * ```
 */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[n - 1] ?? Number.NaN, samples };
}
