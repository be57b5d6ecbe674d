// Probes NATS once for the whole run. Suites that need it call `natsAvailable()` from test/helpers/nats.ts, which
// reads the verdict written here. Outside CI an unreachable server skips those suites with a printed notice; with
// CI=true it fails the run, so a missing server can never pass as green.
import { connect } from 'node:net';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

function probe(url: string, timeoutMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^nats:/, 'http:'));
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 4222) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    // A NATS server greets with `INFO {...}` as soon as the TCP connection opens.
    socket.once('data', (chunk) => done(chunk.toString('utf8').startsWith('INFO')));
    socket.once('error', () => done(false));
  });
}

export default async function setup(): Promise<void> {
  const url = process.env.NATS_URL ?? DEFAULT_NATS_URL;
  const up = await probe(url, 2000);
  process.env.TEEI_NATS_AVAILABLE = up ? '1' : '0';
  process.env.NATS_URL = url;
  if (!up) {
    if (process.env.CI === 'true') {
      throw new Error(`NATS is not reachable at ${url}, and CI=true forbids skipping the NATS suites`);
    }
    console.warn(
      `\n[notice] NATS is not reachable at ${url}: the NATS test suites are skipped (set NATS_URL to point elsewhere)\n`,
    );
  }
}
