/**
 * One probe request over `node:http` or `node:https`, on a keep-alive connection of its own (an answer that closes the
 * connection, as a 413 may, cannot disturb the next probe), timed from the request to the end of the answer.
 *
 * @module
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * What to send.
 *
 * @example `const probe: ProbeRequest = { headers: { 'content-type': 'application/json' }, body: '{}' }`
 */
export interface ProbeRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * What came back: an answer, or the reason there was none.
 *
 * @example `if (result.status === undefined) console.log(result.error)`
 */
export interface ProbeResult {
  readonly status?: number;
  /** The answer's JSON body, when it was JSON. */
  readonly json?: Readonly<Record<string, unknown>>;
  /** Why there was no answer. */
  readonly error?: string;
  readonly latencyMs: number;
}

/** The part of an answer body kept for its message. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs `probe` to `url`.
 *
 * @example `const result = await sendProbe(new URL(url), probe, 10_000)`
 */
export function sendProbe(url: URL, probe: ProbeRequest, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      agent.destroy();
      resolve(result);
    };
    const https = url.protocol === 'https:';
    const request = https ? httpsRequest : httpRequest;
    // A keep-alive connection of the probe's own, as a real sender holds: with `Connection: close` a server that
    // answers before reading the body (a 413) closes the socket at once, and the reset can overtake its answer.
    const agent = https
      ? new HttpsAgent({ keepAlive: true, maxSockets: 1 })
      : new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { ...probe.headers, 'content-length': String(Buffer.byteLength(probe.body)) },
    });
    const timer = setTimeout(() => {
      done({ error: `no answer within ${timeoutMs} ms`, latencyMs: elapsed() });
      req.destroy();
    }, timeoutMs);
    let answered = false;
    req.once('response', (res) => {
      answered = true;
      void readAnswer(res).then((json) => {
        done({ status: res.statusCode!, ...json, latencyMs: elapsed() });
      });
    });
    // An error after the answer (the server closed while the rest of a large body was still being written) changes
    // nothing: the answer is what counts, and readAnswer keeps what arrived.
    req.once('error', (error: NodeJS.ErrnoException) => {
      if (!answered) done({ error: describeError(error), latencyMs: elapsed() });
    });
    req.end(probe.body);
  });
}

async function readAnswer(res: IncomingMessage): Promise<{ json?: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res) {
      if (size < MAX_ANSWER_BYTES) chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch {
    // The connection closed mid-answer: keep what arrived.
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { json: value as Record<string, unknown> }
      : {};
  } catch {
    return {};
  }
}

function describeError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused: is the receiver running at this address?';
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return 'the connection was closed without an answer';
  if (error.code === 'ENOTFOUND') return 'the host name does not resolve';
  return error.message;
}
