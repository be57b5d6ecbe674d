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

/** The message for a router mounted under a prefix that the path repeats: `app.use('/webhooks', …)`. */
function prefixError(baseUrl: string, path: string): ConfigError {
  return new ConfigError(
    `expressReceiver is mounted under ${JSON.stringify(baseUrl)} and its path is ${JSON.stringify(path)}, so it ` +
      `serves ${JSON.stringify(baseUrl + path)} and the request to ${JSON.stringify(path)} missed it. Mount it at the ` +
      `root, app.use(expressReceiver(receiver)), or keep the prefix and pass the rest of the path: ` +
      `app.use(${JSON.stringify(baseUrl)}, expressReceiver(receiver, { path: ${JSON.stringify(path.slice(baseUrl.length) || '/')} }))`,
    { option: 'path' },
  );
}

function pathname(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

const MOUNTING_ERROR =
  'expressReceiver: the request body was already consumed by a body parser (express.json() or similar), so its ' +
  'signature cannot be verified. Mount expressReceiver before express.json(), or use ' +
  "express.raw({ type: 'application/json' }) on its path";

/**
 * An Express `Router` serving `POST <path>` through the receiver and `GET <healthPath>` with `receiver.health()`.
 * It reads the raw body itself (stopping past `maxBodyBytes`), or takes the Buffer left by `express.raw()` or a
 * `req.rawBody` Buffer. A body already parsed by `express.json()` cannot be verified: it answers 500 at once and
 * logs a `ConfigError` saying how to mount it. It never re-serialises a parsed body. Mounted under a prefix that its
 * path repeats (`app.use('/webhooks', expressReceiver(receiver))` serves `/webhooks/webhooks/buddy-events`), a
 * request to the path itself is answered 500 (the sender retries) and a `ConfigError` saying how to mount it is
 * logged once. Reading the body itself, it answers 408 past the receiver's `bodyTimeoutMs`.
 *
 * @param receiver from `createReceiver`.
 * @param options `path` (default `/webhooks/buddy-events`) and `healthPath` (default `/health/webhook`).
 * @throws {TypeError} when `receiver` is not a receiver or a path does not start with `/`.
 * @example
 * ```ts
 * import express from 'express'
 * import { expressReceiver } from '@teei/event-relay/express'
 * const app = express()
 * app.use(expressReceiver(receiver)) // at the root, before app.use(express.json())
 * app.use(express.json())
 * // under a prefix: app.use('/webhooks', expressReceiver(receiver, { path: '/buddy-events' }))
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
  router.use((req, res, next) => {
    // A miss under a prefix that, joined to the URL, names our path: the prefix was meant to be part of it.
    const { baseUrl } = req;
    const full = baseUrl + pathname(req.url);
    if (baseUrl === '' || (full !== path && full !== healthPath)) return next();
    const mounted = full === path ? path : healthPath;
    writeNodeResponse(res, receiver.misconfigured(prefixError(baseUrl, mounted)));
  });
  return router;
}
