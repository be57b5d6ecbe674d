/**
 * The shape every benchmark returns: tables for BENCHMARKS.md and goals checked against ratios of the same run.
 *
 * @module
 */

/** A rendered table: a header row and string cells. */
export interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Printed under the table. */
  readonly notes?: readonly string[];
}

/** One goal from the issue, checked against a figure of this run. `met: null` means not measured (skipped). */
export interface Goal {
  readonly goal: string;
  readonly figure: string;
  readonly met: boolean | null;
}

/** What one benchmark hands back to the runner. */
export interface BenchResult {
  readonly name: string;
  readonly title: string;
  /** ISO date of the run. */
  readonly date: string;
  /** The exact command line that produced it. */
  readonly command: string;
  readonly tables: readonly Table[];
  readonly goals: readonly Goal[];
  /** Method notes, skips, what limits a missed goal. */
  readonly notes: readonly string[];
  /** Raw numbers, kept in bench/results.json. */
  readonly data?: unknown;
}

/** Options every benchmark receives. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly command: string;
  /** Progress lines go here (the console). */
  readonly log: (line: string) => void;
}

/** A benchmark module. */
export interface Benchmark {
  readonly name: string;
  readonly title: string;
  run(options: BenchOptions): Promise<BenchResult>;
}
