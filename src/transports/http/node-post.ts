/**
 * One POST over `node:http`/`node:https`, answer read and discarded so the keep-alive socket goes back to the pool.
 *
 * @module
 */
import http, { type Agent, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { TransportResult } from '../transport.js';
import { classifyResponse, failureWithoutAnswer } from './classify-response.js';

/** Bytes of a failed answer kept to read its JSON `error` code. */
const SNIPPET_BYTES = 512;

/** @internal a parsed target, computed once per transport */
export interface NodeTarget {
  readonly request: typeof http.request;
  readonly options: http.RequestOptions;
  readonly origin: string;
}

/**
 * @internal
 * @example
 * ```ts
 * const target = nodeTarget(new URL('http://127.0.0.1:3000/webhooks'), agent)
 * ```
 */
export function nodeTarget(url: URL, agent: Agent | false | undefined): NodeTarget {
  const secure = url.protocol === 'https:';
  const options: http.RequestOptions = {
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
  return { request: secure ? https.request : http.request, options, origin: url.origin };
}

/**
 * @internal Never rejects: every failure becomes a result.
 * @example
 * ```ts
 * const result = await nodePost(target, headers, body, signal)
 * ```
 */
export function nodePost(
  target: NodeTarget,
  headers: OutgoingHttpHeaders,
  body: string,
  signal: AbortSignal,
): Promise<TransportResult> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: TransportResult): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    let request: http.ClientRequest;
    try {
      request = target.request({ ...target.options, headers, signal });
    } catch (error) {
      finish(failureWithoutAnswer(error, signal));
      return;
    }
    request.on('error', (error) => finish(failureWithoutAnswer(error, signal)));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      response.on('error', () => {});
      if (status >= 200 && status < 300) {
        const ok: TransportResult = { ok: true, status };
        // The status is the receiver's verdict; a body cut short after it does not change it.
        response.on('end', () => finish(ok));
        response.on('close', () => finish(ok));
        response.resume();
        return;
      }
      let snippet = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (snippet.length < SNIPPET_BYTES) snippet += chunk.slice(0, SNIPPET_BYTES - snippet.length);
      });
      const settle = (): void =>
        finish(classifyResponse(status, headerValue(response.headers['retry-after']), snippet, target.origin));
      response.on('end', settle);
      response.on('close', settle);
    });
    request.end(body);
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
