/**
 * One POST over `node:http`/`node:https`, answer read and discarded so the keep-alive socket goes back to the pool.
 *
 * @module
 */
import type { Agent, ClientRequest, OutgoingHttpHeaders, RequestOptions, request } from 'node:http';
import { onAbort as registerAbort } from '../../publisher/attempt-context.js';
import type { SendContext, TransportResult } from '../transport.js';
import { abortedResult, classifyResponse, networkFailure } from './classify-response.js';
import { endpointOf } from './mask-url.js';
import type { NodeHttp } from './node-http.js';

/** Bytes of a failed answer kept to read its JSON `error` code. */
const SNIPPET_BYTES = 512;

/**
 * @internal a parsed target, computed once per transport
 *
 * @example
 * ```ts
 * const target: NodeTarget = nodeTarget(modules, new URL(url), agent)
 * ```
 */
export interface NodeTarget {
  readonly request: typeof request;
  readonly options: RequestOptions;
  /** Origin and path, for messages: no credentials, no query. */
  readonly endpoint: string;
}

/**
 * @internal
 * @example
 * ```ts
 * const target = nodeTarget(modules, new URL('http://127.0.0.1:3000/webhooks'), agent)
 * ```
 */
export function nodeTarget(modules: NodeHttp, url: URL, agent: Agent | false | undefined): NodeTarget {
  const secure = url.protocol === 'https:';
  const options: RequestOptions = {
    protocol: url.protocol,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    path: `${url.pathname}${url.search}`,
    method: 'POST',
  };
  if (agent !== undefined) options.agent = agent;
  if (url.username !== '' || url.password !== '') {
    options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  return { request: secure ? modules.https.request : modules.http.request, options, endpoint: endpointOf(url) };
}

/**
 * @internal Never rejects: every failure becomes a result. Aborts through the context's cheap hook when it has one
 * (the publisher's attempts do), else through `context.signal`; never through the request's `signal` option, whose
 * listeners cost more than the rest of the request's bookkeeping.
 * @example
 * ```ts
 * const result = await nodePost(target, headers, body, context)
 * ```
 */
export function nodePost(
  target: NodeTarget,
  headers: OutgoingHttpHeaders,
  body: string,
  context: SendContext,
): Promise<TransportResult> {
  return new Promise((resolve) => {
    let done = false;
    let request: ClientRequest | undefined;
    let unlisten: (() => void) | undefined;
    const finish = (result: TransportResult): void => {
      if (done) return;
      done = true;
      unlisten?.();
      resolve(result);
    };
    const onAbort = (reason: unknown): void => {
      if (done) return;
      finish(abortedResult(reason));
      request?.destroy();
    };
    if (!registerAbort(context, onAbort)) {
      const { signal } = context;
      if (signal.aborted) return onAbort(signal.reason);
      const listener = (): void => onAbort(signal.reason);
      signal.addEventListener('abort', listener, { once: true });
      unlisten = () => signal.removeEventListener('abort', listener);
    }
    if (done) return;
    try {
      request = target.request({ ...target.options, headers });
    } catch (error) {
      finish(networkFailure(error));
      return;
    }
    request.on('error', (error) => finish(networkFailure(error)));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      response.on('error', ignore);
      if (status >= 200 && status < 300) {
        // The status is the receiver's verdict: settle now. The body is drained in the background, which hands the
        // keep-alive socket back to the agent; a body cut short after a 2xx does not change the verdict.
        response.resume();
        finish({ ok: true, status });
        return;
      }
      let snippet = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (snippet.length < SNIPPET_BYTES) snippet += chunk.slice(0, SNIPPET_BYTES - snippet.length);
      });
      const settle = (): void =>
        finish(classifyResponse(status, headerValue(response.headers['retry-after']), snippet, target.endpoint));
      response.on('end', settle);
      response.on('close', settle);
    });
    request.end(body);
  });
}

function ignore(): void {}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
