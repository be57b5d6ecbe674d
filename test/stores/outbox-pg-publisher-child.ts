// A publisher process for the crash tests: enqueues COUNT Buddy events through postgresOutbox to SINK_URL, a few at
// a time, and prints `enqueued <id>` once each enqueue has resolved (the promise the guarantee is about). Then it
// keeps delivering (its own events and any it takes over) until it is killed, or closes cleanly on SIGTERM.
import { randomUUID } from 'node:crypto';
import { buddyCatalog, createPublisher, httpTransport } from '@teei/event-relay';
import { postgresOutbox } from '@teei/event-relay/postgres';
import pg from 'pg';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const count = Number(env('COUNT'));
const inFlight = Number(process.env.IN_FLIGHT ?? 8);

const pool = new pg.Pool({ connectionString: env('PG_URL'), max: 6 });
pool.on('error', () => {});
const publisher = createPublisher({
  transport: httpTransport({
    url: env('SINK_URL'),
    secret: 'crash-test-secret-of-32-bytes-or-more',
    // Tells the test which process delivered an event, so it can see takeovers.
    headers: { 'x-instance': env('INSTANCE') },
  }),
  catalog: buddyCatalog,
  outbox: postgresOutbox({ pool, table: env('OUTBOX_TABLE'), leaseMs: Number(env('LEASE_MS')) }),
  // Quick retries: the sink fails some requests on purpose, and the test should not wait 31 s for a schedule.
  retry: { retries: 30, initialDelayMs: 50, maxDelayMs: 400 },
  circuitBreaker: { failureThreshold: 50, resetTimeoutMs: 1000 },
});

process.on('SIGTERM', () => {
  void publisher
    .close({ timeoutMs: 2000 })
    .then(() => pool.end())
    .then(() => process.exit(0));
});

let next = 0;
const worker = async (): Promise<void> => {
  while (next < count) {
    next += 1;
    const id = await publisher.enqueue('buddy.match.created', {
      matchId: randomUUID(),
      participantId: randomUUID(),
      buddyId: randomUUID(),
      matchedAt: new Date().toISOString(),
    });
    process.stdout.write(`enqueued ${id}\n`);
  }
};
process.stdout.write('ready\n');
await Promise.all(Array.from({ length: inFlight }, worker));
process.stdout.write('all-enqueued\n');
