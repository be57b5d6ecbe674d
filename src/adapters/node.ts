/**
 * `@teei/event-relay/node`: the receiver as a `(req, res, next?)` handler for `node:http`, Connect, and anything that
 * hands over an `IncomingMessage` and a `ServerResponse`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { adapterView } from '../receiver/adapter-view.js';
import type { ReceiverCore } from '../receiver/receiver.js';
import { jsonResponse } from '../receiver/responses.js';
import type { ReceiverResponse } from '../receiver/types.js';
import { type AdapterOptions, adapterPaths } from './adapter-options.js';
import { handleNodeRequest, healthResponse, writeNodeResponse } from './node-io.js';

export { type AdapterOptions, DEFAULT_ADAPTER_PATHS } from './adapter-options.js';

/**
 * A `node:http` request listener that also works as Connect middleware.
 *
 * @example `const handler: NodeReceiverHandler = nodeReceiver(receiver); connectApp.use(handler)`
 */
export type NodeReceiverHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** A 404 that names what was asked and what is served, so a wrong URL or mount is fixed at a glance. */
function notFound(method: string | undefined, url: string, path: string, healthPath: string): ReceiverResponse {
  const asked = `${String(method)} ${url.length > 200 ? `${url.slice(0, 200)}…` : url}`;
  return jsonResponse(404, {
    error: 'not_found',
    message: `no route for ${asked}: this receiver serves POST ${path} and GET ${healthPath}`,
  });
}

function pathname(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Serves `POST <path>` through the receiver and `GET <healthPath>` with `receiver.health()`. Other paths go to
 * `next()` when given (Connect), else 404 naming the paths served. The body is read raw, and reading stops past
 * `maxBodyBytes` (413) or the receiver's `bodyTimeoutMs` (408), the connection then closed.
 *
 * @param receiver from `createReceiver`.
 * @param options `path` (default `/webhooks/buddy-events`) and `healthPath` (default `/health/webhook`).
 * @throws {TypeError} when `receiver` is not a receiver or a path does not start with `/`.
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { nodeReceiver } from '@teei/event-relay/node'
 * createServer(nodeReceiver(receiver)).listen(3000)
 * ```
 */
export function nodeReceiver(receiver: ReceiverCore, options?: AdapterOptions): NodeReceiverHandler {
  const view = adapterView('nodeReceiver', receiver);
  const { path, healthPath } = adapterPaths('nodeReceiver', options);
  return function eventRelayNodeReceiver(req, res, next) {
    const url = pathname(req.url);
    if (url === path) {
      void handleNodeRequest(receiver, view, req, res);
    } else if (url === healthPath && (req.method === 'GET' || req.method === 'HEAD')) {
      writeNodeResponse(res, healthResponse(receiver));
    } else if (next !== undefined) {
      next();
    } else {
      writeNodeResponse(res, notFound(req.method, url, path, healthPath));
    }
  };
}
