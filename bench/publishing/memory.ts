/**
 * Child process (run with --expose-gc): the heap held by N queued 1 KB events while the sink stalls. Every event
 * gets its own data object and strings, as events built from separate records would.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { BuddyCheckinCompletedData } from '../../src/catalog/buddy.js';
import { serveParent } from '../lib/child.js';
import { buddyCatalog, createEnvelope, createPublisher, httpTransport, serializeEvent } from '../lib/sdk.js';

const TYPE = 'buddy.checkin.completed';

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  collect();
  collect();
}

function data(notesLength: number): BuddyCheckinCompletedData {
  const now = new Date().toISOString();
  return {
    checkinId: randomUUID(),
    matchId: randomUUID(),
    checkinDate: now,
    mood: 'good' as const,
    // A fresh flat string per event (Buffer#toString allocates), never a shared literal.
    notes: Buffer.alloc(notesLength, 'n').toString('latin1'),
  };
}

async function measure(count: number, url: string) {
  // Size the notes so one event's wire body is 1,024 bytes.
  const probe = JSON.parse(serializeEvent(createEnvelope(TYPE, data(0)))) as unknown;
  const notesLength = 1024 - JSON.stringify(probe).length;
  const eventBytes = Buffer.byteLength(serializeEvent(createEnvelope(TYPE, data(notesLength))));
  const publisher = createPublisher({
    transport: httpTransport({ url, secret: 'bench-memory-secret', timeoutMs: 600_000 }),
    catalog: buddyCatalog,
    maxQueue: count + 1000,
  });
  // Warm the code paths (and the 16 stalled in-flight deliveries) before the baseline.
  for (let i = 0; i < 100; i++) void publisher.enqueue(TYPE, data(notesLength));
  await new Promise((r) => setTimeout(r, 200));
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) void publisher.enqueue(TYPE, data(notesLength));
  const enqueueMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 200));
  gc();
  const after = process.memoryUsage();
  const pending = publisher.pending;
  const heapDelta = after.heapUsed - before.heapUsed;
  const externalDelta = after.external + after.arrayBuffers - before.external - before.arrayBuffers;
  return { count, eventBytes, heapDelta, externalDelta, bytesPerEvent: heapDelta / count, pending, enqueueMs };
}

export type MemoryResult = Awaited<ReturnType<typeof measure>>;

serveParent(async (msg) => {
  const { count, url } = msg as { count: number; url: string };
  return measure(count, url);
});
