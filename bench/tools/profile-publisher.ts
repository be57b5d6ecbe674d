/**
 * `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/tools/profile-publisher.ts [count] [inFlight] [sdk|raw]`:
 * one publishing row alone (publisher.enqueue over httpTransport, or the raw node:http keep-alive loop) against the
 * sink child, for a clean profile. Prints events/s and CPU µs per event; read the profile with
 * `bench/tools/profile-top.ts`.
 *
 * @module
 */
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { forkChild } from '../lib/child.js';
import { buddyCheckinData } from '../lib/payloads.js';
import { buddyCatalog, createPublisher, httpTransport } from '../lib/sdk.js';

const count = Number(process.argv[2] ?? 20_000);
const inFlight = Number(process.argv[3] ?? 64);
const mode = process.argv[4] ?? 'sdk';
const data = buddyCheckinData(1024);
const key = Buffer.from('profile-secret');

function rawSend(url: URL, agent: http.Agent): Promise<void> {
  const id = randomUUID();
  const timestamp = new Date().toISOString();
  const body = JSON.stringify({ type: 'buddy.checkin.completed', data, metadata: { id, version: 'v1', timestamp } });
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('hex');
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-webhook-id': id,
        'x-webhook-timestamp': timestamp,
        'x-webhook-signature': `sha256=${signature}`,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}
const sink = forkChild(new URL('../publishing/sink.ts', import.meta.url));
try {
  const { port } = await sink.call<{ port: number }>({ op: 'start', mode: 'ok' });
  const url = `http://127.0.0.1:${port}/`;
  const publisher = createPublisher({
    transport: httpTransport({ url, secret: 'profile-secret' }),
    catalog: buddyCatalog,
    concurrency: inFlight,
    maxQueue: count,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    if (mode === 'raw') {
      let started = 0;
      const worker = async () => {
        while (started++ < count) await rawSend(new URL(url), agent);
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
    } else {
      for (let i = 0; i < count; i++) void publisher.enqueue('buddy.checkin.completed', data);
      await publisher.flush();
    }
    const cpu = process.cpuUsage(cpu0);
    const rate = (count * 1000) / (performance.now() - t0);
    console.log(
      `${mode} round ${round}: ${rate.toFixed(0)} events/s, ${((cpu.user + cpu.system) / count).toFixed(1)} µs CPU/event`,
    );
  }
  await publisher.close();
} finally {
  await sink.stop();
}
