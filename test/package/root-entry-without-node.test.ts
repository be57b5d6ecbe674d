// The root entry, ./hono and ./testing load where Node's modules are missing (workerd without nodejs_compat): the
// built files run in a child Node whose loader refuses every builtin (ESM and CJS) and that lacks
// `process.getBuiltinModule` and `Buffer` while they load. test/runtimes/ runs the real runtimes.
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../setup/build.js';

const FIXTURES = join(ROOT, 'test/package/fixtures');

/** Runs a script in a child Node that refuses builtins; asynchronous, so this process's server can answer it. */
function runUnderDenial(script: string, env: Record<string, string> = {}) {
  const args = ['--import', join(FIXTURES, 'deny-builtins.mjs'), script];
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT, timeout: 30_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the built entries without Node builtins', () => {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(202).end('{}'));
  });
  let url = '';

  beforeAll(async () => {
    await ensureBuilt();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  }, 300_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the denial itself works: importing a builtin fails in the child', async () => {
    const result = await runUnderDenial(join(FIXTURES, 'imports-a-builtin.mjs'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('No such module "node:fs"');
  });

  it('loads ., ./hono and ./testing (ESM and CJS), signs, verifies, answers 202 and publishes through fetch', async () => {
    const result = await runUnderDenial(join(FIXTURES, 'load-entries.mjs'), { TARGET_URL: url });
    expect(result.stderr).not.toMatch(/No such module/);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(report).toMatchObject({
      testing: 'function',
      cjsHono: 'function',
      verified: 'msg_1',
      status: 202,
      handled: 1,
      published: 202,
    });
    expect(report.esm).toBe(report.cjs);
    // undici's fetch, not node:http (which the child could not load), carried the event.
    expect(received.at(-1)?.['sec-fetch-mode']).toBe('cors');
    expect(received.at(-1)?.['user-agent']).toMatch(/^teei-event-relay\//);
  });
});
