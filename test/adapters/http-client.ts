// A small node:http client for the adapter tests: any header, any bytes, and the answer parsed.
import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown>;
}

export const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function send(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: string | Uint8Array },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path ?? '/webhooks/buddy-events', url);
    const headers: Record<string, string | string[]> = { ...options.headers };
    // Node frames a DELETE body with neither Content-Length nor chunking unless told: say the length.
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = request(target, { method: options.method ?? 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
