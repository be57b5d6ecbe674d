/**
 * The host's end of the publish check: a `node:http` server on 127.0.0.1 that a runtime's `httpTransport` posts to.
 * It checks each signature with `node:crypto` (not the package) and answers 202 or 401.
 *
 * @module
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validTeeiSignature } from './teei-signature.js';

/**
 * A running host receiver.
 *
 * @example `const host = await hostReceiver(secret); …; host.verified.has(eventId); await host.close()`
 */
export interface HostReceiver {
  readonly url: string;
  /** Event ids whose request carried a valid signature, with the client it came through. */
  readonly verified: Map<string, Client>;
  close(): Promise<void>;
}

/**
 * Which HTTP client sent a request. `node:http` with the transport's keep-alive agent (Node, and the Bun and Deno
 * versions of it) sends `connection: keep-alive` and no `accept`; undici's, Bun's and Deno's `fetch` add
 * `accept: *\/*`; workerd's `fetch` sends neither.
 *
 * @example `const client: Client = 'fetch'`
 */
export type Client = 'node:http' | 'fetch';

function clientOf(headers: IncomingHttpHeaders): Client {
  return headers.connection === 'keep-alive' && headers.accept === undefined ? 'node:http' : 'fetch';
}

/**
 * Starts one on a free port.
 *
 * @example `const host = await hostReceiver('a-secret')`
 */
export async function hostReceiver(secret: string): Promise<HostReceiver> {
  const verified = new Map<string, Client>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (!validTeeiSignature(secret, req.headers, body)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_signature"}');
        return;
      }
      try {
        verified.set((JSON.parse(body) as { metadata: { id: string } }).metadata.id, clientOf(req.headers));
      } catch {
        // A valid signature over a body that is not an envelope: counted nowhere, answered all the same.
      }
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"acknowledged":true}');
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/buddy-events`,
    verified,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
