/**
 * `npx tsx bench/tools/profile-receiver.ts <node|express|fastify|hono> <bare|sdk> [seconds] [dir]`: one receiving
 * server under `node --cpu-prof` and autocannon -c 50 for `seconds`; the profile lands in `dir` (default
 * /tmp/bench-prof/<framework>-<variant>). Read it with `bench/tools/profile-top.ts`.
 *
 * @module
 */
import { forkChild } from '../lib/child.js';
import type { LoadResult } from '../receiving/load.js';

const [framework = 'node', variant = 'sdk', seconds = '10', dir = `/tmp/bench-prof/${framework}-${variant}`] =
  process.argv.slice(2);
const SECRET = 'bench-receiver-secret-0123456789';
const server = forkChild(new URL('../receiving/server.ts', import.meta.url), {
  execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
});
const load = forkChild(new URL('../receiving/load.ts', import.meta.url));
try {
  const { port } = await server.call<{ port: number }>({ op: 'start', framework, variant, secret: SECRET });
  await load.call({ op: 'pool', size: 200_000, secret: SECRET });
  const cpu0 = await server.call<number>({ op: 'cpu' });
  const result = await load.call<LoadResult>({
    op: 'run',
    target: 'profile',
    url: `http://127.0.0.1:${port}/webhooks/buddy-events`,
    connections: 50,
    durationSeconds: Number(seconds),
  });
  const cpuMicros = ((await server.call<number>({ op: 'cpu' })) - cpu0) / Math.max(1, result.total);
  console.log(
    `${framework} ${variant}: ${result.requestsPerSecond.toFixed(0)} req/s, server CPU ${cpuMicros.toFixed(0)} µs/request`,
    result.statusCodes,
  );
  console.log(`profile in ${dir}`);
} finally {
  await load.stop();
  await server.stop();
}
