/**
 * `npm run test:runtimes`: the package on Node 20, 22 and 24, Bun, Deno and workerd (with and without
 * nodejs_compat), each a real binary from the npm registry serving the same app over HTTP on 127.0.0.1. Prints a
 * table and exits 1 when any runtime is missing, fails to start or fails a check: never a skip.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Package from '@teei/event-relay';
import { freePort } from '../helpers/free-port.js';
import { ensureBuilt, ROOT } from '../setup/build.js';
import { bundleApps } from './bundle.js';
import { CHECKS, type CheckReport, runChecks } from './checks.js';
import { startChild } from './child.js';
import { hostReceiver } from './host-receiver.js';
import { runtimes } from './runtimes.js';

/** A runtime that has not answered `GET /info` by then has failed to start. */
const START_TIMEOUT_MS = 30_000;
/** The whole run's bound: past it, whatever still runs is killed and the run fails. */
const RUN_TIMEOUT_MS = 5 * 60_000;

interface Row {
  name: string;
  version: string;
  hmac: string;
  client: string;
  results: Record<string, string>;
  ms: number;
}

async function main(): Promise<number> {
  const started = Date.now();
  await ensureBuilt();
  const workDir = join(ROOT, '.tmp/runtimes');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const bundles = await bundleApps(ROOT, workDir);
  const lib = (await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)) as typeof Package;
  const secret = `runtimes-${crypto.randomUUID()}`;
  const host = await hostReceiver(secret);
  const rows: Row[] = [];
  try {
    for (const runtime of runtimes(join(ROOT, 'test/runtimes/node_modules'))) {
      const begin = Date.now();
      const row: Row = { name: runtime.name, version: '?', hmac: '?', client: '?', results: {}, ms: 0 };
      rows.push(row);
      if (!existsSync(runtime.binary)) {
        row.results.start = `missing ${runtime.binary}: run npm ci --prefix test/runtimes`;
        continue;
      }
      row.version = execFileSync(runtime.binary, runtime.versionArgs, { encoding: 'utf8', timeout: 10_000 })
        .trim()
        .split('\n')[0]!
        .replace(/^(v|deno |workerd )/, '')
        .split(' ')[0]!;
      const port = await freePort();
      const { args, env } = runtime.start({ port, secret, bundles, workDir });
      const child = startChild(runtime.binary, args, { env, cwd: workDir });
      const base = `http://127.0.0.1:${port}`;
      try {
        await child.ready(`${base}/info`, START_TIMEOUT_MS);
        const report: CheckReport = await runChecks(lib, base, secret, host);
        row.results = report.results;
        row.hmac = report.info?.hmac ?? '?';
        row.client = report.client ?? '?';
        if (report.client !== undefined && report.client !== runtime.client) {
          row.results.publish = `httpTransport sent through ${report.client}, expected ${runtime.client}`;
        }
      } catch (error) {
        row.results.start = error instanceof Error ? error.message : String(error);
      } finally {
        await child.stop();
        row.ms = Date.now() - begin;
      }
      if (Object.values(row.results).some((result) => result !== 'ok')) {
        console.error(`--- ${runtime.name} output ---\n${child.output().trim()}\n`);
      }
    }
  } finally {
    await host.close();
  }
  return report(rows, Date.now() - started);
}

function report(rows: readonly Row[], totalMs: number): number {
  const header = ['runtime', 'version', 'hmac', 'http client', ...CHECKS, 'ms'];
  const cells = rows.map((row) => [
    row.name,
    row.version,
    row.hmac,
    row.client,
    ...CHECKS.map((check) => (row.results[check] === 'ok' ? 'ok' : 'FAIL')),
    String(row.ms),
  ]);
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index]!.length)));
  const line = (values: readonly string[]) => values.map((value, index) => value.padEnd(widths[index]!)).join('  ');
  console.log(line(header));
  for (const values of cells) console.log(line(values));
  let failed = 0;
  for (const row of rows) {
    const problems = Object.entries(row.results).filter(([, result]) => result !== 'ok');
    if (problems.length > 0 || Object.keys(row.results).length === 0) failed += 1;
    for (const [check, result] of problems) console.log(`  ${row.name} · ${check}: ${result}`);
  }
  console.log(`${rows.length - failed} passed, ${failed} failed (runtimes, ${(totalMs / 1000).toFixed(1)} s)`);
  return failed === 0 ? 0 : 1;
}

const watchdog = setTimeout(() => {
  console.error(`test:runtimes: still running after ${RUN_TIMEOUT_MS / 1000} s; stopping`);
  process.exit(1);
}, RUN_TIMEOUT_MS);
watchdog.unref();
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
