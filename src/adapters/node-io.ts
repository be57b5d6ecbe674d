/**
 * Node `IncomingMessage` / `ServerResponse` plumbing shared by the node and Express adapters: read the raw body
 * with the size cap, write an answer, and the one function that runs a request through the receiver.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Receiver, ReceiverCore } from '../receiver/receiver.js';
import type { ReceiverResponse } from '../receiver/types.js';

/** The adapters' default routes. */
export const DEFAULT_ADAPTER_PATHS = Object.freeze({
  path: '/webhooks/buddy-events',
  healthPath: '/health/webhook',
});

/** Options every adapter takes. */
export interface AdapterOptions {
  /** Where events are POSTed. @default '/webhooks/buddy-events' */
  path?: string;
  /** Where `GET` answers `receiver.health()`. @default '/health/webhook' */
  healthPath?: string;
}

/** @internal checks and fills the adapter options */
export function adapterPaths(adapter: string, options: AdapterOptions = {}): { path: string; healthPath: string } {
  const path = options.path ?? DEFAULT_ADAPTER_PATHS.path;
  const healthPath = options.healthPath ?? DEFAULT_ADAPTER_PATHS.healthPath;
  for (const [name, value] of [
    ['path', path],
    ['healthPath', healthPath],
  ] as const) {
    if (typeof value !== 'string' || !value.startsWith('/')) {
      throw new TypeError(`${adapter}: ${name} must be a string starting with "/", got ${JSON.stringify(value)}`);
    }
  }
  return { path, healthPath };
}

/** @internal an object that looks like a receiver */
export function requireReceiver(adapter: string, receiver: unknown): void {
  const r = receiver as Partial<Receiver> | undefined;
  if (typeof r?.handle !== 'function' || typeof r.precheck !== 'function' || typeof r.health !== 'function') {
    throw new TypeError(`${adapter}: receiver must come from createReceiver()`);
  }
}

/** @internal the raw body, or `undefined` once more than `maxBytes` arrived (reading stops there) */
export function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    function onData(chunk: Buffer): void {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    }
    function onError(error: Error): void {
      cleanup();
      reject(error);
    }
    function onClose(): void {
      cleanup();
      reject(new Error('the client closed the connection before the body was complete'));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** @internal writes an answer; `close` ends the connection after it (a body left unread is not drained) */
export function writeNodeResponse(res: ServerResponse, answer: ReceiverResponse, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
  };
  if (close) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/** Above this, an unread body is not worth draining: the connection is closed instead. */
const DRAIN_LIMIT = 1024 * 1024;

/** @internal whether to close rather than drain an unread body (unknown length, or large) */
export function closeRatherThanDrain(headers: IncomingMessage['headers']): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length > DRAIN_LIMIT;
}

/**
 * @internal Runs one request through the receiver: the checks that need no body, the capped read (unless `body`
 * was read already), then `receiver.handle`. Never rejects.
 */
export async function handleNodeRequest(
  receiver: ReceiverCore,
  req: IncomingMessage,
  res: ServerResponse,
  body?: Uint8Array,
): Promise<void> {
  const { method, headers } = req;
  try {
    let raw = body;
    if (raw === undefined) {
      const length = headers['content-length'];
      const early = receiver.precheck({
        ...(method === undefined ? {} : { method }),
        headers,
        ...(length === undefined ? {} : { bodyBytes: Number(length) }),
      });
      if (early !== undefined) return writeNodeResponse(res, early, closeRatherThanDrain(headers));
      raw = await readNodeBody(req, receiver.maxBodyBytes);
      if (raw === undefined) {
        const tooLarge = receiver.precheck({ headers, bodyBytes: receiver.maxBodyBytes + 1 });
        return writeNodeResponse(res, tooLarge!, true);
      }
    }
    const remoteAddress = req.socket?.remoteAddress;
    const answer = await receiver.handle({
      ...(method === undefined ? {} : { method }),
      headers,
      body: raw,
      ...(remoteAddress === undefined ? {} : { remoteAddress }),
    });
    writeNodeResponse(res, answer);
  } catch {
    // The client went away mid-body: nobody is left to answer.
    if (!res.headersSent) res.destroy();
  }
}

/** @internal `receiver.health()` as an answer */
export function healthResponse(receiver: ReceiverCore): ReceiverResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(receiver.health()) };
}
