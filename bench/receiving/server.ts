/**
 * Child process: one receiving server, a framework (node:http, Express 5, Fastify 5, Hono) in one of three variants:
 * `bare` (raw body, HMAC checked by hand, JSON.parse), `same` (the same work as the SDK by hand: see same-work.ts;
 * node:http and Fastify) or `sdk` (this SDK's adapter: verify, envelope and Buddy schema validation, idempotency, a
 * no-op handler). Answers `{ op: 'start' }` with the port.
 *
 * @module
 */
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import fastify from 'fastify';
import { Hono } from 'hono';
import { serveParent } from '../lib/child.js';
import {
  buddyCatalog,
  createReceiver,
  expressReceiver,
  fastifyReceiver,
  honoReceiver,
  nodeReceiver,
} from '../lib/sdk.js';
import { accepted, bareVerify } from './bare-verify.js';
import { sameWorkRoute } from './same-work.js';

export type Framework = 'node' | 'express' | 'fastify' | 'hono';
export type Variant = 'bare' | 'same' | 'sdk';
export const PATH = '/webhooks/buddy-events';

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function start(framework: Framework, variant: Variant, secret: string): Promise<number> {
  const key = Buffer.from(secret);
  const receiver = createReceiver({ secret, catalog: buddyCatalog });
  receiver.on('buddy.checkin.completed', async () => {});

  const same = sameWorkRoute(key, async () => {});

  if (framework === 'node') {
    if (variant === 'sdk') return listen(http.createServer(nodeReceiver(receiver)));
    if (variant === 'same') {
      return listen(
        http.createServer(async (req, res) => {
          const body = await readBody(req);
          const answer = await same(
            header(req, 'x-webhook-id'),
            header(req, 'x-webhook-timestamp'),
            header(req, 'x-webhook-signature'),
            body,
          );
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
        }),
      );
    }
    return listen(
      http.createServer(async (req, res) => {
        const body = await readBody(req);
        const ok = bareVerify(
          key,
          header(req, 'x-webhook-id'),
          header(req, 'x-webhook-timestamp'),
          header(req, 'x-webhook-signature'),
          body,
        );
        if (!ok) return void res.writeHead(401).end();
        res.writeHead(202, { 'content-type': 'application/json' }).end(accepted(JSON.parse(body.toString('utf8'))));
      }),
    );
  }
  if (framework === 'express') {
    const app = express();
    if (variant === 'sdk') app.use(expressReceiver(receiver));
    else {
      app.post(PATH, express.raw({ type: 'application/json', limit: '1mb' }), (req, res) => {
        const body = req.body as Buffer;
        const ok = bareVerify(
          key,
          req.get('x-webhook-id'),
          req.get('x-webhook-timestamp'),
          req.get('x-webhook-signature'),
          body,
        );
        if (!ok) return void res.status(401).end();
        res
          .status(202)
          .type('application/json')
          .send(accepted(JSON.parse(body.toString('utf8'))));
      });
    }
    return listen(http.createServer(app));
  }
  if (framework === 'fastify') {
    const app = fastify({ logger: false });
    if (variant === 'sdk') await app.register(fastifyReceiver, { receiver });
    else if (variant === 'same') {
      app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      app.post(PATH, async (req, reply) => {
        const h = req.headers;
        const answer = await same(
          h['x-webhook-id'] as string,
          h['x-webhook-timestamp'] as string,
          h['x-webhook-signature'] as string,
          req.body as Buffer,
        );
        return reply.code(answer.status).header('content-type', 'application/json').send(answer.body);
      });
    } else {
      app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      app.post(PATH, async (req, reply) => {
        const body = req.body as Buffer;
        const h = req.headers;
        const ok = bareVerify(
          key,
          h['x-webhook-id'] as string,
          h['x-webhook-timestamp'] as string,
          h['x-webhook-signature'] as string,
          body,
        );
        if (!ok) return reply.code(401).send();
        return reply
          .code(202)
          .header('content-type', 'application/json')
          .send(accepted(JSON.parse(body.toString('utf8'))));
      });
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    return (app.server.address() as AddressInfo).port;
  }
  const app = new Hono();
  if (variant === 'sdk') app.route('/', honoReceiver(receiver));
  else {
    app.post(PATH, async (c) => {
      const body = Buffer.from(await c.req.arrayBuffer());
      const ok = bareVerify(
        key,
        c.req.header('x-webhook-id'),
        c.req.header('x-webhook-timestamp'),
        c.req.header('x-webhook-signature'),
        body,
      );
      if (!ok) return c.body(null, 401);
      return c.body(accepted(JSON.parse(body.toString('utf8'))), 202, { 'content-type': 'application/json' });
    });
  }
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

serveParent(async (msg) => {
  const m = msg as { op: 'cpu' } | { op: 'start'; framework: Framework; variant: Variant; secret: string };
  if (m.op === 'cpu') {
    // CPU time of this process (user + system, µs): divided by requests served, it is steadier than req/s
    // when other work shares the cores.
    const { user, system } = process.cpuUsage();
    return user + system;
  }
  return { port: await start(m.framework, m.variant, m.secret) };
});
