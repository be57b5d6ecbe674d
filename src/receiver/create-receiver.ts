/**
 * `createReceiver`: the framework-agnostic receiver. Adapters, `fetch()` and NATS all run the same pipeline.
 *
 * @module
 */
import type { Catalog } from '../catalog/catalog.js';
import { createVerifier } from '../signing/create-verifier.js';
import type { HeadersLike } from '../signing/types.js';
import { ADAPTER_VIEW, type AdapterView } from './adapter-view.js';
import { type AnyFunction, createHandlerRegistry } from './handler-registry.js';
import { checkHttpRequest, contentLength } from './http-checks.js';
import { DEFAULT_IDEMPOTENCY_TIMES } from './idempotency-store.js';
import { memoryIdempotencyStore } from './memory-idempotency-store.js';
import { createPipeline } from './pipeline.js';
import { createRateLimiter } from './rate-limiter.js';
import { readWebBody } from './read-web-body.js';
import type { Receiver } from './receiver.js';
import { errorEcho, warnSignatureMode } from './receiver-alerts.js';
import { normalizeReceiverOptions, type ReceiverOptions, type UnknownTypes } from './receiver-options.js';
import { createReceiverStats, type Trace } from './receiver-stats.js';
import { failure, toResponse } from './responses.js';
import type { ErrorContext, MessageResult, ReceiverMessage, ReceiverRequest, ReceiverResponse } from './types.js';

const encoder = new TextEncoder();
const CRASHED = 'the receiver failed: retry later';

/** The body's size in bytes, or for a string any number on the same side of `max` (encoding only when needed). */
function sizeFor(body: Uint8Array | string, max: number): number {
  if (typeof body !== 'string') return body.byteLength;
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit.
  if (body.length > max || body.length * 3 <= max) return body.length;
  return encoder.encode(body).byteLength;
}

/** `close`: the body was left unread, so the connection is not worth keeping (the runtime closes it). */
function toWebResponse(response: ReceiverResponse, close = false): Response {
  // A copy: some runtimes (@hono/node-server) add to the headers object they are given.
  const headers: Record<string, string> = { ...response.headers };
  if (close) headers.connection = 'close';
  return new Response(response.body, { status: response.status, headers });
}

/**
 * Creates a receiver. Mount it with an adapter (`nodeReceiver`, `expressReceiver`, `fastifyReceiver`,
 * `honoReceiver`), call `fetch()` on a fetch runtime, or feed `handleMessage()` from NATS.
 *
 * @param options secret(s) and scheme, catalog, idempotency store, limits, logger and metrics.
 * @throws {ConfigError} when no secret is given and `signature` is not `'disabled'`, or a secret is empty, only
 *   whitespace, or the text `undefined` or `null`.
 * @throws {TypeError} naming the option when one is malformed.
 * @example
 * ```ts
 * const receiver = createReceiver({ secret: process.env.WEBHOOK_SIGNATURE_SECRET, catalog: buddyCatalog })
 * receiver.on('buddy.match.created', async (event, { deliveryId }) => {
 *   await db.insertMatch(event.data.matchId, deliveryId)
 * })
 * ```
 */
