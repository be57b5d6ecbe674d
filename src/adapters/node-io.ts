/**
 * Node `IncomingMessage` / `ServerResponse` plumbing shared by the node, Express and Fastify adapters: read the raw body
 * with the size cap and the deadline, write an answer, and the one function that runs a request through the receiver.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdapterView } from '../receiver/adapter-view.js';
import type { BodyRefusal } from '../receiver/read-web-body.js';
import type { ReceiverCore } from '../receiver/receiver.js';
import type { ReceiverResponse } from '../receiver/types.js';
import type { HeadersLike } from '../signing/types.js';

/** @internal the request stream an adapter reads: an `IncomingMessage`, or the stream a framework hands over */
export type BodyStream = Pick<IncomingMessage, 'on' | 'off' | 'pause'>;

/**
 * @internal The raw body, or why reading stopped: past `maxBytes` (`too_large`), or not complete `timeoutMs` after
 * it began (`timed_out`, a body trickled in). Reading stops at once in both cases; the caller answers and closes.
 */
export function readNodeBody(req: BodyStream, maxBytes: number, timeoutMs: number): Promise<Buffer | BodyRefusal> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    // A settled flag rather than removing every listener: the request ends right after, and the hot path stays short.
    let settled = false;
    const stop = (refusal: BodyRefusal): void => {
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.pause();
      resolve(refusal);
    };
    const timer = setTimeout(() => {
      if (!settled) stop('timed_out');
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      total += chunk.length;
      if (total > maxBytes) stop('too_large');
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    });
    const fail = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error ?? new Error('the client closed the connection before the body was complete'));
    };
    req.on('error', fail);
    req.on('close', () => fail());
  });
}

/** @internal the answer to a body that was not read: 413 or 408 (write it with `close`) */
export function refusedBody(view: AdapterView, refusal: BodyRefusal, headers: HeadersLike): ReceiverResponse {
  if (refusal === 'timed_out') return view.timedOut();
  return view.precheck({ headers, bodyBytes: view.maxBodyBytes + 1 })!;
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

/**
 * Up to this size, a body refused before it was read (413 by its declared length, 405, 415) is drained after the
 * answer, within `bodyTimeoutMs`, rather than cut off: a connection closed while the client still writes is reset,
 * and a reset can reach the client before the answer does, turning a clear 413 into a retried network error. Above
 * it (or with no declared length) the connection is closed.
 */
const DRAIN_LIMIT = 8 * 1024 * 1024;

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
  view: AdapterView,
  req: IncomingMessage,
  res: ServerResponse,
  body?: Uint8Array,
): Promise<void> {
  const { method, headers } = req;
  try {
    let raw = body;
    if (raw === undefined) {
      const length = headers['content-length'];
      const bodyBytes = length === undefined ? undefined : Number(length);
      const early = view.precheck({ method, headers, bodyBytes });
      if (early !== undefined) {
        const close = closeRatherThanDrain(headers);
        if (!close) drainWithin(req, view.bodyTimeoutMs);
        return writeNodeResponse(res, early, close);
      }
      const read = await readNodeBody(req, view.maxBodyBytes, view.bodyTimeoutMs);
      if (typeof read === 'string') return writeNodeResponse(res, refusedBody(view, read, headers), true);
      raw = read;
    }
    writeNodeResponse(
      res,
      await receiver.handle({ method, headers, body: raw, remoteAddress: req.socket?.remoteAddress }),
    );
  } catch {
    // The client went away mid-body: nobody is left to answer.
    if (!res.headersSent) res.destroy();
  }
}

/** Node discards the unread body once the answer is written; a client that stalls mid-body is cut off at `ms`. */
function drainWithin(req: IncomingMessage, ms: number): void {
  if (req.complete) return;
  const timer = setTimeout(() => req.destroy(), ms);
  timer.unref?.();
  req.once('close', () => clearTimeout(timer));
}

/** @internal `receiver.health()` as an answer */
export function healthResponse(receiver: ReceiverCore): ReceiverResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(receiver.health()) };
}
