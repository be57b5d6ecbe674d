/**
 * A reverse proxy on 127.0.0.1 that breaks a share of the requests on purpose before they reach the real receiver:
 * 503, 429 with `Retry-After`, a dropped connection, a slow answer, or a lost acknowledgement (the receiver
 * processed the event but the answer never arrives, so the publisher retries and the receiver sees a duplicate).
 *
 * @module
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The ways a request is broken.
 *
 * @example
 * ```ts
 * for (const fault of FAULTS) console.log(fault, proxy.injected[fault])
 * ```
 */
export const FAULTS = ['http_503', 'http_429', 'reset', 'slow', 'lost_ack'] as const;
/**
 * One of {@link FAULTS}.
 *
 * @example
 * ```ts
 * const fault: Fault = 'lost_ack'
 * ```
 */
export type Fault = (typeof FAULTS)[number];

/**
 * Options of {@link startFailingProxy}.
 *
 * @example
 * ```ts
 * const options: FailingProxyOptions = { upstream: server.url, failureRate: 0.3, random, slowMaxMs: 1500 }
 * ```
 */
export interface FailingProxyOptions {
  /** Where healthy requests go, e.g. `http://127.0.0.1:4000`. */
  upstream: string;
  /** Share of requests broken, 0..1. */
  failureRate: number;
  /** Random source in [0, 1). */
  random: () => number;
  /** Longest delay of a slow answer, in ms: above the publisher's attempt timeout, some slow answers time out. */
  slowMaxMs: number;
}

/**
 * A running proxy.
 *
 * @example
 * ```ts
 * const proxy: FailingProxy = await startFailingProxy(options)
 * proxy.setFailureRate(0)
 * ```
 */
export interface FailingProxy {
  readonly url: string;
  /** Faults injected so far, by kind. */
  readonly injected: Readonly<Record<Fault, number>>;
  /** Requests forwarded to the receiver (slow and lost-ack ones included). */
  readonly forwarded: number;
  /** Changes the share of broken requests, e.g. 0 once "the endpoint recovered". */
  setFailureRate(rate: number): void;
  /**
   * Resolves once no request is held or being forwarded (a slow answer still lands at the receiver after the
   * publisher gave up on it), or after `timeoutMs`.
   */
  idle(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the proxy on a free port of 127.0.0.1.
 *
 * @example
 * ```ts
 * const proxy = await startFailingProxy({ upstream: receiverUrl, failureRate: 0.3, random: Math.random, slowMaxMs: 1500 })
 * ```
 */
export async function startFailingProxy(options: FailingProxyOptions): Promise<FailingProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const injected = Object.fromEntries(FAULTS.map((fault) => [fault, 0])) as Record<Fault, number>;
  let failureRate = options.failureRate;
  let forwarded = 0;
  // Requests held (slow) or on their way to the receiver; `idle()` waits for none.
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  const settled = (): void => {
    inFlight--;
    if (inFlight === 0) onIdle?.();
  };

  const forward = async (req: IncomingMessage, res: ServerResponse, dropAnswer: boolean): Promise<void> => {
    inFlight++;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      settled();
      return; // the publisher gave up on this attempt (timeout) while the answer was slow
    }
    forwarded++;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      settled();
    };
    const upstreamReq = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        answer.once('close', end);
        if (dropAnswer) {
          answer.resume();
          answer.once('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstreamReq.once('error', () => {
      end();
      res.socket?.destroy();
    });
    upstreamReq.end(Buffer.concat(chunks));
  };

  const server = createServer((req, res) => {
    const fault = req.method === 'POST' && options.random() < failureRate ? pick(options.random) : undefined;
    if (fault !== undefined) injected[fault]++;
    switch (fault) {
      case 'http_503':
        res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
        return void res.end('{"error":"unavailable","message":"the demo proxy failed on purpose"}');
      case 'http_429':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' });
        return void res.end('{"error":"rate_limited","message":"the demo proxy rate-limits on purpose"}');
      case 'reset':
        return void req.socket.destroy();
      case 'slow':
        inFlight++;
        return void setTimeout(() => {
          void forward(req, res, false); // counted in flight before this hold is counted out
          settled();
        }, options.random() * options.slowMaxMs);
      case 'lost_ack':
        return void forward(req, res, true);
      default:
        return void forward(req, res, false);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    get forwarded() {
      return forwarded;
    },
    setFailureRate(rate) {
      failureRate = rate;
    },
    idle(timeoutMs) {
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done(): void {
          clearTimeout(timer);
          onIdle = undefined;
          resolve();
        }
        onIdle = done;
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}

function pick(random: () => number): Fault {
  return FAULTS[Math.floor(random() * FAULTS.length)] as Fault;
}
