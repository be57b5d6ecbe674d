/**
 * Child process: the HTTP sink the publishing benchmarks send to. `ok` drains each body and answers 200 `{}`;
 * `stall` reads the body and never answers (the memory benchmark fills the publisher's queue against it).
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from '../lib/child.js';

let received = 0;

serveParent(async (msg) => {
  const { op, mode } = msg as { op: 'start' | 'count'; mode?: 'ok' | 'stall' };
  if (op === 'count') return received;
  const server = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      received++;
      if (mode === 'stall') return;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port };
});
