/**
 * `@teei/event-relay/hono`: the receiver as a Hono app, for any fetch runtime (Node through `@hono/node-server`,
 * Bun, Deno, Cloudflare Workers).
 *
 * @module
 */
import { Hono } from 'hono';
import { adapterView } from '../receiver/adapter-view.js';
import type { ReceiverCore } from '../receiver/receiver.js';
import { type AdapterOptions, adapterPaths } from './adapter-options.js';

export type { AdapterOptions } from './adapter-options.js';

/**
 * A Hono app serving `POST <path>` through `receiver.fetch` (the body streamed in with the size cap) and
 * `GET <healthPath>` with `receiver.health()`. Mount it with `app.route('/', honoReceiver(receiver))`.
 *
 * @param receiver from `createReceiver`.
 * @param options `path` (default `/webhooks/buddy-events`) and `healthPath` (default `/health/webhook`).
 * @throws {TypeError} when `receiver` is not a receiver or a path does not start with `/`.
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { honoReceiver } from '@teei/event-relay/hono'
 * const app = new Hono()
 * app.route('/', honoReceiver(receiver))
 * export default app
 * ```
 */
export function honoReceiver(receiver: ReceiverCore, options?: AdapterOptions): Hono {
  adapterView('honoReceiver', receiver);
  const { path, healthPath } = adapterPaths('honoReceiver', options);
  const app = new Hono();
  app.get(healthPath, (c) => c.json(receiver.health()));
  app.all(path, (c) => receiver.fetch(c.req.raw));
  return app;
}
