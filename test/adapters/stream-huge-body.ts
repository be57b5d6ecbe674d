// Streams a huge body (chunked, no Content-Length) and counts how many bytes the server let the client push. It keeps
// pushing after the answer arrives, so a server that drains the rest of the body (instead of closing) is caught.
import { request } from 'node:http';
import { Readable } from 'node:stream';

const CHUNK = Buffer.alloc(64 * 1024, 0x20);

export interface StreamResult {
  status?: number;
  error?: string;
  /** Bytes the client produced before the server answered or closed. */
  pulled: number;
}

export function streamHugeBody(url: string, total: number, path = '/webhooks/buddy-events'): Promise<StreamResult> {
  return new Promise((resolve) => {
    let pulled = 0;
    let done = false;
    const finish = (result: Omit<StreamResult, 'pulled'>): void => {
      if (done) return;
      done = true;
      source.destroy();
      req.destroy();
      resolve({ ...result, pulled });
    };
    const source = new Readable({
      read() {
        if (pulled >= total) return void this.push(null);
        pulled += CHUNK.length;
        this.push(CHUNK);
      },
    });
    const req = request(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      agent: false,
    });
    let status: number | undefined;
    const withStatus = (extra: Omit<StreamResult, 'pulled'>) => (status === undefined ? extra : { ...extra, status });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('close', () => setTimeout(() => finish(withStatus({ error: 'closed' })), 200));
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish(withStatus({ error: error.code ?? error.message })));
    req.on('finish', () => finish(withStatus({ error: 'all sent' })));
    source.pipe(req);
    // Bounded: a server that drains everything still ends the test.
    setTimeout(() => finish({ error: 'timeout' }), 20_000).unref();
  });
}
