// Outages and shutdown against a real node:http endpoint on 127.0.0.1, with the publisher's default retry and breaker.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buddyCatalog,
  createPublisher,
  fileOutbox,
  httpTransport,
  memoryDeadLetterQueue,
  type Outbox,
} from '../../src/index.js';
import { MATCH_CREATED } from './fixtures.js';

/** An endpoint that answers 503 while down and 202 once up; it records when each id got its 2xx. */
async function switchableEndpoint() {
  let up = false;
  const deliveredAt = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (!up) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
      deliveredAt.set(String(req.headers['x-webhook-id']), performance.now());
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/buddy-events`,
    deliveredAt,
    set up(value: boolean) {
      up = value;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function endpoint() {
  const e = await switchableEndpoint();
  cleanups.push(() => e.close());
  return e;
}
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-outage-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
const until = async (check: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

function publisherTo(url: string, outbox?: Outbox) {
  const deadLetter = memoryDeadLetterQueue();
  const publisher = createPublisher({
    transport: httpTransport({ url, secret: 'outage-test-secret-0123456789' }),
    catalog: buddyCatalog,
    deadLetter,
    ...(outbox ? { outbox } : {}),
  });
  return { publisher, deadLetter };
}

describe('close({ timeoutMs: 1500 }) with the endpoint down (default retries and breaker)', () => {
  it('memory outbox: returns within 3 s; the undelivered events are dead-lettered with reason shutdown', async () => {
    const down = await endpoint();
    const { publisher, deadLetter } = publisherTo(down.url);
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => publisher.enqueue('buddy.match.created', MATCH_CREATED)),
    );
    // Let them fail, back off and open the breaker: some sleep in a retry, others wait on the breaker.
    await until(() => publisher.circuitState === 'open', 5000);
    const started = performance.now();
    await publisher.close({ timeoutMs: 1500 });
    const took = performance.now() - started;
    console.log(`memory outbox: close({ timeoutMs: 1500 }) returned after ${Math.round(took)} ms`);
    expect(took).toBeLessThan(3000);
    expect(took).toBeGreaterThan(1000);
    const entries = await deadLetter.list();
    expect(entries.map((e) => e.id).sort()).toEqual([...ids].sort());
    for (const entry of entries) expect(entry).toMatchObject({ error: { code: 'shutdown' }, retryable: true });
  });

  it('file outbox: returns within 3 s, keeps the events, and the next publisher delivers every one', async () => {
    const endpointDown = await endpoint();
    const dir = await tempDir();
    const first = publisherTo(endpointDown.url, fileOutbox(dir, { logger: false }));
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => first.publisher.enqueue('buddy.match.created', MATCH_CREATED)),
    );
    await until(() => first.publisher.circuitState === 'open', 5000);
    const started = performance.now();
    await first.publisher.close({ timeoutMs: 1500 });
    const took = performance.now() - started;
    console.log(`file outbox: close({ timeoutMs: 1500 }) returned after ${Math.round(took)} ms`);
    expect(took).toBeLessThan(3000);
    expect(await first.deadLetter.list()).toEqual([]);

    endpointDown.up = true;
    const second = publisherTo(endpointDown.url, fileOutbox(dir, { logger: false }));
    await second.publisher.flush();
    expect([...endpointDown.deliveredAt.keys()].sort()).toEqual([...ids].sort());
    expect(await second.publisher.outbox.size()).toBe(0);
    await second.publisher.close();
  });
});

describe('recovery after an outage', () => {
  it('503 long enough to open the breaker and fail a probe, then 202: delivery resumes within 3 s', async () => {
    const flaky = await endpoint();
    const { publisher, deadLetter } = publisherTo(flaky.url);
    const ids = await Promise.all(
      Array.from({ length: 40 }, () => publisher.enqueue('buddy.match.created', MATCH_CREATED)),
    );
    await until(() => publisher.circuitState === 'open', 5000);
    // Down 1.5 s more: the attempts in flight when it opened fail, and so does the first probe (1 s after opening);
    // the next probe comes 2 s after that one.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(flaky.deliveredAt.size).toBe(0);
    flaky.up = true;
    const recovered = performance.now();
    await until(() => flaky.deliveredAt.size > 0, 10_000);
    const resumedAfter = Math.min(...flaky.deliveredAt.values()) - recovered;
    await publisher.flush();
    const allAfter = Math.max(...flaky.deliveredAt.values()) - recovered;
    console.log(
      `breaker: first delivery ${Math.round(resumedAfter)} ms after the endpoint came back, all 40 after ${Math.round(allAfter)} ms`,
    );
    expect(resumedAfter).toBeLessThan(3000);
    expect([...flaky.deliveredAt.keys()].sort()).toEqual([...ids].sort());
    expect(await deadLetter.size()).toBe(0);
    expect(publisher.circuitState).toBe('closed');
    await publisher.close();
  });
});
