/**
 * `flakyServer`: a real `node:http` server on 127.0.0.1 that fails on purpose (5xx, 429, dropped connections, slow
 * answers), for tests, the demo and load runs. It counts what it received, by event id. `node:http` is imported when a
 * server starts, so `./testing` (its signed-request builder and samples) also loads where Node's modules are missing.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A way to fail: an HTTP status, `reset` (the connection is dropped) or `slow` (a 200 after `slowMs`).
 *
 * @example
 * ```ts
 * flakyServer({ failures: ['503', 'reset'] })
 * ```
 */
export type FlakyFailure = '500' | '502' | '503' | '504' | '408' | '429' | 'reset' | 'slow';

/**
 * Options of {@link flakyServer}.
 *
 * @example
 * ```ts
 * flakyServer({ failureRate: 0.5, failures: ['429'], retryAfter: '2' })
 * ```
 */
export interface FlakyServerOptions {
  /** Share of requests that fail, in [0, 1]. @default 0.3 */
  failureRate?: number;
  /** Failures drawn from, uniformly. @default ['500', '503', '429', 'reset', 'slow'] */
  failures?: readonly FlakyFailure[];
  /** Delay of a `slow` answer. @default 10000 */
  slowMs?: number;
  /** `Retry-After` sent with 429 and 503. @default '1' */
  retryAfter?: string;
  /** Random source in [0, 1). @default Math.random */
  random?: () => number;
  /** Path answered; any other path gets 404. @default any path */
  path?: string;
}

/**
 * What a {@link FlakyServer} saw.
 *
 * @example
 * ```ts
 * expect(server.stats.deliveredIds).toBe(1000)
 * ```
 */
export interface FlakyServerStats {
  /** Requests received. */
  received: number;
  /** Distinct event ids received. */
  uniqueIds: number;
  /** Distinct event ids that got a 2xx. */
  deliveredIds: number;
  /** Requests answered 2xx (slow answers included, unless the client had gone by then). */
  succeeded: number;
  /** Failures by kind. */
  failures: Record<FlakyFailure, number>;
}

/**
 * A running flaky server.
 *
 * @example
 * ```ts
 * const server: FlakyServer = await flakyServer(); await server.close()
 * ```
 */
export interface FlakyServer {
  /** `http://127.0.0.1:<port>/webhooks/buddy-events` (or your `path`). */
  readonly url: string;
  readonly stats: FlakyServerStats;
  /** Event ids received at least once. */
  readonly ids: ReadonlySet<string>;
  /** Event ids answered 2xx at least once. */
  readonly delivered: ReadonlySet<string>;
  close(): Promise<void>;
}

/**
 * The defaults of {@link FlakyServerOptions}.
 *
 * @example
 * ```ts
 * flakyServer({ ...DEFAULT_FLAKY_SERVER, failureRate: 0.5 })
 * ```
 */
export const DEFAULT_FLAKY_SERVER = Object.freeze({
  failureRate: 0.3,
  failures: Object.freeze(['500', '503', '429', 'reset', 'slow'] as const),
  slowMs: 10_000,
  retryAfter: '1',
  path: undefined,
});

/**
 * Starts a flaky server on 127.0.0.1, on a free port. The event id is read from the body (`metadata.id` or the
 * flat `id`), falling back to the delivery id headers; signatures are not checked.
 *
 * @example
 * ```ts
 * const server = await flakyServer({ failureRate: 0.3, random: seeded(42) })
 * const publisher = createPublisher({ transport: httpTransport({ url: server.url, secret: 'test-secret' }) })
 * // ... publish ...
 * console.log(server.stats)
 * await server.close()
 * ```
 */
export async function flakyServer(options: FlakyServerOptions = {}): Promise<FlakyServer> {
  const failureRate = options.failureRate ?? DEFAULT_FLAKY_SERVER.failureRate;
  const failures = options.failures ?? DEFAULT_FLAKY_SERVER.failures;
  const slowMs = options.slowMs ?? DEFAULT_FLAKY_SERVER.slowMs;
  const retryAfter = options.retryAfter ?? DEFAULT_FLAKY_SERVER.retryAfter;
  const random = options.random ?? Math.random;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new TypeError(`failureRate must be in [0, 1], got ${failureRate}`);
  if (failureRate > 0 && failures.length === 0) throw new TypeError('failures must name at least one failure');
  const ids = new Set<string>();
  const delivered = new Set<string>();
  const stats: FlakyServerStats = {
    received: 0,
    uniqueIds: 0,
    deliveredIds: 0,
    succeeded: 0,
    failures: { '500': 0, '502': 0, '503': 0, '504': 0, '408': 0, '429': 0, reset: 0, slow: 0 },
  };
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const succeed = (res: ServerResponse, id: string | undefined): void => {
    if (res.destroyed) return;
    stats.succeeded += 1;
    if (id !== undefined && !delivered.has(id)) {
      delivered.add(id);
      stats.deliveredIds = delivered.size;
    }
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ acknowledged: true, eventId: id }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    if (options.path !== undefined && req.url?.split('?')[0] !== options.path) {
      res.writeHead(404).end();
      return;
    }
    stats.received += 1;
    const id = eventIdOf(body, req);
    if (id !== undefined && !ids.has(id)) {
      ids.add(id);
      stats.uniqueIds = ids.size;
    }
    if (failureRate === 0 || random() >= failureRate) {
      succeed(res, id);
      return;
    }
    const failure = failures[Math.min(failures.length - 1, Math.floor(random() * failures.length))] as FlakyFailure;
    stats.failures[failure] += 1;
    if (failure === 'reset') {
      req.socket.destroy();
      return;
    }
    if (failure === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        succeed(res, id);
      }, slowMs);
      timers.add(timer);
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (failure === '429' || failure === '503') headers['retry-after'] = retryAfter;
    res.writeHead(Number(failure), headers);
    res.end(JSON.stringify({ error: `simulated_${failure}` }));
  };

  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.path ?? '/webhooks/buddy-events'}`,
    stats,
    ids,
    delivered,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function eventIdOf(body: string, req: IncomingMessage): string | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown; metadata?: { id?: unknown } };
    const id = parsed.metadata?.id ?? parsed.id;
    if (typeof id === 'string') return id;
  } catch {
    // Not JSON: fall back to the headers.
  }
  const header = req.headers['x-webhook-id'] ?? req.headers['webhook-id'] ?? req.headers['x-delivery-id'];
  return typeof header === 'string' ? header : undefined;
}
