import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileOutbox } from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const TOTAL = 1000;
const KILLS = 6;

/** A real node:http receiver on 127.0.0.1 that counts each delivery id; it answers after 0-15 ms. */
let server: Server;
let url = '';
const received = new Map<string, number>();
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['x-webhook-id']);
      received.set(id, (received.get(id) ?? 0) + 1);
      setTimeout(() => res.writeHead(202).end('{}'), Math.random() * 15);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/buddy-events`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Run {
  readonly exited: Promise<number | null>;
  /** What the child wrote on stderr (lock takeovers, torn tails). */
  stderr(): string;
  kill(): void;
  /** Resolves when the child printed `line`, or when it exits. */
  saw(line: string): Promise<void>;
}

function startChild(dir: string, count: number, reported: Set<string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: root,
    env: { ...process.env, OUTBOX_DIR: dir, TARGET_URL: url, EVENT_COUNT: String(count) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  let buffered = '';
  const seen = new Set<string>();
  const waiters = new Map<string, () => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('enqueued ')) reported.add(line.slice('enqueued '.length));
      seen.add(line);
      waiters.get(line)?.();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    exited,
    stderr: () => stderr,
    kill: () => child.kill('SIGKILL'),
    saw: (line) =>
      seen.has(line)
        ? Promise.resolve()
        : Promise.race([new Promise<void>((resolve) => waiters.set(line, resolve)), exited.then(() => {})]),
  };
}

describe('fileOutbox across SIGKILLs (real processes, real HTTP)', () => {
  it(`${TOTAL} events, the publisher SIGKILLed at random moments ${KILLS} times: every resolved enqueue is delivered`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outbox-crash-'));
    const reported = new Set<string>();
    const runs: string[] = [];
    let stderr = '';
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const before = reported.size;
        const run = startChild(dir, TOTAL - reported.size, reported);
        await run.saw('ready');
        // Anywhere from mid-resume to mid-enqueue to mid-delivery (the outbox is open, so its lock is held).
        const after = Math.round(Math.random() * 600);
        await new Promise((resolve) => setTimeout(resolve, after));
        run.kill();
        await run.exited;
        stderr += run.stderr();
        runs.push(`killed ${after} ms after opening, with ${reported.size - before} new enqueues resolved`);
      }
      const last = startChild(dir, TOTAL - reported.size, reported);
      await last.saw('closed');
      expect(await last.exited, last.stderr()).toBe(0);
      stderr += last.stderr();
      // The final run flushed: every event it resumed or enqueued reached the server before `closed`.
      const lost = [...reported].filter((id) => !received.has(id));
      const twice = [...reported].filter((id) => (received.get(id) ?? 0) > 1).length;
      const takeovers = stderr.match(/took over the lock/g)?.length ?? 0;
      console.log(
        `crash test: ${runs.join('; ')}; then a last run. ${reported.size} enqueues resolved, ` +
          `${reported.size - lost.length} delivered, ${lost.length} lost, ${twice} arrived more than once; ` +
          `${takeovers} stale locks taken over`,
      );
      expect(takeovers).toBe(KILLS);
      expect(reported.size).toBe(TOTAL);
      expect(lost).toEqual([]);
      const outbox = fileOutbox(dir, { logger: false });
      expect(await outbox.size()).toBe(0);
      await outbox.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
