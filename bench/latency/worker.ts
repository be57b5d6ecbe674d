/**
 * Child process: end-to-end latency in one process (one clock). The publisher sends over HTTP to a receiver
 * mounted with `nodeReceiver`; the handler computes `handler time − publish call time` from the send time carried
 * in the event.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from '../lib/child.js';
import { buddyCheckinData } from '../lib/payloads.js';
import { buddyCatalog, createPublisher, createReceiver, httpTransport, nodeReceiver } from '../lib/sdk.js';

const SECRET = 'bench-latency-secret-0123456789ab';
const TYPE = 'buddy.checkin.completed';

async function measure(rate: number, seconds: number, warmup: number) {
  const receiver = createReceiver({ secret: SECRET, catalog: buddyCatalog });
  const latencies: number[] = [];
  const receipts: number[] = [];
  let measuring = false;
  receiver.on(TYPE, async (event) => {
    const sentAt = Number.parseFloat(String((event.data as { notes?: string }).notes));
    if (measuring) latencies.push(performance.now() - sentAt);
  });
  const server = http.createServer(nodeReceiver(receiver));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/buddy-events`;
  const publisher = createPublisher({ transport: httpTransport({ url, secret: SECRET }), catalog: buddyCatalog });
  const padding = '|'.padEnd(700, 'n');
  const failures: string[] = [];

  const send = async () => {
    const sentAt = performance.now();
    const data = buddyCheckinData(1024, `${sentAt}${padding}`);
    try {
      const receipt = await publisher.publish(TYPE, data);
      if (measuring) receipts.push(receipt.durationMs);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  };
  const schedule = async (count: number) => {
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(send());
    }
    await Promise.all(pending);
  };
  await schedule(warmup);
  measuring = true;
  await schedule(rate * seconds);
  measuring = false;
  await publisher.close();
  await new Promise((resolve) => server.close(resolve));
  return { latencies, receipts, failures };
}

export type LatencyResult = Awaited<ReturnType<typeof measure>>;

serveParent(async (msg) => {
  const { rate, seconds, warmup } = msg as { rate: number; seconds: number; warmup: number };
  return measure(rate, seconds, warmup);
});
