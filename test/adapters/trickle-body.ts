// A slow-loris client: it declares a body and sends it a few bytes at a time, far slower than any deadline, and
// records when the server answered and when it closed the connection.
import { request } from 'node:http';

export interface TrickleResult {
  status?: number;
  json?: Record<string, unknown>;
  headers?: Record<string, string | string[] | undefined>;
  /** Milliseconds from the first byte sent to the answer's headers. */
  answeredMs?: number;
  /** Milliseconds from the first byte sent to the server closing the connection. */
  closedMs?: number;
  /** Body bytes sent before the connection closed. */
  sent: number;
}

export function trickleBody(
  url: string,
  options: {
    path?: string;
    headers?: Record<string, string>;
    bytes?: number;
    everyMs?: number;
    giveUpMs?: number;
  } = {},
): Promise<TrickleResult> {
  const { bytes = 2048, everyMs = 100, giveUpMs = 15_000 } = options;
  return new Promise((resolve) => {
    const started = Date.now();
    const result: TrickleResult = { sent: 0 };
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(giveUp);
      req.destroy();
      resolve(result);
    };
    const req = request(new URL(options.path ?? '/webhooks/buddy-events', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(bytes), ...options.headers },
      agent: false,
    });
    req.flushHeaders();
    const timer = setInterval(() => {
      if (result.sent >= bytes - 1) return; // never complete the body
      result.sent += 1;
      req.write(result.sent === 1 ? '{' : ' ');
    }, everyMs);
    req.on('socket', (socket) => {
      socket.on('close', () => {
        result.closedMs = Date.now() - started;
        // Let the answer's body arrive first when both come together.
        setTimeout(finish, 50);
      });
    });
    req.on('response', (res) => {
      result.answeredMs = Date.now() - started;
      result.status = res.statusCode ?? 0;
      result.headers = res.headers;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          result.json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {}
      });
    });
    req.on('error', () => {});
    // Bounded: a server that never answers still ends the test.
    const giveUp = setTimeout(finish, giveUpMs);
  });
}
