/**
 * `@teei/event-relay/express`: the receiver as Express middleware (Express 4 and 5). It imports nothing from
 * `express`: an Express middleware is a plain `(req, res, next)` function, so the user's own Express runs it.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../errors.js';
import { adapterView } from '../receiver/adapter-view.js';
import type { ReceiverCore } from '../receiver/receiver.js';
import { type AdapterOptions, adapterPaths } from './adapter-options.js';
import { handleNodeRequest, healthResponse, writeNodeResponse } from './node-io.js';

export type { AdapterOptions } from './adapter-options.js';

/**
 * Express middleware, typed with Node's own request and response so it fits `app.use()` on Express 4 and 5 alike
 * (Express's `Request` and `Response` extend them).
 *
 * @example `const middleware: ExpressReceiverHandler = expressReceiver(receiver); app.use(middleware)`
 */
export type ExpressReceiverHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** What Express and body parsers add to the request: the mount prefix, and a body another middleware read. */
type ExpressRequest = IncomingMessage & { baseUrl?: unknown; body?: unknown; rawBody?: unknown; _body?: unknown };

/** The message for a middleware mounted under a prefix that the path repeats: `app.use('/webhooks', …)`. */
function prefixError(baseUrl: string, path: string): ConfigError {
  return new ConfigError(
    `expressReceiver is mounted under ${JSON.stringify(baseUrl)} and its path is ${JSON.stringify(path)}, so it ` +
      `serves ${JSON.stringify(baseUrl + path)} and the request to ${JSON.stringify(path)} missed it. Mount it at the ` +
      `root, app.use(expressReceiver(receiver)), or keep the prefix and pass the rest of the path: ` +
      `app.use(${JSON.stringify(baseUrl)}, expressReceiver(receiver, { path: ${JSON.stringify(path.slice(baseUrl.length) || '/')} }))`,
    { option: 'path' },
  );
}

/** The path of a URL, lower-cased and without one trailing slash: Express routes match that way by default. */
function routeOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  // An absolute-form target (`POST http://host/path`, sent by some forward proxies): its path, as Express routes it.
  if (path.charCodeAt(0) !== 47 /* / */) {
    const start = path.indexOf('/', path.indexOf('//') + 2);
    path = start === -1 ? '/' : path.slice(start);
  }
  path = path.toLowerCase();
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

const MOUNTING_ERROR =
  'expressReceiver: the request body was already consumed by a body parser (express.json() or similar), so its ' +
  'signature cannot be verified. Mount expressReceiver before express.json(), or use ' +
  "express.raw({ type: 'application/json' }) on its path";

/**
 * Express middleware serving `POST <path>` through the receiver and `GET <healthPath>` with `receiver.health()`;
 * every other request goes to `next()`. It reads the raw body itself (stopping past `maxBodyBytes`), or takes the
 * Buffer left by `express.raw()` or a `req.rawBody` Buffer. A body already parsed by `express.json()` cannot be
 * verified: it answers 500 at once and logs a `ConfigError` saying how to mount it. It never re-serialises a parsed
 * body. Mounted under a prefix that its path repeats (`app.use('/webhooks', expressReceiver(receiver))` serves
 * `/webhooks/webhooks/buddy-events`), a request to the path itself is answered 500 (the sender retries) and a
 * `ConfigError` saying how to mount it is logged once. Reading the body itself, it answers 408 past the receiver's
 * `bodyTimeoutMs`.
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
export function expressReceiver(receiver: ReceiverCore, options?: AdapterOptions): ExpressReceiverHandler {
  const view = adapterView('expressReceiver', receiver);
  const { path, healthPath } = adapterPaths('expressReceiver', options);
  const route = routeOf(path);
  const healthRoute = routeOf(healthPath);
  return function eventRelayExpressReceiver(req, res, next) {
    const r = req as ExpressRequest;
    const url = routeOf(req.url);
    if (url === route) {
      if (r.body instanceof Uint8Array) return void handleNodeRequest(receiver, view, req, res, r.body);
      if (r.rawBody instanceof Uint8Array) return void handleNodeRequest(receiver, view, req, res, r.rawBody);
      if (r._body === true || req.readableEnded) {
        return writeNodeResponse(res, view.misconfigured(new ConfigError(MOUNTING_ERROR)));
      }
      return void handleNodeRequest(receiver, view, req, res);
    }
    if (url === healthRoute && (req.method === 'GET' || req.method === 'HEAD')) {
      return writeNodeResponse(res, healthResponse(receiver));
    }
    // A miss under a prefix that, joined to the URL, names our path: the prefix was meant to be part of it.
    const baseUrl = typeof r.baseUrl === 'string' ? r.baseUrl : '';
    const full = routeOf(baseUrl + url);
    if (baseUrl !== '' && (full === route || full === healthRoute)) {
      return writeNodeResponse(res, view.misconfigured(prefixError(baseUrl, full === route ? path : healthPath)));
    }
    next();
  };
}
