/**
 * Number formatting shared by the console output and BENCHMARKS.md.
 *
 * @module
 */

/**
 * A rate or count with thousands separators and a sensible number of digits.
 *
 * @example
 * ```ts
 * fmt(12345.6) // '12,346'
 * ```
 */
export function fmt(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/**
 * A ratio as a percentage.
 *
 * @example
 * ```ts
 * pct(0.912) // '91 %'
 * ```
 */
export function pct(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  return `${fmt(ratio * 100, ratio >= 0.1 ? 0 : 1)} %`;
}

/**
 * Bytes in B, KiB or MiB.
 *
 * @example
 * ```ts
 * bytes(2048) // '2.0 KiB'
 * ```
 */
export function bytes(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) < 1024) return `${fmt(value, 0)} B`;
  if (Math.abs(value) < 1024 * 1024) return `${fmt(value / 1024, 1)} KiB`;
  return `${fmt(value / 1024 / 1024, 1)} MiB`;
}
