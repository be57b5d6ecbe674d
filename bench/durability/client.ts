/**
 * Child process: one publisher instance of the durability benchmark. `prepare` builds the publisher over the row's
 * outbox and opens it; `go` runs the producers (each awaits its `enqueue`, as a request handler would), then
 * `flush()`; `finish` closes the publisher and cleans up.
 *
 * @module
 */
import { serveParent } from '../lib/child.js';
import { buddyCheckinData } from '../lib/payloads.js';
import {
  type BuddyCatalog,
  buddyCatalog,
  createPublisher,
  httpTransport,
  type Outbox,
  type Publisher,
} from '../lib/sdk.js';
import { ROWS, type RowContext, syncStats } from './rows.js';

const TYPE = 'buddy.checkin.completed';
const DATA = buddyCheckinData(1024);

let current:
  | { publisher: Publisher<BuddyCatalog>; outbox: Outbox; context: RowContext; row: (typeof ROWS)[number] }
  | undefined;

/** What one instance reports after `go`. */
export interface InstanceResult {
  readonly latencies: number[];
  readonly fsyncs: number;
  readonly groupCommits: number;
  readonly cpuMicros: number;
}

async function prepare(rowName: string, url: string, context: RowContext): Promise<void> {
  const row = ROWS.find((r) => r.name === rowName);
  if (!row) throw new Error(`no row ${rowName}`);
  const outbox = await row.outbox(context);
  const publisher = createPublisher({
    transport: httpTransport({ url, secret: 'bench-durability-secret-0123456789' }),
    catalog: buddyCatalog,
    outbox,
  });
  // Opening (a lock, a snapshot, a connection) is not part of the timed round.
  await outbox.size();
  current = { publisher, outbox, context, row };
}

async function go(count: number, producers: number): Promise<InstanceResult> {
  if (!current) throw new Error('prepare first');
  const { publisher, outbox } = current;
  const before = syncStats(outbox);
  const cpu = process.cpuUsage();
  const latencies = new Array<number>(count);
  let next = 0;
  const producer = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await publisher.enqueue(TYPE, DATA);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: producers }, producer));
  await publisher.flush();
  const used = process.cpuUsage(cpu);
  const after = syncStats(outbox);
  return {
    latencies,
    fsyncs: after.fsyncs - before.fsyncs,
    groupCommits: after.groupCommits - before.groupCommits,
    cpuMicros: used.user + used.system,
  };
}

async function finish(): Promise<void> {
  if (!current) return;
  const { publisher, row, context } = current;
  current = undefined;
  await publisher.close();
  if (context.instance === 0) await row.cleanup?.(context);
}

serveParent(async (raw) => {
  const msg = raw as
    | { op: 'prepare'; row: string; url: string; context: RowContext }
    | { op: 'go'; count: number; producers: number }
    | { op: 'finish' };
  if (msg.op === 'prepare') return prepare(msg.row, msg.url, msg.context);
  if (msg.op === 'go') return go(msg.count, msg.producers);
  return finish();
});
