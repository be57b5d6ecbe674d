/**
 * `npm run bench [-- --quick] [-- --only <name>] [-- --no-write]`: runs the benchmarks in sequence, prints each
 * table, and writes BENCHMARKS.md (plus the raw figures in bench/results.json). `--help` prints the flags.
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseFlags } from 'node:util';
import { durabilityBenchmark } from './durability.js';
import { durabilityPostgresBenchmark } from './durability-postgres.js';
import { latencyBenchmark } from './latency.js';
import { machineInfo } from './lib/machine.js';
import { renderReport, renderTable, type StoredResult } from './lib/report.js';
import type { Benchmark } from './lib/types.js';
import { natsBenchmark } from './nats.js';
import { publishingBenchmark } from './publishing.js';
import { receivingBenchmark } from './receiving.js';
import { receivingStoresBenchmark } from './receiving-stores.js';
import { signaturesBenchmark } from './signatures.js';

const BENCHMARKS: readonly Benchmark[] = [
  signaturesBenchmark,
  receivingBenchmark,
  receivingStoresBenchmark,
  publishingBenchmark,
  natsBenchmark,
  latencyBenchmark,
  durabilityBenchmark,
  durabilityPostgresBenchmark,
];

const ROOT = new URL('../', import.meta.url);
const RESULTS = fileURLToPath(new URL('bench/results.json', ROOT));
const REPORT = fileURLToPath(new URL('BENCHMARKS.md', ROOT));

const USAGE = `Usage: npm run bench -- [--quick] [--only <name>] [--no-write]

Runs the benchmarks one after another, prints each table, and writes BENCHMARKS.md and bench/results.json.
Goals are ratios against a baseline measured in the same run. Run it on a quiet machine.

  --quick          short runs: a smoke check, the figures are rough
  --only <name>    one benchmark: ${BENCHMARKS.map((b) => b.name).join(', ')}
  --no-write       print only; leave BENCHMARKS.md and bench/results.json as they are
  -h, --help       print this help`;

/** The flags, or the usage: `--help` exits 0, a bad flag exits 2. */
function parseArgs(argv: readonly string[]): { quick: boolean; only?: string; write: boolean } {
  let values: { quick?: boolean; only?: string; 'no-write'?: boolean; help?: boolean };
  try {
    ({ values } = parseFlags({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        'no-write': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message.split('\n')[0]}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const { only } = values;
  if (only !== undefined && !BENCHMARKS.some((b) => b.name === only)) {
    console.error(`--only expects one of ${BENCHMARKS.map((b) => b.name).join(', ')}; got ${only}\n\n${USAGE}`);
    process.exit(2);
  }
  return { quick: values.quick === true, write: values['no-write'] !== true, ...(only ? { only } : {}) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rest = process.argv.slice(2).join(' ');
  const command = `npm run bench${rest ? ` -- ${rest}` : ''}`;
  const machine = machineInfo();
  console.log(`# ${command}\n${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}\n`);
  const stored: StoredResult[] =
    existsSync(RESULTS) && args.only ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as StoredResult[]) : [];
  const started = Date.now();
  for (const bench of BENCHMARKS) {
    if (args.only && bench.name !== args.only) continue;
    const t0 = Date.now();
    const date = new Date(t0).toISOString();
    const machineAtStart = machineInfo();
    const result = await bench.run({ quick: args.quick, command, log: (line) => console.log(`  … ${line}`) });
    console.log(`\n## ${result.title} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    for (const table of result.tables) console.log(`${renderTable(table)}\n`);
    for (const goal of result.goals) {
      console.log(`${goal.met === null ? 'SKIP' : goal.met ? 'MET ' : 'MISS'}  ${goal.goal}: ${goal.figure}`);
    }
    for (const note of result.notes) console.log(`note: ${note}`);
    const entry: StoredResult = { ...result, date, machine: machineAtStart };
    const at = stored.findIndex((r) => r.name === result.name);
    if (at >= 0) stored[at] = entry;
    else stored.push(entry);
  }
  stored.sort(
    (a, b) => BENCHMARKS.findIndex((x) => x.name === a.name) - BENCHMARKS.findIndex((x) => x.name === b.name),
  );
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (args.write) {
    writeFileSync(RESULTS, `${JSON.stringify(stored, null, 2)}\n`);
    writeFileSync(REPORT, renderReport(stored));
    console.log(`wrote ${REPORT} and ${RESULTS}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
