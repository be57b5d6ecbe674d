/**
 * The Node entry (22, 24): the app through `@hono/node-server` on 127.0.0.1:$PORT. Prints `listening` once it
 * accepts connections.
 *
 * @module
 */
import { serve } from '@hono/node-server';
import { createApp } from './create-app.js';

const app = createApp(process.env.SECRET ?? '', { runtime: 'node', version: process.versions.node });
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, () =>
  console.log('listening'),
);
process.once('SIGTERM', () => server.close());
