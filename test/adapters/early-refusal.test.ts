// A sender in another process that is still writing a body the receiver refused by its declared length must get the
// 413, not a reset: a reset can overtake the answer, and the sender would then retry a network error instead of
// dead-lettering a permanent refusal. Another process, because within one the event loop orders everything and the
// race never shows.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver } from '../../src/index.js';
import { type Running, SERVER_KINDS, startServer } from './servers.js';

const SENDS = 8;
// Sends SENDS bodies of 1 MiB + 1 byte, each on a keep-alive connection of its own as a publisher holds, and prints
// what each got: the status, or the socket error.
const SENDER = `
const http = require('node:http');
const url = process.argv[1];
const body = Buffer.alloc(1024 * 1024 + 1, 0x20);
const one = () => new Promise((resolve) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } });
  req.on('response', (res) => { res.resume(); res.on('end', () => { agent.destroy(); resolve(String(res.statusCode)); }); });
  req.on('error', (error) => { agent.destroy(); resolve(error.code); });
  req.end(body);
});
(async () => { const out = []; for (let i = 0; i < ${SENDS}; i++) out.push(await one()); console.log(out.join(' ')); })();
`;

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe.each(SERVER_KINDS)('%s: an oversized body refused by its declared length', (kind) => {
  it('reaches a keep-alive sender still writing it as a 413, every time', async () => {
    const receiver = createReceiver({ secret: 'early-refusal-secret-0123456789abcdef', logger: false });
    running = await startServer(kind, receiver);
    const answers = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', SENDER, `${running!.url}/webhooks/buddy-events`], (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      ),
    );
    expect(answers.split(' ')).toEqual(Array.from({ length: SENDS }, () => '413'));
  });
});

describe('node:http: the unread rest of a refused body', () => {
  it('is drained within bodyTimeoutMs, then a stalled sender is cut off', async () => {
    const receiver = createReceiver({
      secret: 'early-refusal-secret-0123456789abcdef',
      logger: false,
      bodyTimeoutMs: 300,
    });
    running = await startServer('node:http', receiver);
    const { port } = new URL(running.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
    // Declares 2 MiB, sends a few bytes, then stalls without closing.
    socket.write(
      `POST /webhooks/buddy-events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n{"a"`,
    );
    const started = performance.now();
    const at = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(at - started).toBeGreaterThanOrEqual(250);
    expect(at - started).toBeLessThan(5000);
  });
});
