/**
 * Child process: the publishing clients, all in one process so their rounds alternate on the same footing.
 * Raw loops sign (teei-v1, by hand) and send with node:http + keep-alive, `undici.request` or global fetch;
 * the SDK row is `publisher.enqueue` over `httpTransport` then `flush()`.
 *
 * @module
 */
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Agent, request as undiciRequest } from 'undici';
import { serveParent } from '../lib/child.js';
import { buddyCheckinData } from '../lib/payloads.js';
import { buddyCatalog, createPublisher, httpTransport } from '../lib/sdk.js';
import type { Row } from './rows.js';

const SECRET = 'bench-publisher-secret-0123456789';
const KEY = Buffer.from(SECRET);
const TYPE = 'buddy.checkin.completed';
const DATA = buddyCheckinData(1024);

/** What every raw loop does per event: a fresh envelope, compact JSON, a teei-v1 signature. */
function signedEvent(): { body: string; headers: Record<string, string> } {
  const id = randomUUID();
  const timestamp = new Date().toISOString();
  const body = JSON.stringify({ type: TYPE, data: DATA, metadata: { id, version: 'v1', timestamp } });
  const signature = createHmac('sha256', KEY).update(`${id}.${timestamp}.`).update(body).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-webhook-id': id,
      'x-webhook-timestamp': timestamp,
      'x-webhook-signature': `sha256=${signature}`,
    },
  };
}

const agents = new Map<number, http.Agent>();
const dispatchers = new Map<number, Agent>();
const makePublisher = (url: string, inFlight: number, maxQueue: number) =>
  createPublisher({
    transport: httpTransport({ url, secret: SECRET }),
    catalog: buddyCatalog,
    concurrency: inFlight,
    maxQueue,
  });
const publishers = new Map<number, ReturnType<typeof makePublisher>>();

function sendNodeHttp(url: URL, agent: http.Agent): Promise<void> {
  const { body, headers } = signedEvent();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function sendUndici(url: string, dispatcher: Agent): Promise<void> {
  const { body, headers } = signedEvent();
  const res = await undiciRequest(url, { method: 'POST', headers, body, dispatcher });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
}

async function sendFetch(url: string): Promise<void> {
  const { body, headers } = signedEvent();
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.text();
  if (res.status !== 200) throw new Error(`status ${res.status}`);
}

/** `count` events through `send`, `inFlight` at a time; returns events/s. */
async function loop(count: number, inFlight: number, send: () => Promise<void>): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (started < count) {
      started++;
      await send();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (count * 1000) / (performance.now() - t0);
}

async function measure(row: Row, inFlight: number, count: number, target: string): Promise<number> {
  const url = new URL(target);
  if (row === 'node:http keep-alive') {
    const agent = agents.get(inFlight) ?? new http.Agent({ keepAlive: true, maxSockets: inFlight });
    agents.set(inFlight, agent);
    return loop(count, inFlight, () => sendNodeHttp(url, agent));
  }
  if (row === 'undici.request') {
    const dispatcher = dispatchers.get(inFlight) ?? new Agent({ connections: inFlight });
    dispatchers.set(inFlight, dispatcher);
    return loop(count, inFlight, () => sendUndici(target, dispatcher));
  }
  if (row === 'global fetch') return loop(count, inFlight, () => sendFetch(target));
  let publisher = publishers.get(inFlight);
  if (!publisher) {
    publisher = makePublisher(target, inFlight, 100_000);
    publishers.set(inFlight, publisher);
  }
  const t0 = performance.now();
  for (let i = 0; i < count; i++) void publisher.enqueue(TYPE, DATA);
  await publisher.flush();
  return (count * 1000) / (performance.now() - t0);
}

serveParent(async (msg) => {
  const { row, inFlight, count, url } = msg as { row: Row; inFlight: number; count: number; url: string };
  const before = process.cpuUsage();
  const rate = await measure(row, inFlight, count, url);
  const cpu = process.cpuUsage(before);
  return { rate, cpuMicros: (cpu.user + cpu.system) / count };
});
