/**
 * One row of the HTTP receiving benchmarks: a server child answering on `port`, loaded by the autocannon child for
 * a timed run; it records req/s and the server's CPU per request. `receiving` and `receiving-stores` share it.
 *
 * @module
 */
import type { Child } from '../lib/child.js';
import type { LoadResult } from './load.js';

/** A timed load run with the server CPU it cost per request. */
export type Run = LoadResult & { readonly cpuMicros: number };

export interface LoadRowOptions {
  /** The load generator child (bench/receiving/load.ts). */
  load: Child;
  /** Where each timed round's run is recorded, by row name (the warm-up round is not). */
  runs: Map<string, Run[]>;
  path: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

/** The row `name` for `alternate()`: its `measure` returns req/s. */
export function loadRow(name: string, server: { child: Child; port: number }, options: LoadRowOptions) {
  const { load, runs } = options;
  return {
    name,
    async measure(round: number): Promise<number> {
      const cpuBefore = await server.child.call<number>({ op: 'cpu' });
      const result = await load.call<LoadResult>({
        op: 'run',
        target: name,
        url: `http://127.0.0.1:${server.port}${options.path}`,
        connections: options.connections,
        durationSeconds: round < 0 ? options.warmupSeconds : options.durationSeconds,
      });
      const cpuMicros = ((await server.child.call<number>({ op: 'cpu' })) - cpuBefore) / Math.max(1, result.total);
      if (round >= 0) runs.set(name, [...(runs.get(name) ?? []), { ...result, cpuMicros }]);
      return result.requestsPerSecond;
    },
  };
}
