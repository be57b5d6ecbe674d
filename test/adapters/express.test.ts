import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expressReceiver } from '../../src/adapters/express.js';
import { createReceiver } from '../../src/index.js';
import type { LogRecord } from '../../src/observability/logger.js';
import { signedRequest } from '../../src/testing/index.js';
import { ensureBuilt, ROOT } from '../setup/build.js';
import { send } from './http-client.js';

// 32 bytes or more: a test counts log records, and a shorter secret adds a warning.
const secret = 'express-secret-0123456789abcdef-0123';
let server: Server | undefined;

async function listen(app: (req: never, res: never) => void): Promise<string> {
  server = createServer(app as never);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sends one request with the request line written by hand over a fresh socket; resolves with the status code. */
function rawStatus(url: string, requestLine: string, headers: Record<string, string>, body: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const head = Object.entries({
    ...headers,
    host: `${hostname}:${port}`,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`${requestLine}\r\n${head}\r\n\r\n${body}`));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
  });
}

afterEach(async () => {
  vi.restoreAllMocks();
  const running = server;
  server = undefined;
  if (running === undefined) return;
  running.closeAllConnections();
  await new Promise((r) => running.close(r));
});

/**
 * What these tests use of an Express module, so both majors run the same tests without a cast: each module is
 * checked against it where `versions` is written.
 */
interface ExpressModule {
  (): ExpressApp;
  json(options?: { verify?(req: IncomingMessage, res: ServerResponse, buf: Buffer): void }): unknown;
  raw(options: { type: string }): unknown;
}
interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  use(...handlers: unknown[]): unknown;
  post(
    path: string,
    handler: (req: { body: unknown }, res: { json(body: unknown): unknown; send(body: string): unknown }) => void,
  ): unknown;
}

const versions: (readonly [string, ExpressModule])[] = [
  ['express 4', express4],
  ['express 5', express5],
];

