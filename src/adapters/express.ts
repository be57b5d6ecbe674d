/**
 * `@teei/event-relay/express`: the receiver as an Express `Router` (Express 4 and 5).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import express, { type Router } from 'express';
import { ConfigError } from '../errors.js';
import type { ReceiverCore } from '../receiver/receiver.js';
import { type AdapterOptions, adapterPaths, requireReceiver } from './adapter-options.js';
import { handleNodeRequest, healthResponse, writeNodeResponse } from './node-io.js';

export type { AdapterOptions } from './adapter-options.js';

type MaybeParsed = IncomingMessage & { body?: unknown; rawBody?: unknown; _body?: unknown };

const MOUNTING_ERROR =
  'expressReceiver: the request body was already consumed by a body parser (express.json() or similar), so its ' +
  'signature cannot be verified. Mount expressReceiver before express.json(), or use ' +
  "express.raw({ type: 'application/json' }) on its path";

/**
 * An Express `Router` serving `POST <path>` through the receiver and `GET <healthPath>` with `receiver.health()`.
 * It reads the raw body itself (stopping past `maxBodyBytes`), or takes the Buffer left by `express.raw()` or a
 * `req.rawBody` Buffer. A body already parsed by `express.json()` cannot be verified: it answers 500 at once and
 * logs a `ConfigError` saying how to mount it. It never re-serialises a parsed body.
 *
 * @param receiver from `createReceiver`.
 * @param options `path` (default `/webhooks/buddy-events`) and `healthPath` (default `/health/webhook`).
 * @throws {TypeError} when `receiver` is not a receiver or a path does not start with `/`.
 * @example
 * ```ts
 * import express from 'express'
 * import { expressReceiver } from '@teei/event-relay/express'
 * const app = express()
 * app.use(expressReceiver(receiver)) // before app.use(express.json())
 * app.use(express.json())
 * ```
 */
export function expressReceiver(receiver: ReceiverCore, options?: AdapterOptions): Router {
  requireReceiver('expressReceiver', receiver);
  const { path, healthPath } = adapterPaths('expressReceiver', options);
  const router = express.Router();
  router.all(path, (req, res) => {
    const r = req as MaybeParsed;
    if (r.body instanceof Uint8Array) return void handleNodeRequest(receiver, req, res, r.body);
    if (r.rawBody instanceof Uint8Array) return void handleNodeRequest(receiver, req, res, r.rawBody);
    if (r._body === true || req.readableEnded) {
      return writeNodeResponse(res, receiver.misconfigured(new ConfigError(MOUNTING_ERROR)));
    }
    void handleNodeRequest(receiver, req, res);
  });
  router.get(healthPath, (_req, res) => writeNodeResponse(res, healthResponse(receiver)));
  return router;
}
