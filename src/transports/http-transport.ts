/**
 * `httpTransport`: webhooks over `node:http`/`node:https` with a keep-alive agent (about five times the events/s of
 * Node 20's global `fetch` here), or over the global `fetch` where the runtime has no `node:http`; signed per attempt,
 * classified for the publisher's retry policy.
 *
 * @module
 */
import type { Agent, OutgoingHttpHeaders } from 'node:http';
import type { SendContext, Transport, TransportMessage, TransportResult } from '../delivery/transport.js';
import { serializeEvent } from '../envelope/serialize-event.js';
import { ConfigError, TransportError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { createSigner } from '../signing/create-signer.js';
import { encodeBase64 } from '../signing/encoding.js';
import { schemeBodyShape } from '../signing/schemes/registry.js';
import { DEFAULT_SCHEME, type KeyEncoding, type SchemeName, type SecretInput } from '../signing/types.js';
import { VERSION } from '../version.js';
import { fetchPost } from './http/fetch-post.js';
import { endpointOf, maskUrl } from './http/mask-url.js';
import { type NodeHttp, nodeHttp } from './http/node-http.js';
import { nodePost, nodeTarget } from './http/node-post.js';

/**
 * Options of {@link httpTransport}.
 *
 * @example
 * ```ts
 * httpTransport({ url, secrets: [newSecret, oldSecret], scheme: 'standard-webhooks', headers: { 'x-tenant': 'buddy' } })
 * ```
 */
export interface HttpTransportOptions {
  /**
   * The receiver's endpoint, an absolute `http:` or `https:` URL. `undefined` is accepted by the types (a value read
   * from the environment) and refused at run time with a `TypeError` that says so.
   */
  url: string | URL | undefined;
  /**
   * The shared secret. Give `secret` or `secrets`. An explicit `undefined` (an unset environment variable) is refused
   * at run time with a `ConfigError` that says so. @default undefined
   */
  secret?: SecretInput | undefined;
  /** Several secrets, each signing (rotation without downtime). @default undefined */
  secrets?: readonly SecretInput[];
  /** The signature scheme; `buddy-connector` also sends the flat envelope. @default 'teei-v1' */
  scheme?: SchemeName;
  /** How a string secret becomes key bytes. @default 'auto' */
  keyEncoding?: KeyEncoding;
  /**
   * Socket idle timeout of the transport itself. The publisher already bounds each attempt (`retry.timeoutMs`);
   * set this when you call `send` directly. @default undefined
   */
  timeoutMs?: number;
  /**
   * Extra headers on every request. They cannot override the signature headers, `content-type`, `user-agent`, or
   * the framing (`content-length`, `transfer-encoding`). @default {}
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * A `node:http(s)` Agent of your own, or `false` for a socket per request; unused where the transport sends
   * through `fetch`. @default a keep-alive Agent, 128 sockets
   */
  agent?: Agent | false;
  /**
   * Send through this `fetch` instead of `node:http` (undici, an edge runtime). Without it, the transport uses
   * `node:http` where the runtime has it (Node, Bun, Deno) and the global `fetch` elsewhere (Cloudflare workerd).
   * @default undefined
   */
  fetch?: typeof globalThis.fetch;
  /** Where the signer's one-time secret warnings go. @default process.emitWarning */
  logger?: Logger;
  /** The transport's name in logs, metrics and dead letters. @default 'http' */
  name?: string;
  /**
   * The clock each attempt is signed with, in milliseconds since the epoch (as `RateLimitOptions.now`): tests and
   * simulations move it instead of waiting. @default Date.now
   */
  now?: () => number;
}

/**
 * The defaults of {@link HttpTransportOptions}.
 *
 * @example
 * ```ts
 * new Agent({ keepAlive: true, maxSockets: DEFAULT_HTTP_TRANSPORT.maxSockets })
 * ```
 */
export const DEFAULT_HTTP_TRANSPORT = Object.freeze({ scheme: DEFAULT_SCHEME, maxSockets: 128, name: 'http' });

/**
 * A webhook transport. The body is serialised once per message and cached across its attempts; each attempt is
 * signed afresh (same delivery id, new timestamp). 2xx succeeds; network errors, timeouts, 408, 409, 425, 429 and 5xx are
 * retryable (with `Retry-After`); any other status is permanent, 3xx included (redirects are not followed).
 *
 * @throws {TypeError} for a bad `url` (the message shows it, credentials masked), `timeoutMs` or `scheme`.
 * @throws {ConfigError} for a missing or bad secret.
 * @example
 * ```ts
 * const transport = httpTransport({ url: process.env.CSR_WEBHOOK_URL, secret: process.env.CSR_WEBHOOK_SECRET })
 * const publisher = createPublisher({ transport, catalog: buddyCatalog })
 * ```
 */
export function httpTransport(options: HttpTransportOptions): Transport {
  if (typeof options !== 'object' || options === null) throw new TypeError('httpTransport(options): options required');
  const url = parseUrl(options.url);
  if ('secret' in options && options.secret === undefined && options.secrets === undefined) {
    throw new ConfigError(
      'httpTransport: secret is undefined; the value given was not set (is its environment variable, e.g. ' +
        'CSR_WEBHOOK_SECRET, defined?). Give the shared secret.',
      { option: 'secret' },
    );
  }
  const scheme = options.scheme ?? DEFAULT_HTTP_TRANSPORT.scheme;
  const shape = schemeBodyShape(scheme);
  const signer = createSigner(signerOptions(options, scheme));
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new TypeError(`timeoutMs must be a positive number, got ${String(timeoutMs)}`);
  }
  const baseHeaders: Record<string, string> = {
    ...userHeaders(options.headers ?? {}),
    'content-type': 'application/json',
    'user-agent': `teei-event-relay/${VERSION}`,
  };
  const endpoint = endpointOf(url);
  let ownAgent: Agent | undefined;
  const viaNode = (modules: NodeHttp): Dispatch => {
    if (options.agent === undefined) {
      const Agent = url.protocol === 'https:' ? modules.https.Agent : modules.http.Agent;
      ownAgent = new Agent({ keepAlive: true, maxSockets: DEFAULT_HTTP_TRANSPORT.maxSockets });
    }
    const target = nodeTarget(modules, url, options.agent ?? ownAgent);
    return (wire, signed, context) => {
      wire.length ??= Buffer.byteLength(wire.text);
      const headers: OutgoingHttpHeaders = Object.assign({ 'content-length': wire.length }, baseHeaders, signed);
      return nodePost(target, headers, wire.text, context);
    };
  };
  const viaFetch = (fetchImpl: typeof globalThis.fetch): Dispatch => {
    // fetch refuses a URL with credentials, quoting the whole URL (password included) in its error, which would then
    // reach logs and dead letters: send them as the Basic header node:http would build.
    const headers = { ...baseHeaders };
    const href = withoutCredentials(url, headers);
    return (wire, signed, context) =>
      fetchPost(fetchImpl, href, { ...headers, ...signed }, wire.text, context.signal, endpoint);
  };
  // node:http where the runtime has it (about five times the events/s of Node 20's fetch), else the global fetch
  // (workerd, browsers). On Node 20 before 20.16 the modules arrive by dynamic import: the first send waits for them.
  const choose = (modules: NodeHttp | undefined): Dispatch => (modules ? viaNode(modules) : viaFetch(globalFetch()));
  const modules = options.fetch === undefined ? nodeHttp() : undefined;
  let dispatch: Dispatch | Promise<Dispatch> =
    options.fetch !== undefined
      ? viaFetch(options.fetch)
      : modules instanceof Promise
        ? modules.then((loaded) => (dispatch = choose(loaded)))
        : choose(modules);
  // A failed load reaches the first send, which awaits `dispatch`; until then it must not count as unhandled.
  if (dispatch instanceof Promise) dispatch.catch(() => {});
  // The body is the same on every attempt: serialise it once; the WeakMap lets it go with the message. It stays a
  // string: node:http then writes headers and body in one write() instead of a writev() of two buffers, measured
  // here as the largest single cost of a request.
  const bodies = new WeakMap<TransportMessage, WireBody>();
  const signSync = signer.signSync;
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError(`httpTransport: now must be a function, got ${typeof now}`);

  const bodyOf = (message: TransportMessage): WireBody => {
    let wire = bodies.get(message);
    if (wire === undefined) {
      wire = { text: serializeEvent(message.envelope, shape) };
      bodies.set(message, wire);
    }
    return wire;
  };
  const send = (wire: WireBody, signed: Record<string, string>, context: SendContext): Promise<TransportResult> =>
    typeof dispatch === 'function'
      ? dispatch(wire, signed, context)
      : dispatch.then((ready) => ready(wire, signed, context));
  // Synchronous up to the request where node:crypto signs synchronously: no promise before the socket write.
  const post = (message: TransportMessage, context: SendContext): Promise<TransportResult> => {
    const wire = bodyOf(message);
    const input = { id: message.deliveryId, body: wire.text, timestamp: new Date(now()) };
    if (signSync) return send(wire, signSync(input), context);
    return signer.sign(input).then((signed) => send(wire, signed, context));
  };

  return {
    name: options.name ?? DEFAULT_HTTP_TRANSPORT.name,
    send(message: TransportMessage, context: SendContext): Promise<TransportResult> {
      if (timeoutMs === undefined) return post(message, context);
      return withTimeout(timeoutMs, context.signal, (signal) => post(message, { attempt: context.attempt, signal }));
    },
    async close() {
      ownAgent?.destroy();
    },
  };
}

