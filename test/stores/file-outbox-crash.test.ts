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
  /** What the child wrote on stderr. */
  stderr(): string;
  /** The outbox's log lines (lock takeovers, torn tails), read from stdout in order. */
  logs(): readonly string[];
  kill(): void;
  /** Resolves when the child printed `line`, or when it exits. */
  saw(line: string): Promise<void>;
  /** Resolves once the child has reported `count` resolved enqueues, or when it exits. */
  reportedAtLeast(count: number): Promise<void>;
  /** Whether the child is still running. */
  running(): boolean;
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
  const logs: string[] = [];
  const waiters = new Map<string, () => void>();
  let enqueued = 0;
  let progress: { count: number; resolve: () => void } | undefined;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('enqueued ')) {
        reported.add(line.slice('enqueued '.length));
        enqueued += 1;
        if (progress !== undefined && enqueued >= progress.count) progress.resolve();
      }
      if (line.startsWith('log ')) logs.push(line);
      seen.add(line);
      waiters.get(line)?.();
    }
  });
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    exited,
    stderr: () => stderr,
    logs: () => logs,
    kill: () => child.kill('SIGKILL'),
    running: () => !done,
    reportedAtLeast: (count) =>
      enqueued >= count
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => {
              progress = { count, resolve };
            }),
            exited.then(() => {}),
          ]),
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
    const logs: string[] = [];
    let killedRunning = 0;
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const before = reported.size;
        const run = startChild(dir, TOTAL - reported.size, reported);
        await run.saw('ready');
        // A random moment while the child is enqueueing: after a random share of what is left, plus up to 30 ms, so
        // every run makes progress and dies mid-stream (mid-enqueue, mid-fsync, mid-delivery or mid-resume).
        const left = TOTAL - reported.size;
        const target = Math.floor((Math.random() * left) / (KILLS - kill));
        await run.reportedAtLeast(target);
        const after = Math.round(Math.random() * 30);
        await new Promise((resolve) => setTimeout(resolve, after));
        if (run.running()) killedRunning += 1;
        run.kill();
        await run.exited;
        stderr += run.stderr();
        logs.push(...run.logs());
        runs.push(`killed ${after} ms after its enqueue no. ${target}, with ${reported.size - before} resolved`);
      }
      const last = startChild(dir, TOTAL - reported.size, reported);
      await last.saw('closed');
      expect(await last.exited, last.stderr()).toBe(0);
      stderr += last.stderr();
      logs.push(...last.logs());
      // The final run flushed: every event it resumed or enqueued reached the server before `closed`.
      const lost = [...reported].filter((id) => !received.has(id));
      const twice = [...reported].filter((id) => (received.get(id) ?? 0) > 1).length;
      // Each process killed while running held the lock (it said `ready` with the outbox open), so each next start
      // takes one over.
      const takeovers = logs.filter((line) => line.includes('took over the lock')).length;
      console.log(
        `crash test: ${runs.join('; ')}; then a last run. ${reported.size} enqueues resolved, ` +
          `${reported.size - lost.length} delivered, ${lost.length} lost, ${twice} arrived more than once; ` +
          `${takeovers} stale locks taken over`,
      );
      expect(killedRunning).toBeGreaterThanOrEqual(5);
      expect(takeovers, `${logs.join('\n')}\n${stderr}`).toBe(killedRunning);
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