describe('the Express majors under test', () => {
  it('express4 is Express 4 and express is Express 5, and the adapter loads neither', {
    timeout: 300_000,
  }, async () => {
    const require = createRequire(import.meta.url);
    expect(require('express4/package.json').version).toMatch(/^4\./);
    expect(require('express/package.json').version).toMatch(/^5\./);
    // The built adapter runs on the user's Express: it must not resolve `express` from this package.
    await ensureBuilt();
    for (const file of ['dist/adapters/express.js', 'dist/adapters/express.cjs']) {
      const code = readFileSync(join(ROOT, file), 'utf8');
      expect(code).toContain('expressReceiver');
      expect(code).not.toMatch(/(?:from|require\()\s*["']express["']/);
    }
  });
});

describe.each(versions)('expressReceiver on %s', (_name, express) => {
  it('answers 500 at once and logs one ConfigError when express.json() ran first', async () => {
    const records: { level: string; obj: LogRecord; msg?: string }[] = [];
    const log = (level: string) => (obj: LogRecord, msg?: string) =>
      void records.push({ level, obj, ...(msg ? { msg } : {}) });
    const receiver = createReceiver({
      secret,
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    });
    const errors: Error[] = [];
    receiver.onError((e) => void errors.push(e));
    const app = express();
    app.use(express.json());
    app.use(expressReceiver(receiver));
    const url = await listen(app);
    const res = await send(url, await signedRequest({ secret }));
    expect(res.status).toBe(500);
    expect(res.json.error).toBe('internal_error');
    expect(records).toHaveLength(1);
    expect(records[0]?.level).toBe('error');
    expect(records[0]?.obj.err).toMatchObject({ name: 'ConfigError' });
    expect(String((records[0]?.obj.err as { message?: string } | undefined)?.message)).toContain(
      'Mount expressReceiver before express.json(), or use',
    );
    expect(errors.map((e) => e.name)).toEqual(['ConfigError']);
    expect(JSON.stringify(records)).not.toContain(secret);
  });

  it("verifies the Buffer left by express.raw({ type: 'application/json' })", async () => {
    const receiver = createReceiver({ secret });
    const app = express();
    app.use(express.raw({ type: 'application/json' }));
    app.use(expressReceiver(receiver));
    const url = await listen(app);
    expect((await send(url, await signedRequest({ secret }))).status).toBe(202);
    const forged = await signedRequest({
      secret,
      mutate: (r) => {
        r.body = r.body.replace('de', 'fr');
      },
    });
    expect((await send(url, forged)).status).toBe(401);
  });

  it('verifies a req.rawBody Buffer kept by another middleware, beside a parsed body', async () => {
    const receiver = createReceiver({ secret });
    const app = express();
    app.use(
      express.json({
        verify: (req, _res, buf) => {
          (req as unknown as { rawBody: Buffer }).rawBody = Buffer.from(buf);
        },
      }),
    );
    app.use(expressReceiver(receiver));
    const url = await listen(app);
    expect((await send(url, await signedRequest({ secret }))).status).toBe(202);
  });

  it('mounts under a prefix with custom paths, and leaves other routes alone', async () => {
    const receiver = createReceiver({ secret });
    const app = express();
    app.use('/api', expressReceiver(receiver, { path: '/events', healthPath: '/events/health' }));
    app.use(express.json());
    app.post('/echo', (req, res) => void res.json(req.body));
    const url = await listen(app);
    expect((await send(url, { ...(await signedRequest({ secret })), path: '/api/events' })).status).toBe(202);
    expect((await send(url, { method: 'GET', path: '/api/events/health' })).json.accepted).toBe(1);
    const echo = await send(url, { path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(echo.json).toEqual({ a: 1 });
  });

  it('routes an absolute-form request target (POST http://host/path, as forward proxies send) like a path', async () => {
    const receiver = createReceiver({ secret });
    const app = express();
    app.use(expressReceiver(receiver));
    const url = await listen(app);
    const { headers, body } = await signedRequest({ secret });
    const status = await rawStatus(url, `POST ${url}/webhooks/buddy-events HTTP/1.1`, headers, body);
    expect(status).toBe(202);
    // Elsewhere on that host: not ours, Express's own 404.
    expect(await rawStatus(url, `POST ${url}/elsewhere HTTP/1.1`, headers, body)).toBe(404);
  });
});

describe.each(versions)('expressReceiver under a prefix on %s', (_name, express) => {
  it("app.use('/webhooks', expressReceiver(receiver)): answers 500 and logs, once, a ConfigError that says the fix", async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const receiver = createReceiver({ secret });
    const heard: Error[] = [];
    receiver.onError((e) => void heard.push(e));
    const app = express();
    app.use('/webhooks', expressReceiver(receiver));
    app.post('/webhooks/other', (_req, res) => void res.send('other'));
    const url = await listen(app);
    for (let i = 0; i < 3; i++) {
      const res = await send(url, await signedRequest({ secret }));
      // 500: the sender retries, so nothing is lost while the mount is fixed.
      expect(res.status).toBe(500);
      expect(res.json.error).toBe('internal_error');
    }
    expect(heard).toHaveLength(3);
    expect(heard[0]?.name).toBe('ConfigError');
    expect(heard[0]?.message).toBe(
      'expressReceiver is mounted under "/webhooks" and its path is "/webhooks/buddy-events", so it serves ' +
        '"/webhooks/webhooks/buddy-events" and the request to "/webhooks/buddy-events" missed it. Mount it at the ' +
        'root, app.use(expressReceiver(receiver)), or keep the prefix and pass the rest of the path: ' +
        'app.use("/webhooks", expressReceiver(receiver, { path: "/buddy-events" }))',
    );
    // On stderr once, not once per request.
    const lines = error.mock.calls.filter(([line]) => String(line).includes('misconfigured'));
    expect(lines).toHaveLength(1);
    expect(String((lines[0]?.[1] as Error | undefined)?.message)).toContain('app.use("/webhooks"');
    // The router hands other paths under the prefix on.
    expect(
      (await send(url, { path: '/webhooks/other', headers: { 'content-type': 'text/plain' }, body: 'x' })).text,
    ).toBe('other');
    expect((await send(url, { path: '/webhooks/elsewhere', body: 'x' })).status).toBe(404);
  });

  it('the fix the message gives works', async () => {
    const receiver = createReceiver({ secret, logger: false });
    const app = express();
    app.use('/webhooks', expressReceiver(receiver, { path: '/buddy-events' }));
    const url = await listen(app);
    expect((await send(url, await signedRequest({ secret }))).status).toBe(202);
  });
});

describe('expressReceiver: misuse', () => {
  it('throws TypeError on a missing receiver or a bad path', () => {
    expect(() => expressReceiver(undefined as never)).toThrow(TypeError);
    expect(() => expressReceiver(createReceiver({ secret }), { path: 'events' })).toThrow(/path/);
  });
});
