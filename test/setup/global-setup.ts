// Probes the services once for the whole run: NATS, Postgres and Redis. Suites that need one call its
// `…Available()` helper from test/helpers/, which reads the verdict written here. Outside CI an unreachable service
// skips those suites with a printed notice; under CI (any truthy `CI`) it fails the run, so a missing service can
// never pass as green.
import { connect } from 'node:net';
import type { TestProject } from 'vitest/node';
import { isCI } from '../helpers/ci.js';
import { ensureBuilt, runNeedsDist } from './build.js';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Opens a TCP connection, optionally writes `hello`, and checks the first bytes the server answers. */
function probe(
  url: string,
  defaultPort: number,
  timeoutMs: number,
  greeting: RegExp,
  hello?: Buffer,
): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^[a-z]+:/, 'http:'));
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => {
      if (hello) socket.write(hello);
    });
    socket.once('data', (chunk) => done(greeting.test(chunk.toString('latin1'))));
    socket.once('error', () => done(false));
  });
}

// Postgres answers an SSLRequest with one byte: 'S' or 'N'. Any answer means a Postgres server listens.
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

const SERVICES = [
  {
    name: 'NATS',
    env: 'NATS_URL',
    flag: 'TEEI_NATS_AVAILABLE',
    url: DEFAULT_NATS_URL,
    check: (url: string) => probe(url, 4222, 2000, /^INFO/),
  },
  {
    name: 'Postgres',
    env: 'PG_URL',
    flag: 'TEEI_PG_AVAILABLE',
    url: DEFAULT_PG_URL,
    check: (url: string) => probe(url, 5432, 2000, /^[SN]/, SSL_REQUEST),
  },
  {
    name: 'Redis',
    env: 'REDIS_URL',
    flag: 'TEEI_REDIS_AVAILABLE',
    url: DEFAULT_REDIS_URL,
    check: (url: string) => probe(url, 6379, 2000, /^\+PONG/, Buffer.from('PING\r\n')),
  },
] as const;

/** Builds dist/ once, before the test files that need it start, when the run includes one and dist/ is stale. */
async function buildIfNeeded(project: TestProject | undefined): Promise<void> {
  // vitest keeps the CLI's file filters here (not a documented field: when it is absent the whole suite is assumed).
  const filters = (project?.vitest as { filenamePattern?: string[] } | undefined)?.filenamePattern;
  if (!runNeedsDist(filters)) return;
  const { reason, durationMs } = await ensureBuilt();
  if (reason !== undefined) console.log(`\n[setup] built dist/ (${reason}) in ${(durationMs / 1000).toFixed(1)} s\n`);
}

export default async function setup(project?: TestProject): Promise<void> {
  await buildIfNeeded(project);
  const missing: string[] = [];
  await Promise.all(
    SERVICES.map(async (service) => {
      const url = process.env[service.env] ?? service.url;
      const up = await service.check(url);
      process.env[service.flag] = up ? '1' : '0';
      process.env[service.env] = url;
      if (!up) missing.push(`${service.name} at ${url} (set ${service.env} to point elsewhere)`);
    }),
  );
  if (missing.length === 0) return;
  if (isCI()) {
    throw new Error(
      `not reachable: ${missing.join('; ')}. Under CI the suites that need them fail instead of skipping`,
    );
  }
  for (const line of missing) console.warn(`\n[notice] not reachable: ${line}: the suites that need it are skipped\n`);
}
