/**
 * `@teei/event-relay/fastify`: the receiver as a Fastify plugin (Fastify 4 and 5).
 *
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { adapterView } from '../receiver/adapter-view.js';
import type { BodyRefusal } from '../receiver/read-web-body.js';
import type { ReceiverCore } from '../receiver/receiver.js';
import { jsonResponse } from '../receiver/responses.js';
import type { ReceiverResponse } from '../receiver/types.js';
import { type AdapterOptions, adapterPaths } from './adapter-options.js';
import { type BodyStream, healthResponse, readNodeBody, refusedBody } from './node-io.js';

/** What the plugin reads of a Fastify request: the same in Fastify 4 and 5. */
interface FastifyRequestLike {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly raw: IncomingMessage;
}

/** What the plugin calls on a Fastify reply. */
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  headers(values: Readonly<Record<string, string>>): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The part of a Fastify instance the plugin uses, written out rather than imported, so that the one declaration
 * type-checks against Fastify 4's and Fastify 5's instances alike (`app.register(fastifyReceiver, …)` on either).
 *
 * @example `const plugin: (app: FastifyAppLike, options: FastifyReceiverOptions) => Promise<void> = fastifyReceiver`
 */
export interface FastifyAppLike {
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(
    contentType: string,
    parser: (request: FastifyRequestLike, payload: BodyStream & IncomingMessage, done: Done) => void,
  ): unknown;
  setErrorHandler(
    handler: (
      error: Error & { statusCode?: number; code?: string },
      request: FastifyRequestLike,
      reply: FastifyReplyLike,
    ) => unknown,
  ): unknown;
  all(path: string, handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
  get(path: string, handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
}

/**
 * Options of {@link fastifyReceiver}.
 *
 * @example `await app.register(fastifyReceiver, { receiver, path: '/hooks/buddy' } satisfies FastifyReceiverOptions)`
 */
export interface FastifyReceiverOptions extends AdapterOptions {
  /** From `createReceiver`. */
  receiver: ReceiverCore;
}

const EMPTY = new Uint8Array(0);

/** A body the parser did not read (past the cap, or past the deadline): the error handler answers it. */
class UnreadBody extends Error {
  constructor(readonly refusal: BodyRefusal) {
    super(refusal);
    this.name = 'UnreadBody';
  }
}

function send(reply: FastifyReplyLike, answer: ReceiverResponse, close = false): FastifyReplyLike {
  reply.code(answer.status).headers(answer.headers);
  if (close) reply.header('connection', 'close');
  return reply.send(answer.body);
}

/**
 * A Fastify plugin serving `POST <path>` through the receiver and `GET <healthPath>` with `receiver.health()`. It
 * registers a raw-body parser inside its own encapsulated scope, so the rest of the app keeps its JSON parsing; the
 * parser stops past the receiver's `maxBodyBytes` (413) or its `bodyTimeoutMs` (408), and closes the connection.
 * Register it without `fastify-plugin`.
 *
 * @param app the Fastify instance (Fastify passes it).
 * @param options `receiver`, `path` (default `/webhooks/buddy-events`), `healthPath` (default `/health/webhook`).
 * @throws {TypeError} when `receiver` is not a receiver or a path does not start with `/`.
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { fastifyReceiver } from '@teei/event-relay/fastify'
 * const app = Fastify()
 * await app.register(fastifyReceiver, { receiver })
 * ```
 */
export async function fastifyReceiver(app: FastifyAppLike, options: FastifyReceiverOptions): Promise<void> {
  const receiver = options?.receiver;
  const view = adapterView('fastifyReceiver', receiver);
  const { path, healthPath } = adapterPaths('fastifyReceiver', options);
  const { maxBodyBytes, bodyTimeoutMs } = view;

  app.removeAllContentTypeParsers();
  // Our own reader rather than `parseAs: 'buffer'`: Fastify's has a size limit but no deadline.
  const raw = (request: FastifyRequestLike, payload: BodyStream, done: Done) => {
    const declared = Number(request.headers['content-length']);
    if (declared > maxBodyBytes) {
      payload.pause();
      return done(new UnreadBody('too_large'));
    }
    readNodeBody(payload, maxBodyBytes, bodyTimeoutMs).then(
      (body) => (typeof body === 'string' ? done(new UnreadBody(body)) : done(null, body)),
      // The client went away mid-body: a 4xx nobody reads, rather than a 500 that blames the server.
      (error: Error) => done(Object.assign(error, { statusCode: 400 })),
    );
  };
  // JSON first (looked up directly), anything else through the catch-all: the core answers 415 to it.
  app.addContentTypeParser('application/json', raw);
  app.addContentTypeParser('*', raw);

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof UnreadBody) {
      // Answer and close: a sender streaming far past the cap, or trickling, is not drained.
      return send(reply, refusedBody(view, error.refusal, request.headers), true);
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return send(reply, jsonResponse(status, { error: 'bad_request', message: error.message }), true);
    }
    return send(reply, view.misconfigured(error));
  });

  app.all(path, async (request, reply) => {
    const body = request.body instanceof Uint8Array ? request.body : EMPTY;
    const answer = await receiver.handle({
      method: request.method,
      headers: request.headers,
      body,
      remoteAddress: request.raw.socket?.remoteAddress,
    });
    return send(reply, answer);
  });

  app.get(healthPath, async (_request, reply) => send(reply, healthResponse(receiver)));
}