/** A serialised body and, once the Node path has measured it, its length in bytes. */
interface WireBody {
  readonly text: string;
  length?: number;
}

/** Sends one signed attempt of a body. */
type Dispatch = (wire: WireBody, signed: Record<string, string>, context: SendContext) => Promise<TransportResult>;

function globalFetch(): typeof globalThis.fetch {
  if (typeof globalThis.fetch !== 'function') {
    throw new TypeError(
      'httpTransport: this runtime has neither node:http nor a global fetch; pass the `fetch` option',
    );
  }
  return globalThis.fetch.bind(globalThis);
}

const URL_EXAMPLE = 'https://csr.example/webhooks/buddy-events';

function parseUrl(value: string | URL | undefined): URL {
  if (value === undefined || value === null || value === '') {
    throw new TypeError(
      `httpTransport: url is ${value === '' ? 'empty' : String(value)}; give the receiver's absolute http: or https: URL, ` +
        `e.g. ${URL_EXAMPLE} (is its environment variable, e.g. CSR_WEBHOOK_URL, set?)`,
    );
  }
  const text = String(value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(
      `httpTransport: url must be an absolute http: or https: URL such as ${URL_EXAMPLE}; got "${maskUrl(text)}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`httpTransport: url must use http: or https:; got "${maskUrl(text)}"`);
  }
  return url;
}

function signerOptions(options: HttpTransportOptions, scheme: SchemeName): Parameters<typeof createSigner>[0] {
  const result: Parameters<typeof createSigner>[0] = { scheme };
  if (options.secret !== undefined) result.secret = options.secret;
  if (options.secrets !== undefined) result.secrets = options.secrets;
  if (options.keyEncoding !== undefined) result.keyEncoding = options.keyEncoding;
  if (options.logger !== undefined) result.logger = options.logger;
  return result;
}

/** Lowercased, without the framing headers: the transport alone knows the body's length. */
function userHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    const name = key.toLowerCase();
    if (name !== 'content-length' && name !== 'transfer-encoding') result[name] = value;
  }
  return result;
}

function withoutCredentials(url: URL, headers: Record<string, string>): string {
  if (url.username === '' && url.password === '') return url.href;
  const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  headers.authorization ??= `Basic ${encodeBase64(new TextEncoder().encode(user))}`;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare.href;
}

async function withTimeout<T>(ms: number, outer: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(outer.reason);
  if (outer.aborted) onAbort();
  else outer.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new TransportError('timeout', `no answer within ${ms} ms`)), ms);
  try {
    return await run(controller.signal);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onAbort);
  }
}
