// httpTransport against real node:http / node:net servers on 127.0.0.1.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEnvelope,
  httpTransport,
  type TransportMessage,
  type TransportResult,
  VERSION,
  verify,
} from '../../src/index.js';

const SECRET = 'transport-secret-123';
const DATA = { matchId: '8f14e45f-ceea-4e7a-9d1b-2c8f6a3b5d71' };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  remotePort: number | undefined;
}

async function httpServer(
  reply: (received: Received, index: number) => { status: number; headers?: Record<string, string> },
) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort,
      };
      received.push(entry);
      const { status, headers } = reply(entry, received.length - 1);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ error: status >= 400 ? 'invalid_data' : undefined, message: 'details we do not copy' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`, received };
}

/** A TCP server that answers every connection with the given raw bytes, then closes. */
async function rawServer(bytes: string) {
  const server: NetServer = createNetServer((socket) => {
    socket.once('data', () => {
      socket.end(bytes);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

const message = (): TransportMessage => {
  const envelope = createEnvelope('buddy.match.created', DATA);
  return { envelope, deliveryId: envelope.metadata.id };
};
const send = (
  transport: ReturnType<typeof httpTransport>,
  m: TransportMessage,
  attempt = 1,
): Promise<TransportResult> => transport.send(m, { attempt, signal: new AbortController().signal });

describe('httpTransport', () => {
  it('POSTs the compact JSON body with its headers, signed so the receiver can verify it', async () => {
    const server = await httpServer(() => ({ status: 202 }));
    const transport = httpTransport({ url: server.url, secret: SECRET, headers: { 'X-Tenant': 'buddy' } });
    closers.push(() => transport.close!());
    const m = message();
    expect(await send(transport, m)).toEqual({ ok: true, status: 202 });
    const [req] = server.received;
    expect(req!.body).toBe(JSON.stringify(m.envelope));
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toBe(`teei-event-relay/${VERSION}`);
    expect(req!.headers['x-tenant']).toBe('buddy');
    expect(req!.headers['x-webhook-id']).toBe(m.deliveryId);
    await expect(verify({ secret: SECRET, headers: req!.headers, body: req!.body })).resolves.toMatchObject({
      id: m.deliveryId,
    });
  });

  it('reuses one keep-alive socket across sequential requests', async () => {
    const server = await httpServer(() => ({ status: 200 }));
    const transport = httpTransport({ url: server.url, secret: SECRET });
    closers.push(() => transport.close!());
    for (let i = 0; i < 5; i++) expect((await send(transport, message())).ok).toBe(true);
    expect(new Set(server.received.map((r) => r.remotePort)).size).toBe(1);
  });

  it('buddy-connector sends the flat shape with its own headers', async () => {
    const server = await httpServer(() => ({ status: 200 }));
    const transport = httpTransport({ url: server.url, secret: SECRET, scheme: 'buddy-connector' });
    closers.push(() => transport.close!());
    const m = message();
    await send(transport, m);
    const [req] = server.received;
    expect(JSON.parse(req!.body)).toMatchObject({
      id: m.envelope.metadata.id,
      type: 'buddy.match.created',
      data: DATA,
    });
    expect(req!.headers['x-delivery-id']).toBe(m.deliveryId);
    expect(req!.headers['x-buddy-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    await expect(
      verify({ scheme: 'buddy-connector', secret: SECRET, headers: req!.headers, body: req!.body }),
    ).resolves.toBeDefined();
  });

  it('classifies answers: retryable 408/425/429/5xx with Retry-After, permanent otherwise, 410 as endpoint_gone', async () => {
    const statuses = [408, 425, 429, 500, 503, 400, 410, 422, 302];
    const server = await httpServer((_, i) => ({
      status: statuses[i]!,
      headers: statuses[i] === 302 ? { location: 'http://127.0.0.1:1/' } : { 'retry-after': '2' },
    }));
    const transport = httpTransport({ url: server.url, secret: SECRET });
    closers.push(() => transport.close!());
    const results: TransportResult[] = [];
    for (const _ of statuses) results.push(await send(transport, message()));
    expect(results.map((r) => (r.ok ? 'ok' : r.retryable))).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(results.map((r) => (r.ok ? undefined : r.retryAfterMs))).toEqual([
      2000,
      2000,
      2000,
      2000,
      2000,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const codes = results.map((r) => (r.ok ? '' : (r.error as { code?: string }).code));
    expect(codes).toEqual([
      'http_408',
      'http_425',
      'http_429',
      'http_500',
      'http_503',
      'http_400',
      'endpoint_gone',
      'http_422',
      'http_302',
    ]);
    // The receiver's error code is kept; its free text is not.
    const bad = results[5] as Extract<TransportResult, { ok: false }>;
    expect(bad.error.message).toContain('invalid_data');
    expect(bad.error.message).not.toContain('details we do not copy');
    expect(bad.error.message).not.toContain('x=1');
    expect(server.received).toHaveLength(statuses.length);
  });

  it.each([
    ['a garbage status line', 'HTTP/1.1 abc\r\n\r\n'],
    ['a connection closed mid-headers', 'HTTP/1.1 200 OK\r\nContent-Le'],
    ['nothing at all', ''],
  ])('a malformed answer (%s) is a retryable network failure', async (_, bytes) => {
    const url = await rawServer(bytes);
    const transport = httpTransport({ url, secret: SECRET });
    closers.push(() => transport.close!());
    const result = await send(transport, message());
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect((result as Extract<TransportResult, { ok: false }>).error).toMatchObject({ code: 'network' });
  });

  it('a refused connection is a retryable network failure', async () => {
    const url = await rawServer('');
    await closers.pop()!();
    const transport = httpTransport({ url, secret: SECRET });
    closers.push(() => transport.close!());
    expect(await send(transport, message())).toMatchObject({ ok: false, retryable: true });
  });

  it('serialises once per message and re-signs each attempt', async () => {
    const server = await httpServer(() => ({ status: 503 }));
    // A clock the test moves: the second attempt is signed 1.5 s after the first, with no wait.
    let clock = Date.parse('2026-03-01T10:00:00.000Z');
    const transport = httpTransport({ url: server.url, secret: SECRET, now: () => clock });
    closers.push(() => transport.close!());
    const m = message();
    await send(transport, m, 1);
    clock += 1500;
    await send(transport, m, 2);
    const [a, b] = server.received;
    expect(a!.body).toBe(b!.body);
    expect(a!.headers['x-webhook-id']).toBe(b!.headers['x-webhook-id']);
    expect(a!.headers['x-webhook-timestamp']).toBe('2026-03-01T10:00:00.000Z');
    expect(b!.headers['x-webhook-timestamp']).toBe('2026-03-01T10:00:01.500Z');
  });

  it('refuses a now that is not a function', () => {
    expect(() => httpTransport({ url: 'http://127.0.0.1:1/hook', secret: SECRET, now: 5 as never })).toThrow(
      new TypeError('httpTransport: now must be a function, got number'),
    );
  });

  it('its own timeoutMs aborts a request that gets no answer', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const transport = httpTransport({ url, secret: SECRET, timeoutMs: 100 });
    closers.push(() => transport.close!());
    const result = await send(transport, message());
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'timeout' } });
  });

  it('sends through a given fetch', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const transport = httpTransport({
      url: 'https://csr.example/hook',
      secret: SECRET,
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init! });
        return new Response('{"error":"rate_limited"}', { status: 429, headers: { 'retry-after': '5' } });
      },
    });
    const result = await send(transport, message());
    expect(result).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 5000 });
    expect(calls[0]!.url).toBe('https://csr.example/hook');
    expect((calls[0]!.init.headers as Record<string, string>)['user-agent']).toBe(`teei-event-relay/${VERSION}`);
  });

  it('with fetch, URL credentials go as a Basic header and never into an error', async () => {
    const server = await httpServer(() => ({ status: 202 }));
    const url = server.url.replace('http://', 'http://relay:p%40ss-w0rd@');
    const transport = httpTransport({ url, secret: SECRET, fetch: globalThis.fetch });
    const result = await send(transport, message());
    expect(result).toEqual({ ok: true, status: 202 });
    expect(server.received[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('relay:p@ss-w0rd').toString('base64')}`,
    );
    const refused = httpTransport({
      url: 'http://relay:p%40ss-w0rd@127.0.0.1:1/',
      secret: SECRET,
      fetch: globalThis.fetch,
    });
    const failure = await send(refused, message());
    expect(failure).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify(failure.ok ? {} : { m: failure.error.message, c: String(failure.error.cause) })).not.toMatch(
      /p%40ss|p@ss/,
    );
  });

  it('user headers cannot set the framing: a stray Content-Length does not cut the body', async () => {
    const server = await httpServer(() => ({ status: 200 }));
    const transport = httpTransport({ url: server.url, secret: SECRET, headers: { 'Content-Length': '3' } });
    closers.push(() => transport.close!());
    const m = message();
    expect(await send(transport, m)).toEqual({ ok: true, status: 200 });
    expect(server.received[0]!.body).toBe(JSON.stringify(m.envelope));
  });

  it('a 404 names the URL path that was missing (no credentials, no query) and says what to check', async () => {
    const server = await httpServer(() => ({ status: 404 }));
    const withCredentials = server.url.replace('http://', 'http://relay:hunter2@');
    for (const viaFetch of [false, true]) {
      const transport = httpTransport({ url: withCredentials, secret: SECRET, ...(viaFetch ? { fetch } : {}) });
      closers.push(() => transport.close!());
      const result = (await send(transport, message())) as Extract<TransportResult, { ok: false }>;
      const origin = new URL(server.url).origin;
      expect(result.error.message).toBe(
        `HTTP 404 (invalid_data) from ${origin}/hook: nothing answers at this path: check the url`,
      );
      expect(result.error.message).not.toContain('hunter2');
    }
  });

  it.each([
    [undefined, /url is undefined; give the receiver's absolute http: or https: URL, e\.g\. https:\/\/csr\.example/],
    ['', /url is empty/],
    [
      'csr.example/webhooks',
      /url must be an absolute http: or https: URL such as https:\/\/csr\.example\/webhooks\/buddy-events; got "csr\.example\/webhooks"/,
    ],
    ['ftp://relay:hunter2@csr.example/hook', /url must use http: or https:; got "ftp:\/\/\*\*\*@csr\.example\/hook"/],
    ['https://relay:pa/ss#wo@rd@csr.example/hook', /got "https:\/\/\*\*\*@csr\.example\/hook"/],
  ])('a wrong url (%s) says what it got, credentials masked, and what it expects', (url, expected) => {
    let error: unknown;
    try {
      httpTransport({ url, secret: SECRET });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(expected);
    expect((error as Error).message).not.toMatch(/hunter2|pa\/ss|wo@rd/);
  });

  it('secret: process.env.X that is unset is a ConfigError saying so, never a signature with no key', () => {
    const env: Record<string, string | undefined> = {};
    let error: unknown;
    try {
      httpTransport({ url: 'https://csr.example/webhooks/buddy-events', secret: env.CSR_WEBHOOK_SECRET });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'ConfigError', option: 'secret' });
    expect((error as Error).message).toMatch(/secret is undefined.*CSR_WEBHOOK_SECRET/);
  });

  it('rejects bad options with TypeError', () => {
    expect(() => httpTransport({ url: 'ftp://x', secret: SECRET })).toThrow(TypeError);
    expect(() => httpTransport({ url: 'not a url', secret: SECRET })).toThrow(/url/);
    expect(() => httpTransport({ url: 'http://x', secret: SECRET, timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});