export function createReceiver<C extends Catalog | undefined = undefined, U extends UnknownTypes = 'reject'>(
  options: ReceiverOptions<C, U>,
): Receiver<C, U> {
  const config = normalizeReceiverOptions(options);
  const { maxBodyBytes, bodyTimeoutMs, alerts } = config;
  const registry = createHandlerRegistry();
  const stats = createReceiverStats(config.logger, config.metrics, config.signature);
  const echo = config.echoReports ? errorEcho(alerts) : undefined;
  warnSignatureMode(alerts, config.signature);

  function report(error: Error, ctx: ErrorContext): void {
    try {
      echo?.(error, ctx);
    } catch {}
    for (const listener of registry.errorHandlers) {
      try {
        const r = listener(error, ctx);
        if (r !== undefined) Promise.resolve(r).catch((e: unknown) => listenerFailed(e));
      } catch (e) {
        listenerFailed(e);
      }
    }
  }
  function listenerFailed(e: unknown): void {
    try {
      alerts.error(
        { operation: 'receive', err: { name: (e as Error)?.name, message: String((e as Error)?.message ?? e) } },
        'an onError listener threw',
      );
    } catch {}
  }

  const verifier =
    config.signature === 'disabled'
      ? undefined
      : createVerifier({
          ...(options.scheme === undefined ? {} : { scheme: options.scheme }),
          ...(options.secret === undefined ? {} : { secret: options.secret }),
          ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
          ...(options.keyEncoding === undefined ? {} : { keyEncoding: options.keyEncoding }),
          toleranceSeconds: config.toleranceSeconds,
          logger: alerts,
        });
  const pipeline = createPipeline({
    verifier,
    signature: config.signature,
    catalog: config.catalog,
    unknownTypes: config.unknownTypes,
    registry,
    limiter: options.rateLimit === undefined ? undefined : createRateLimiter(options.rateLimit),
    store:
      config.store ??
      memoryIdempotencyStore({
        ttlMs: Math.max(DEFAULT_IDEMPOTENCY_TIMES.ttlMs, Math.ceil(config.toleranceSeconds * 1000)),
      }),
    handlerTimeoutMs: config.handlerTimeoutMs,
    inProgressRetryAfterMs: config.inProgressRetryAfterMs,
    report,
  });

  function internalError(error: unknown, message: string): MessageResult {
    const err = error instanceof Error ? error : new Error(String(error));
    report(err, { source: 'receiver' });
    return failure('retry', 500, 'internal_error', message, { error: err });
  }

  /** Never rejects: every failure becomes a 500 verdict. */
  async function run(
    headers: HeadersLike,
    body: Uint8Array | string,
    request: ReceiverRequest | undefined,
  ): Promise<MessageResult> {
    const start = stats.timed ? performance.now() : 0;
    const trace: Trace | undefined = stats.timed ? {} : undefined;
    if (trace !== undefined && typeof request?.remoteAddress === 'string') trace.remoteAddress = request.remoteAddress;
    let result: MessageResult;
    try {
      if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
        throw new TypeError('receiver: body must be a string or a Uint8Array of the raw bytes received');
      }
      const refused = request && checkHttpRequest(request.method, headers, sizeFor(body, maxBodyBytes), maxBodyBytes);
      result = refused ?? (await pipeline(headers, body, new Date(), trace));
    } catch (error) {
      result = internalError(error, CRASHED);
    }
    stats.record(result, start, trace);
    return result;
  }

  function fail(error: unknown, message: string): ReceiverResponse {
    const result = internalError(error, message);
    stats.record(result, stats.timed ? performance.now() : 0, undefined);
    return toResponse(result);
  }

  const view: AdapterView = {
    maxBodyBytes,
    bodyTimeoutMs,
    precheck({ method, headers, bodyBytes }) {
      const refused = checkHttpRequest(method, headers, bodyBytes, maxBodyBytes);
      if (refused === undefined) return undefined;
      stats.record(refused, stats.timed ? performance.now() : 0, undefined);
      return toResponse(refused);
    },
    misconfigured: (error) => fail(error, 'the receiver is misconfigured: see the server log'),
    timedOut() {
      const result = failure(
        'retry',
        408,
        'request_timeout',
        `the body did not arrive within ${bodyTimeoutMs} ms: send it again (the receiver's bodyTimeoutMs sets the limit)`,
      );
      stats.record(result, stats.timed ? performance.now() : 0, undefined);
      return toResponse(result);
    },
  };

  const receiver: Receiver<Catalog | undefined, UnknownTypes> & { readonly [ADAPTER_VIEW]: AdapterView } = {
    [ADAPTER_VIEW]: view,
    on: (type, handler) => registry.on(typeof type === 'string' ? [type] : [...type], handler as never),
    onAny: (handler) => registry.onAny(handler as never),
    onError: (handler) => registry.onError(handler),
    off(typeOrHandler: unknown, handler?: AnyFunction) {
      if (typeof typeOrHandler === 'function') registry.off(undefined, typeOrHandler as AnyFunction);
      else if (handler !== undefined) {
        registry.off(typeof typeOrHandler === 'string' ? [typeOrHandler] : [...(typeOrHandler as string[])], handler);
      }
    },
    async handle(request) {
      return toResponse(await run(request?.headers ?? {}, request?.body ?? '', request ?? {}));
    },
    async fetch(request) {
      try {
        const { method, headers } = request;
        const early = view.precheck({ method, headers, bodyBytes: contentLength(headers) });
        if (early !== undefined) {
          request.body?.cancel().catch(() => {});
          return toWebResponse(early);
        }
        const body = await readWebBody(request.body, maxBodyBytes, bodyTimeoutMs);
        if (body === 'timed_out') return toWebResponse(view.timedOut(), true);
        if (body === 'too_large') {
          return toWebResponse(view.precheck({ method, headers, bodyBytes: maxBodyBytes + 1 })!, true);
        }
        return toWebResponse(await receiver.handle({ method, headers, body }));
      } catch (error) {
        return toWebResponse(fail(error, 'the request could not be read'));
      }
    },
    handleMessage: (message: ReceiverMessage) => run(message?.headers ?? {}, message?.body ?? '', undefined),
    health: () => stats.health(),
  };
  return receiver as unknown as Receiver<C, U>;
}
