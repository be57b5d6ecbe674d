/**
 * The machine a run happened on, for the header of BENCHMARKS.md.
 *
 * @module
 */
import os from 'node:os';

/** CPU model, cores, RAM, OS, Node version. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly os: string;
  readonly node: string;
  readonly loadAverage: readonly number[];
}

/**
 * Reads the machine description from `node:os`.
 *
 * @example
 * ```ts
 * console.log(machineInfo().cpu)
 * ```
 */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
