/**
 * `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/tools/profile-publisher.ts [count] [inFlight]`: only
 * the SDK publishing row (publisher.enqueue over httpTransport against the sink child), for a clean profile.
 * Prints events/s; read the profile with `bench/tools/profile-top.ts`.
 *
 * @module
 */
import { forkChild } from '../lib/child.js';
import { buddyCheckinData } from '../lib/payloads.js';
import { buddyCatalog, createPublisher, httpTransport } from '../lib/sdk.js';

const count = Number(process.argv[2] ?? 20_000);
const inFlight = Number(process.argv[3] ?? 64);
const sink = forkChild(new URL('../publishing/sink.ts', import.meta.url));
try {
  const { port } = await sink.call<{ port: number }>({ op: 'start', mode: 'ok' });
  const publisher = createPublisher({
    transport: httpTransport({ url: `http://127.0.0.1:${port}/`, secret: 'profile-secret' }),
    catalog: buddyCatalog,
    concurrency: inFlight,
    maxQueue: count,
  });
  const data = buddyCheckinData(1024);
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) publisher.enqueue('buddy.checkin.completed', data);
    await publisher.flush();
    console.log(`round ${round}: ${((count * 1000) / (performance.now() - t0)).toFixed(0)} events/s`);
  }
  await publisher.close();
} finally {
  await sink.stop();
}
