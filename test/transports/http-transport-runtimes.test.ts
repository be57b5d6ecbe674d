// httpTransport picks its client by runtime: node:http where Node's modules are reachable (also on Node 20 before
// 20.16, by dynamic import), the global fetch on workerd and where node:http is missing. test/runtimes/ checks the
// same on the real runtimes; here the runtime is simulated inside Node, against a real server on 127.0.0.1.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvelope, httpTransport, type TransportMessage } from '../../src/index.js';

const SECRET = 'a-transport-secret-of-32-bytes!!';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllGlobals();
  for (const close of closers.splice(0)) await close();
});

async function server() {
  const received: IncomingHttpHeaders[] = [];
  const http = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(202).end());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`, received };
}

function message(): TransportMessage {
  const envelope = createEnvelope('buddy.match.created', { matchId: crypto.randomUUID() });
  return { envelope, deliveryId: envelope.metadata.id } as TransportMessage;
}

const send = (transport: ReturnType<typeof httpTransport>) =>
  transport.send(message(), { attempt: 1, signal: new AbortController().signal });

describe('httpTransport: the client for the runtime', () => {
  it('on workerd (navigator.userAgent "Cloudflare-Workers") sends through the global fetch', async () => {
    const { url, received } = await server();
    const fetchSpy = vi.fn(globalThis.fetch);
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    vi.stubGlobal('fetch', fetchSpy);
    const transport = httpTransport({ url, secret: SECRET });
    expect(await send(transport)).toEqual({ ok: true, status: 202 });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(received[0]?.['sec-fetch-mode']).toBe('cors'); // undici's fetch, not node:http
    await transport.close?.();
  });

  it('without process.getBuiltinModule (Node 20 before 20.16) imports node:http on first send and uses it', async () => {
    const { url, received } = await server();
    const fetchSpy = vi.fn(globalThis.fetch);
    vi.stubGlobal('fetch', fetchSpy);
    const original = process.getBuiltinModule;
    Reflect.deleteProperty(process, 'getBuiltinModule');
    try {
      const transport = httpTransport({ url, secret: SECRET });
      expect(await send(transport)).toEqual({ ok: true, status: 202 });
      expect(await send(transport)).toEqual({ ok: true, status: 202 });
      await transport.close?.();
    } finally {
      process.getBuiltinModule = original;
    }
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(received.map((headers) => [headers.connection, headers['sec-fetch-mode']])).toEqual([
      ['keep-alive', undefined],
      ['keep-alive', undefined],
    ]);
  });

  it('with neither node:http nor a global fetch, refuses at creation and says to pass `fetch`', () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    vi.stubGlobal('fetch', undefined);
    expect(() => httpTransport({ url: 'http://127.0.0.1:9/hook', secret: SECRET })).toThrow(
      /neither node:http nor a global fetch; pass the `fetch` option/,
    );
  });
});
