import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEnvelope,
  createPublisher,
  fileOutbox,
  isEventRelayError,
  type Logger,
  memoryOutbox,
  type OutboxRecord,
} from '../../src/index.js';
import { describeOutboxContract, outboxRecord } from '../publisher/outbox-contract.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A logger that keeps its warnings. */
function recordingLogger() {
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (obj, msg) => void warnings.push({ obj, msg: msg ?? '' }),
    error: (obj, msg) => void warnings.push({ obj, msg: msg ?? '' }),
  };
  return { logger, warnings };
}

const ids = (records: readonly OutboxRecord[]) => records.map((r) => r.deliveryId);
async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
}
async function onlySegment(dir: string): Promise<string> {
  const files = await segmentFiles(dir);
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
}

describeOutboxContract('memoryOutbox', async () => ({ outbox: memoryOutbox(), cleanup: async () => {} }), {
  durable: false,
});

describeOutboxContract(
  'fileOutbox',
  async () => {
    const dir = await tempDir();
    return { outbox: fileOutbox(dir, { logger: false }), reopen: () => fileOutbox(dir, { logger: false }), cleanup };
    async function cleanup() {}
  },
  { durable: true },
);

describe('fileOutbox', () => {
  it('keeps records across a reopen, oldest first, and forgets the completed ones', async () => {
    const dir = await tempDir();
    const records = Array.from({ length: 50 }, outboxRecord);
    const first = fileOutbox(dir, { logger: false });
    for (const r of records) await first.add(r);
    await first.complete(ids(records.filter((_, i) => i % 3 === 0)));
    await first.close();
    const second = fileOutbox(dir, { logger: false });
    const kept = records.filter((_, i) => i % 3 !== 0);
    expect(await second.size()).toBe(kept.length);
    expect(ids(await second.claim(100))).toEqual(ids(kept));
    await second.close();
  });

  it('group commit: 500 concurrent adds share a handful of fsyncs, and each add resolved only after one', async () => {
    const dir = await tempDir();
    const outbox = fileOutbox(dir, { logger: false });
    await outbox.size(); // open first: the snapshot and directory fsyncs of opening are not the adds'
    const before = outbox.stats();
    // Each add sees, when it resolves, that a group commit (write + fdatasync) has completed since it was called.
    const seenAtResolve = await Promise.all(
      Array.from({ length: 500 }, () => outbox.add(outboxRecord()).then(() => outbox.stats().groupCommits)),
    );
    expect(Math.min(...seenAtResolve)).toBeGreaterThan(before.groupCommits);
    const after = outbox.stats();
    const commits = after.groupCommits - before.groupCommits;
    console.log(`group commit: 500 concurrent adds, ${commits} fsyncs (${(commits / 500).toFixed(3)} per event)`);
    expect(after.appends - before.appends).toBe(500);
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThanOrEqual(50);
    expect(after.fsyncs - before.fsyncs).toBe(commits);
    // Sequential adds cannot share: one fsync each.
    for (let i = 0; i < 5; i++) await outbox.add(outboxRecord());
    expect(outbox.stats().groupCommits - after.groupCommits).toBe(5);
    await outbox.close();
  });

  it('group commit through the publisher: 200 concurrent enqueues resolve after far fewer than 200 fsyncs', async () => {
    const dir = await tempDir();
    const outbox = fileOutbox(dir, { logger: false });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const publisher = createPublisher({
      transport: {
        name: 'gated',
        async send() {
          await gate;
          return { ok: true };
        },
      },
      outbox,
    });
    await outbox.size();
    const before = outbox.stats().groupCommits;
    const ids = await Promise.all(
      Array.from({ length: 200 }, () => publisher.enqueue(createEnvelope('buddy.match.created', { n: 1 }))),
    );
    const commits = outbox.stats().groupCommits - before;
    console.log(`group commit: 200 concurrent publisher.enqueue calls, ${commits} fsyncs`);
    expect(new Set(ids).size).toBe(200);
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThanOrEqual(20);
    release();
    await publisher.close();
    const reopened = fileOutbox(dir, { logger: false });
    expect(await reopened.size()).toBe(0);
    await reopened.close();
  });

  it('a log cut at any byte of its last frame reopens with every earlier record, and reports the torn tail', async () => {
    const dir = await tempDir();
    const records = Array.from({ length: 3 }, outboxRecord);
    const writer = fileOutbox(dir, { logger: false });
    for (const r of records.slice(0, 2)) await writer.add(r);
    const before = (await stat(await onlySegment(dir))).size;
    await writer.add(records[2]!);
    await writer.close();
    const full = await readFile(await onlySegment(dir));
    expect(full.length).toBeGreaterThan(before + 100);
    for (let cut = before; cut <= full.length; cut++) {
      const caseDir = await tempDir();
      await writeFile(join(caseDir, 'outbox-0000000000000001.log'), full.subarray(0, cut));
      const { logger, warnings } = recordingLogger();
      const outbox = fileOutbox(caseDir, { logger });
      const recovered = ids(await outbox.claim(10));
      const whole = cut === full.length;
      expect(recovered, `cut at ${cut}`).toEqual(ids(whole ? records : records.slice(0, 2)));
      const torn = warnings.filter((w) => /torn tail/.test(w.msg));
      expect(torn, `cut at ${cut}`).toHaveLength(cut === before || whole ? 0 : 1);
      if (torn[0]) expect(torn[0].obj).toMatchObject({ offset: before, bytes: cut - before });
      if ((cut - before) % 25 === 1) {
        // Recovery rewrote the log: the torn bytes are gone, so appending and reopening report nothing.
        await outbox.add(outboxRecord());
        await outbox.close();
        const quiet = recordingLogger();
        const again = fileOutbox(caseDir, { logger: quiet.logger });
        expect(await again.size(), `cut at ${cut}`).toBe(recovered.length + 1);
        await again.close();
        expect(quiet.warnings).toEqual([]);
      } else await outbox.close();
      await rm(caseDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('damage inside the log skips only the damaged frame; the frames after it are kept', async () => {
    const dir = await tempDir();
    const records = Array.from({ length: 5 }, outboxRecord);
    const writer = fileOutbox(dir, { logger: false });
    for (const r of records) await writer.add(r);
    await writer.close();
    const file = await onlySegment(dir);
    const bytes = await readFile(file);
    // Flip one byte inside the third record's payload.
    const third = bytes.indexOf(Buffer.from(records[2]!.deliveryId));
    bytes[third + 3] = bytes[third + 3]! ^ 0x20;
    await writeFile(file, bytes);
    const { logger, warnings } = recordingLogger();
    const outbox = fileOutbox(dir, { logger });
    expect(ids(await outbox.claim(10))).toEqual(ids([records[0]!, records[1]!, records[3]!, records[4]!]));
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringMatching(/damaged bytes inside the log/)]);
    await outbox.close();
  });

  it('compacts as events complete: one segment, small, holding exactly the live records', async () => {
    const dir = await tempDir();
    const outbox = fileOutbox(dir, { logger: false, compactAfterBytes: 8 * 1024 });
    const records = Array.from({ length: 200 }, outboxRecord);
    for (const r of records) {
      await outbox.add(r);
      if (records.indexOf(r) % 10 !== 0) await outbox.complete([r.deliveryId]);
    }
    const { compactions, segmentBytes } = outbox.stats();
    expect(compactions).toBeGreaterThan(3);
    expect(segmentBytes).toBeLessThan(16 * 1024);
    expect(await segmentFiles(dir)).toHaveLength(1);
    await outbox.close();
    const reopened = fileOutbox(dir, { logger: false });
    expect(ids(await reopened.claim(1000))).toEqual(ids(records.filter((_, i) => i % 10 === 0)));
    await reopened.close();
  });

  it('an interrupted compaction is harmless: a leftover temp file and an older segment are ignored, then removed', async () => {
    const dir = await tempDir();
    const records = Array.from({ length: 4 }, outboxRecord);
    const writer = fileOutbox(dir, { logger: false });
    for (const r of records) await writer.add(r);
    await writer.complete([records[0]!.deliveryId]);
    await writer.close();
    const current = await onlySegment(dir);
    // An older segment that still holds the completed record, and a half-written snapshot.
    await writeFile(join(dir, 'outbox-0000000000000000.log'), await readFile(current));
    await writeFile(`${current.replace(/\d{16}/, '9'.repeat(16))}.tmp`, 'half a snapshot');
    const outbox = fileOutbox(dir, { logger: false });
    expect(ids(await outbox.claim(10))).toEqual(ids(records.slice(1)));
    expect((await readdir(dir)).sort()).toEqual(['LOCK', expect.stringMatching(/^outbox-\d{16}\.log$/)]);
    await outbox.close();
  });

  it('refuses a second opener of the same directory in this process, naming the holder', async () => {
    const dir = await tempDir();
    const first = fileOutbox(dir, { logger: false });
    await first.size();
    const error = await fileOutbox(dir, { logger: false })
      .size()
      .catch((e: unknown) => e);
    expect(isEventRelayError(error, 'OutboxError')).toBe(true);
    expect(error).toMatchObject({ code: 'outbox_locked', message: expect.stringContaining('this process') });
    await first.close();
    const second = fileOutbox(dir, { logger: false });
    expect(await second.size()).toBe(0);
    await second.close();
  });

  it('refuses a directory locked by another live process, and takes over the lock of a dead one', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    const lock = (holder: number) =>
      JSON.stringify({ pid: holder, hostname: hostname(), token: `t-${holder}`, since: '2026-01-01T00:00:00.000Z' });
    try {
      await writeFile(join(dir, 'LOCK'), lock(pid));
      const error = await fileOutbox(dir, { logger: false })
        .size()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'outbox_locked', message: expect.stringContaining(`process ${pid}`) });
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const { logger, warnings } = recordingLogger();
    const outbox = fileOutbox(dir, { logger });
    expect(await outbox.size()).toBe(0);
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringContaining(`left by process ${pid}, which is gone`)]);
    expect(JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8'))).toMatchObject({ pid: process.pid });
    await outbox.close();
    await expect(readFile(join(dir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over a lock naming this pid but not held here: a previous incarnation (pid 1 in a container)', async () => {
    const dir = await tempDir();
    const lock = { pid: process.pid, hostname: hostname(), token: 'previous-run', since: '2026-01-01T00:00:00.000Z' };
    await writeFile(join(dir, 'LOCK'), JSON.stringify(lock));
    const outbox = fileOutbox(dir, { logger: false });
    expect(await outbox.size()).toBe(0);
    await outbox.close();
  });

  it('after close, calls reject with outbox_closed', async () => {
    const dir = await tempDir();
    const outbox = fileOutbox(dir, { logger: false });
    await outbox.add(outboxRecord());
    await outbox.close();
    await expect(outbox.add(outboxRecord())).rejects.toMatchObject({ name: 'OutboxError', code: 'outbox_closed' });
  });

  it('refuses a segment of another format instead of guessing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'outbox-0000000000000001.log'), 'something else entirely\n');
    await expect(fileOutbox(dir, { logger: false }).size()).rejects.toMatchObject({
      code: 'outbox_io',
      message: expect.stringContaining('not an outbox segment'),
    });
    // It is left as it was, and the lock is released.
    expect(await readdir(dir)).toEqual(['outbox-0000000000000001.log']);
  });

  it('checks its arguments', () => {
    expect(() => fileOutbox('')).toThrow(/dir must be a non-empty path/);
    expect(() => fileOutbox('x', { compactAfterBytes: 0 })).toThrow(/compactAfterBytes/);
    expect(() => fileOutbox('x', { logger: {} as Logger })).toThrow(/logger/);
  });

  it('a file cut inside its header line (never produced by the outbox itself) is refused, not guessed at', async () => {
    const dir = await tempDir();
    const writer = fileOutbox(dir, { logger: false });
    await writer.add(outboxRecord());
    await writer.close();
    const file = await onlySegment(dir);
    await truncate(file, 5);
    await expect(fileOutbox(dir, { logger: false }).size()).rejects.toMatchObject({ code: 'outbox_io' });
  });
});
