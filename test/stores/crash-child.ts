// A publisher process for the crash test: opens fileOutbox(OUTBOX_DIR) (which starts resuming what it holds) and
// prints `ready`, enqueues EVENT_COUNT events to TARGET_URL, printing `enqueued <id>` the moment each enqueue
// resolves (a synchronous write: the parent reads it even if this process is SIGKILLed right after), then flushes,
// closes and prints `closed`. The outbox's log lines go to stdout too, as `log …`.
import { writeSync } from 'node:fs';
import { buddyCatalog, createPublisher, fileOutbox, httpTransport } from '../../src/index.js';

const dir = process.env.OUTBOX_DIR ?? '';
const url = process.env.TARGET_URL ?? '';
const count = Number(process.env.EVENT_COUNT ?? 0);
// Synchronous, and retried on EAGAIN: stdout is a non-blocking pipe, which refuses a write while it is full.
const say = (line: string): void => {
  const bytes = Buffer.from(`${line}\n`);
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
};
// The outbox's warnings (a stale lock taken over, a torn tail) go to stdout the same synchronous way, before `ready`,
// so the parent has read them by the time it kills this process.
const log = (obj: unknown, msg?: string): void => say(`log ${msg ?? ''} ${JSON.stringify(obj)}`);
const logger = { debug: () => {}, info: log, warn: log, error: log };

const publisher = createPublisher({
  transport: httpTransport({ url, secret: 'crash-test-secret-0123456789' }),
  catalog: buddyCatalog,
  outbox: fileOutbox(dir, { logger }),
  retry: { initialDelayMs: 50, maxDelayMs: 200 },
});
await publisher.outbox.size();
say('ready');
let next = 0;
const worker = async (): Promise<void> => {
  while (next < count) {
    next += 1;
    const id = await publisher.enqueue('buddy.match.created', {
      matchId: crypto.randomUUID(),
      participantId: crypto.randomUUID(),
      buddyId: crypto.randomUUID(),
      matchedAt: new Date().toISOString(),
    });
    say(`enqueued ${id}`);
  }
};
await Promise.all(Array.from({ length: 32 }, worker));
await publisher.flush();
await publisher.close();
say('closed');
