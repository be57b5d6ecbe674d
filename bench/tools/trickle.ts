/**
 * `npx tsx bench/tools/trickle.ts [node|express|fastify|hono] [connections=100] [maxSeconds=320]`: opens
 * `connections` sockets to a receiver in a child process, each declaring a 1 KiB JSON body and sending it one byte
 * per second (a slow-loris body), and reports how long the server held them and what they cost it in memory. A
 * receiver with a body-read deadline answers 408 and closes at the deadline; without one, Node holds the sockets
 * until its `requestTimeout` (300 s).
 *
 * @module
 */
import { connect, type Socket } from 'node:net';
import { forkChild } from '../lib/child.js';
import type { TrickleFramework } from './trickle-server.js';

const [framework = 'node', count = '100', maxSecondsArg = '320'] = process.argv.slice(2);
const CONNECTIONS = Number(count);
const MAX_SECONDS = Number(maxSecondsArg);
const BODY_BYTES = 1024;
const INTERVAL_MS = 1000;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}
interface Held {
  status: string;
  heldMs: number;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function trickle(port: number, started: number): Promise<Held> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let status = 'none';
    let sent = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      socket.destroy();
      resolve({ status, heldMs: Date.now() - started });
    };
    const timer = setInterval(() => {
      if (sent >= BODY_BYTES - 1 || Date.now() - started > MAX_SECONDS * 1000) return finish();
      sent++;
      socket.write(' ');
    }, INTERVAL_MS);
    socket.on('connect', () => {
      socket.write(
        `POST /webhooks/buddy-events HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${BODY_BYTES}\r\n\r\n{`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (status === 'none') status = chunk.toString('latin1').split(' ')[1] ?? '?';
    });
    socket.on('close', finish);
    socket.on('error', finish);
  });
}

const server = forkChild(new URL('./trickle-server.ts', import.meta.url), { execArgv: ['--expose-gc'] });
try {
  const { port } = await server.call<{ port: number }>({
    op: 'start',
    framework: framework as TrickleFramework,
    secret: 'trickle-secret-0123456789abcdef-0123',
  });
  const before = await server.call<Memory>({ op: 'memory' });
  const started = Date.now();
  let peak = before;
  let open = CONNECTIONS;
  const all = Promise.all(
    Array.from({ length: CONNECTIONS }, () =>
      trickle(port, started).then((held) => {
        open--;
        return held;
      }),
    ),
  );
  let running = true;
  const sampling = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 2000));
      const m = await server.call<Memory>({ op: 'memory' }).catch(() => undefined);
      if (m !== undefined && m.rss > peak.rss) peak = m;
    }
  })();
  const held = await all;
  running = false;
  await sampling;
  const ms = held.map((h) => h.heldMs).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const h of held) statuses[h.status] = (statuses[h.status] ?? 0) + 1;
  console.log(`${framework}: ${CONNECTIONS} trickling connections (1 byte/s of a ${BODY_BYTES}-byte body)`);
  console.log(
    `  held: min ${(ms[0]! / 1000).toFixed(1)} s, median ${(ms[ms.length >> 1]! / 1000).toFixed(1)} s, max ${(ms.at(-1)! / 1000).toFixed(1)} s (cap ${MAX_SECONDS} s); answers ${JSON.stringify(statuses)}; still open ${open}`,
  );
  console.log(
    `  server memory: rss ${mib(before.rss)} → peak ${mib(peak.rss)} (+${mib(peak.rss - before.rss)}), heap ${mib(before.heapUsed)} → ${mib(peak.heapUsed)}`,
  );
} finally {
  await server.stop();
}
