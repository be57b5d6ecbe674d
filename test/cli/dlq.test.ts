// `event-relay dlq list` and `dlq redrive`, run as the built bin on a dead-letter file the library itself wrote.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buddyCatalog,
  createPublisher,
  type DeadLetterEntry,
  fileDeadLetterQueue,
  httpTransport,
} from '@teei/event-relay';
import { buddySample } from '@teei/event-relay/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtCli, cli } from './built-cli.js';
import { type Running, type RunningReceiver, startReceiver, startServer } from './servers.js';

const SECRET = `cli-dlq-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'event-relay-cli-dlq-'));
let refusing: Running;
let receiver: RunningReceiver;
let path: string;
let written: DeadLetterEntry[];

/** Dead-letters three events the way a publisher does: the endpoint refuses them with 422. */
async function deadLetterThree(file: string): Promise<DeadLetterEntry[]> {
  const publisher = createPublisher({
    transport: httpTransport({ url: `${refusing.origin}/webhooks/buddy-events`, secret: SECRET }),
    catalog: buddyCatalog,
    deadLetter: fileDeadLetterQueue(file),
  });
  const types = ['buddy.match.created', 'buddy.checkin.completed', 'buddy.milestone.reached'] as const;
  for (const type of types) {
    await expect(publisher.publish(type, buddySample(type) as never)).rejects.toThrow(/HTTP 422/);
  }
  await publisher.close();
  return fileDeadLetterQueue(file).list();
}

beforeAll(async () => {
  await builtCli();
  refusing = await startServer((req, res) => {
    req.resume();
    res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"permanent_event","message":"no"}');
  });
  receiver = await startReceiver({ secret: SECRET });
}, 120_000);
beforeEach(async () => {
  path = join(dir, `${randomBytes(4).toString('hex')}.jsonl`);
  written = await deadLetterThree(path);
  receiver.handled.length = 0;
});
afterAll(async () => {
  await Promise.all([refusing.close(), receiver.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('event-relay dlq list', () => {
  it('lists the entries the library wrote, oldest first, and skips a torn last line', async () => {
    expect(written).toHaveLength(3);
    appendFileSync(path, '{"id":"torn-by-a-crash","envel'); // a crash mid-append
    const run = await cli(['dlq', 'list', path]);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /^\d{4}-/.test(line));
    expect(rows).toHaveLength(3);
    written.forEach((entry, i) => {
      expect(rows[i]).toContain(entry.id);
      expect(rows[i]).toContain(entry.envelope.type);
      expect(rows[i]).toMatch(/ 1 +permanent http_422: HTTP 422 \(permanent_event\)/);
    });
    expect(run.stdout).toContain(`3 entries. Send them again with: event-relay dlq redrive ${path} --url <url>`);
    expect(run.stdout).not.toContain('torn-by-a-crash');
  });

  it('prints JSON lines with --json, the n oldest with --limit', async () => {
    const json = await cli(['dlq', 'list', path, '--json']);
    expect(json.code).toBe(0);
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(JSON.parse(JSON.stringify(written)));
    const two = await cli(['dlq', 'list', path, '--limit', '2']);
    expect(two.stdout).toContain('2 of 3 entries.');
    expect(two.stdout).not.toContain(written[2]!.id);
  });

  it('says so when the file is empty; exits 1 when it does not exist, 2 on a bad --limit', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expect(await cli(['dlq', 'list', empty])).toMatchObject({ code: 0, stdout: `${empty}: empty\n` });
    const missing = await cli(['dlq', 'list', join(dir, 'typo.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('typo.jsonl: no such file');
    const limit = await cli(['dlq', 'list', path, '--limit', '0']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit must be a positive integer');
  });
});

describe('event-relay dlq redrive', () => {
  it('sends every entry again with its original id and removes those delivered', async () => {
    const run = await cli(['dlq', 'redrive', path, '--url', receiver.url, '--secret', SECRET]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `3 entries to ${receiver.url}: 3 delivered and removed, 0 still failing; 0 left in ${path}`,
    );
    expect(receiver.handled.map((e) => e.metadata.id).sort()).toEqual(written.map((e) => e.id).sort());
    expect(await fileDeadLetterQueue(path).size()).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('keeps what still fails and exits 1; --limit redrives the oldest only', async () => {
    const failing = await cli(['dlq', 'redrive', path, '--url', `${refusing.origin}/x`, '--secret', SECRET]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('0 delivered and removed, 3 still failing; 3 left');
    expect(failing.stderr).toContain('failed: HTTP 422 (permanent_event) (permanent)');
    expect(await fileDeadLetterQueue(path).size()).toBe(3);

    const one = await cli(['dlq', 'redrive', path, '--limit', '1'], {
      env: { CSR_WEBHOOK_URL: receiver.url, CSR_WEBHOOK_SECRET: SECRET },
    });
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(receiver.handled.map((e) => e.metadata.id)).toEqual([written[0]!.id]);
    expect((await fileDeadLetterQueue(path).list()).map((e) => e.id)).toEqual(written.slice(1).map((e) => e.id));
  });

  it('exits 2 without a URL or a secret, 1 for a missing file', async () => {
    const noUrl = await cli(['dlq', 'redrive', path, '--secret', SECRET]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('give --url, or set CSR_WEBHOOK_URL');
    const noSecret = await cli(['dlq', 'redrive', path, '--url', receiver.url]);
    expect(noSecret.code).toBe(2);
    const missing = await cli(['dlq', 'redrive', join(dir, 'typo.jsonl'), '--url', receiver.url, '--secret', SECRET]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });
});
