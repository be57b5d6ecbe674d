import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeReceiver } from '../../src/adapters/node.js';
import { createReceiver } from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';
import { send } from './http-client.js';

const secret = 'node-secret';
let server: Server | undefined;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const running = server;
  server = undefined;
  running?.closeAllConnections();
  if (running) await new Promise((r) => running.close(r));
});

describe('nodeReceiver', () => {
  it('answers 404 off its paths, or hands over to next() as Connect middleware', async () => {
    const receiver = createReceiver({ secret });
    const handler = nodeReceiver(receiver);
    const url = await listen((req, res) =>
      handler(req, res, () => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('next');
      }),
    );
    expect((await send(url, { method: 'GET', path: '/elsewhere' })).text).toBe('next');
    const bare = nodeReceiver(receiver);
    server?.removeAllListeners('request');
    server?.on('request', (req, res) => bare(req, res));
    const res = await send(url, { method: 'GET', path: '/elsewhere' });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('not_found');
    // It names what was asked and what is served, so a wrong URL is fixed at a glance.
    expect(res.json.message).toBe(
      'no route for GET /elsewhere: this receiver serves POST /webhooks/buddy-events and GET /health/webhook',
    );
  });

  it('takes custom paths and ignores the query string', async () => {
    const receiver = createReceiver({ secret });
    const url = await listen(nodeReceiver(receiver, { path: '/in', healthPath: '/up' }));
    expect((await send(url, { ...(await signedRequest({ secret })), path: '/in?source=buddy' })).status).toBe(202);
    expect((await send(url, { method: 'GET', path: '/up' })).json.accepted).toBe(1);
  });

  it('reports the signature mode on GET /health/webhook', async () => {
    const receiver = createReceiver({ secret, signature: 'optional', logger: false });
    const url = await listen(nodeReceiver(receiver));
    expect((await send(url, { method: 'GET', path: '/health/webhook' })).json).toMatchObject({
      status: 'ok',
      signature: 'optional',
    });
  });

  it('throws TypeError on misuse', () => {
    expect(() => nodeReceiver({} as never)).toThrow(/createReceiver/);
    expect(() => nodeReceiver(createReceiver({ secret }), { healthPath: 'health' })).toThrow(/healthPath/);
  });
});
