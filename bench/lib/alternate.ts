/**
 * Runs rows in alternation for several rounds so drift on a shared machine hits every row alike.
 *
 * @module
 */
import { type Summary, summarize } from './stats.js';

/** One row: `measure` runs one round and returns its figure (ops/s, req/s ...). */
export interface AlternatingRow {
  readonly name: string;
  measure(round: number): Promise<number> | number;
}

/**
 * Runs every row once per round, rotating the starting row each round, after `warmup` untimed rounds.
 * Returns each row's samples and summary, in the rows' order.
 *
 * @example
 * ```ts
 * const results = await alternate([{ name: 'a', measure: () => 1 }], { rounds: 5 })
 * ```
 */
export async function alternate(
  rows: readonly AlternatingRow[],
  options: {
    rounds: number;
    warmup?: number;
    /** Called before every round, warm-up rounds (negative numbers) included. */
    beforeRound?: (round: number) => Promise<void> | void;
    onRound?: (round: number) => void;
  },
): Promise<Map<string, Summary>> {
  const samples = new Map<string, number[]>(rows.map((row) => [row.name, []]));
  const warmup = options.warmup ?? 1;
  for (let round = -warmup; round < options.rounds; round++) {
    await options.beforeRound?.(round);
    const start = ((round % rows.length) + rows.length) % rows.length;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[(start + i) % rows.length]!;
      const value = await row.measure(round);
      if (round >= 0) samples.get(row.name)!.push(value);
    }
    if (round >= 0) options.onRound?.(round);
  }
  return new Map([...samples].map(([name, values]) => [name, summarize(values)]));
}
