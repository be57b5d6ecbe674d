/**
 * Child process for `trickle.ts`: one receiving server (node:http, Express 5, Fastify 5 or Hono) around a receiver
 * with the default options, plus its memory on request.
 *
 * @module
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import fastify from 'fastify';
import { Hono } from 'hono';
import { serveParent } from '../lib/child.js';
import { createReceiver, expressReceiver, fastifyReceiver, honoReceiver, nodeReceiver } from '../lib/sdk.js';

export type TrickleFramework = 'node' | 'express' | 'fastify' | 'hono';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function start(framework: TrickleFramework, secret: string): Promise<number> {
  const receiver = createReceiver({ secret, logger: false } as never);
  if (framework === 'node') return listen(http.createServer(nodeReceiver(receiver)));
  if (framework === 'express') {
    const app = express();
    app.use(expressReceiver(receiver));
    return listen(http.createServer(app));
  }
  if (framework === 'fastify') {
    const app = fastify();
    await app.register(fastifyReceiver, { receiver });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return (app.server.address() as AddressInfo).port;
  }
  const app = new Hono();
  app.route('/', honoReceiver(receiver));
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

serveParent(async (raw) => {
  const msg = raw as { op: 'start'; framework: TrickleFramework; secret: string } | { op: 'memory' };
  if (msg.op === 'start') return { port: await start(msg.framework, msg.secret) };
  globalThis.gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
});
