import { appendFile, mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEnvelope, createPublisher, type DeadLetterEntry, fileDeadLetterQueue } from '../../src/index.js';
import { MATCH_CREATED } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dlq-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function entry(n: number): DeadLetterEntry {
  const envelope = createEnvelope('buddy.match.created', { ...MATCH_CREATED });
  return {
    id: `delivery-${n}`,
    deliveryId: `delivery-${n}`,
    envelope,
    attempts: 6,
    error: { code: 'http_503', message: 'HTTP 503 from http://csr.test', status: 503 },
    retryable: true,
    source: 'http',
    deadLetteredAt: new Date().toISOString(),
  };
}

describe('fileDeadLetterQueue', () => {
  it('entries survive a new instance on the same file', async () => {
    const path = join(dir, 'dlq.jsonl');
    const first = fileDeadLetterQueue(path);
    const added = [entry(1), entry(2), entry(3)];
    for (const e of added) await first.add(e);
    expect(await first.remove('delivery-2')).toBe(true);
    expect(await first.remove('delivery-9')).toBe(false);
    const second = fileDeadLetterQueue(path);
    expect(await second.size()).toBe(2);
    expect(await second.list()).toEqual([added[0], added[2]]);
    expect(await second.list({ limit: 1 })).toEqual([added[0]]);
  });

  it('a file ending in half a line still loads every whole entry, and later appends stay readable', async () => {
    const path = join(dir, 'dlq.jsonl');
    const a = entry(1);
    const b = entry(2);
    await writeFile(path, `${JSON.stringify(a)}\n${JSON.stringify(b)}\n${JSON.stringify(entry(3)).slice(0, 40)}`);
    const queue = fileDeadLetterQueue(path);
    expect(await queue.list()).toEqual([a, b]);
    await queue.add(entry(4));
    const reopened = fileDeadLetterQueue(path);
    expect((await reopened.list()).map((e) => e.id)).toEqual(['delivery-1', 'delivery-2', 'delivery-4']);
  });

  it('remove rewrites the file without the entry; a missing file is an empty queue', async () => {
    const path = join(dir, 'nested-missing.jsonl');
    const queue = fileDeadLetterQueue(path);
    expect(await queue.size()).toBe(0);
    await queue.add(entry(1));
    await queue.add(entry(2));
    await queue.remove('delivery-1');
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(['delivery-2']);
  });

  it('adding an id again replaces the entry', async () => {
    const path = join(dir, 'dlq.jsonl');
    const queue = fileDeadLetterQueue(path);
    await queue.add(entry(1));
    await queue.add({ ...entry(1), attempts: 9 });
    await appendFile(path, '\n\n');
    const reopened = fileDeadLetterQueue(path);
    expect(await reopened.size()).toBe(1);
    expect((await reopened.list())[0]!.attempts).toBe(9);
  });

  it('publisher.redrive() delivers file entries with their delivery ids and removes them', async () => {
    const path = join(dir, 'dlq.jsonl');
    const seed = fileDeadLetterQueue(path);
    await seed.add(entry(1));
    await seed.add(entry(2));
    const sent: string[] = [];
    const publisher = createPublisher({
      transport: {
        name: 'ok',
        send: async (m) => {
          sent.push(m.deliveryId);
          return { ok: true, status: 202 };
        },
      },
      deadLetter: fileDeadLetterQueue(path),
    });
    await expect(publisher.redrive()).resolves.toEqual({ delivered: 2, failed: 0 });
    expect(sent.sort()).toEqual(['delivery-1', 'delivery-2']);
    expect(await fileDeadLetterQueue(path).size()).toBe(0);
  });

  it('a rewrite that fails keeps the entry, in memory and on disk', async () => {
    const path = join(dir, 'dlq.jsonl');
    const queue = fileDeadLetterQueue(path);
    await queue.add(entry(1));
    await queue.add(entry(2));
    // A directory where the temp file goes makes the rewrite fail.
    const temp = `${path}.${process.pid}.tmp`;
    await mkdir(temp);
    await expect(queue.remove('delivery-1')).rejects.toThrow();
    expect((await queue.list()).map((e) => e.id)).toEqual(['delivery-1', 'delivery-2']);
    expect(await fileDeadLetterQueue(path).size()).toBe(2);
    await rmdir(temp);
    expect(await queue.remove('delivery-1')).toBe(true);
    expect((await fileDeadLetterQueue(path).list()).map((e) => e.id)).toEqual(['delivery-2']);
  });

  it('concurrent removes and adds keep call order: each answer is what running them one by one gives', async () => {
    const path = join(dir, 'dlq.jsonl');
    const queue = fileDeadLetterQueue(path);
    for (const n of [1, 2, 3, 4, 5]) await queue.add(entry(n));
    const answers = await Promise.all([
      queue.remove('delivery-1'),
      queue.remove('delivery-2'),
      queue.remove('delivery-1'),
      queue.remove('delivery-9'),
      queue.add(entry(6)),
      queue.remove('delivery-6'),
      queue.remove('delivery-3'),
      queue.add(entry(3)),
      queue.size(),
    ]);
    expect(answers).toEqual([true, true, false, false, undefined, true, true, undefined, 3]);
    expect((await fileDeadLetterQueue(path).list()).map((e) => e.id)).toEqual([
      'delivery-4',
      'delivery-5',
      'delivery-3',
    ]);
  });
});
