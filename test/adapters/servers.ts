// One way to start each supported server around a receiver, on 127.0.0.1 and a free port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express5 from 'express';
import express4 from 'express4';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import { expressReceiver } from '../../src/adapters/express.js';
import { fastifyReceiver } from '../../src/adapters/fastify.js';
import { honoReceiver } from '../../src/adapters/hono.js';
import { nodeReceiver } from '../../src/adapters/node.js';
import type { ReceiverCore } from '../../src/receiver/receiver.js';

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

export const SERVER_KINDS = ['node:http', 'express 4', 'express 5', 'fastify 4', 'fastify 5', 'hono'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

function listen(server: Server): Promise<Running> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export async function startServer(kind: ServerKind, receiver: ReceiverCore): Promise<Running> {
  switch (kind) {
    case 'node:http':
      return listen(createServer(nodeReceiver(receiver)));
    case 'express 4': {
      const app = express4();
      app.use(expressReceiver(receiver));
      return listen(createServer(app));
    }
    case 'express 5': {
      const app = express5();
      app.use(expressReceiver(receiver));
      return listen(createServer(app));
    }
    case 'fastify 4': {
      const app = fastify4();
      await app.register(fastifyReceiver, { receiver });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return fastifyRunning(app.server, () => app.close());
    }
    case 'fastify 5': {
      const app = fastify5();
      await app.register(fastifyReceiver, { receiver });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return fastifyRunning(app.server, () => app.close());
    }
    case 'hono': {
      const app = new Hono();
      app.route('/', honoReceiver(receiver));
      return new Promise((resolve) => {
        const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
          resolve({
            url: `http://127.0.0.1:${info.port}`,
            close: () =>
              new Promise<void>((done) => {
                (server as Server).closeAllConnections();
                server.close(() => done());
              }),
          });
        });
      });
    }
  }
}

function fastifyRunning(server: Server, close: () => PromiseLike<unknown>): Running {
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await close();
    },
  };
}
