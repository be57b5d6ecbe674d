// `event-relay dlq list` and `dlq redrive` in this process, on dead-letter files the library's own publisher wrote
// with fileDeadLetterQueue, against real servers on 127.0.0.1.
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
import { runCli } from '../memory-io.js';
import { type Running, type RunningReceiver, startReceiver, startServer } from '../servers.js';

const SECRET = `cli-dlq-in-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'event-relay-cli-dlq-in-'));
const TYPES = ['buddy.match.created', 'buddy.checkin.completed', 'buddy.milestone.reached'] as const;
let refusing: Running;
let unavailable: Running;
let receiver: RunningReceiver;
let path: string;
let written: DeadLetterEntry[];

/** Dead-letters the events the way a publisher does: `url` refuses them. */
async function deadLetter(file: string, url: string, types: readonly (typeof TYPES)[number][]): Promise<void> {
  const publisher = createPublisher({
    transport: httpTransport({ url, secret: SECRET }),
    catalog: buddyCatalog,
    deadLetter: fileDeadLetterQueue(file),
    retry: { retries: 0 },
  });
  for (const type of types) await expect(publisher.publish(type, buddySample(type) as never)).rejects.toThrow();
  await publisher.close();
}

beforeAll(async () => {
  refusing = await startServer((req, res) => {
    req.resume();
    res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"permanent_event","message":"no"}');
  });
  unavailable = await startServer((req, res) => {
    req.resume();
    res.writeHead(503).end();
  });
  receiver = await startReceiver({ secret: SECRET });
});
beforeEach(async () => {
  path = join(dir, `${randomBytes(4).toString('hex')}.jsonl`);
  await deadLetter(path, `${refusing.origin}/webhooks/buddy-events`, TYPES);
  written = await fileDeadLetterQueue(path).list();
  receiver.handled.length = 0;
});
afterAll(async () => {
  await Promise.all([refusing.close(), unavailable.close(), receiver.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('dlq list', () => {
  it('lists the entries oldest first, with the last error, and skips a torn last line', async () => {
    expect(written.map((e) => e.envelope.type)).toEqual([...TYPES]);
    appendFileSync(path, '{"id":"torn-by-a-crash","envel');
    const run = await runCli(['dlq', 'list', path]);
    expect(run.code, run.stderr).toBe(0);
    const [head, ...rest] = run.stdout.split('\n');
    expect(head).toMatch(/^DEAD-LETTERED AT +ID +TYPE +ATTEMPTS +LAST ERROR$/);
    const rows = rest.filter((line) => /^\d{4}-/.test(line));
    expect(rows).toHaveLength(3);
    written.forEach((entry, i) => {
      expect(rows[i]).toMatch(
        new RegExp(
          `^${entry.deadLetteredAt} +${entry.id} +${entry.envelope.type.replace(/\./g, '\\.')} +1 +permanent http_422: HTTP 422 \\(permanent_event\\)`,
        ),
      );
    });
    expect(run.stdout).toContain(`\n\n3 entries. Send them again with: event-relay dlq redrive ${path} --url <url>\n`);
    expect(run.stdout).not.toContain('torn-by-a-crash');
  });

  it('marks a retryable entry in yellow and a permanent one in red on a terminal', async () => {
    const mixed = join(dir, 'mixed.jsonl');
    await deadLetter(mixed, `${unavailable.origin}/x`, ['buddy.match.created']);
    await deadLetter(mixed, `${refusing.origin}/x`, ['buddy.checkin.completed']);
    const run = await runCli(['dlq', 'list', mixed], { isTTY: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\x1b[33mretryable\x1b[39m http_503');
    expect(run.stdout).toContain('\x1b[31mpermanent\x1b[39m http_422');
    expect(run.stdout).toContain('\x1b[2mDEAD-LETTERED AT\x1b[22m');
  });

  it('prints JSON lines with --json; --limit shows the n oldest and says how many there are', async () => {
    const json = await runCli(['dlq', 'list', path, '--json']);
    expect(json.code).toBe(0);
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(JSON.parse(JSON.stringify(written)));
    const two = await runCli(['dlq', 'list', path, '--limit', '2']);
    expect(two.stdout).toContain(`\n2 of 3 entries. Send them again with`);
    expect(two.stdout).toContain(written[1]!.id);
    expect(two.stdout).not.toContain(written[2]!.id);
    const oneJson = await runCli(['dlq', 'list', path, '--json', '--limit', '1']);
    expect(JSON.parse(oneJson.stdout).id).toBe(written[0]!.id);
  });

  it('says so for an empty file; exits 1 for a missing file or a directory, 2 for a bad --limit', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expect(await runCli(['dlq', 'list', empty])).toEqual({ code: 0, stdout: `${empty}: empty\n`, stderr: '' });
    expect(await runCli(['dlq', 'list', empty, '--json'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const missing = await runCli(['dlq', 'list', join(dir, 'typo.jsonl')]);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: `event-relay dlq list: ${join(dir, 'typo.jsonl')}: no such file\n`,
    });
    const folder = await runCli(['dlq', 'list', dir]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(`${dir} is a directory, not a file`);
    for (const limit of ['0', 'ten', '1.5']) {
      const bad = await runCli(['dlq', 'list', path, '--limit', limit]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`--limit must be a positive integer, got "${limit}"`);
    }
  });
});

describe('dlq redrive', () => {
  it('sends every entry again with its original id and removes those delivered', async () => {
    const run = await runCli(['dlq', 'redrive', path, '--url', receiver.url, '--secret', SECRET]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const entry of written) {
      expect(run.stdout).toMatch(
        new RegExp(`^delivered ${entry.envelope.type.replace(/\./g, '\\.')} ${entry.id} · 1 attempt · HTTP 202$`, 'm'),
      );
    }
    expect(run.stdout).toContain(
      `3 entries to ${receiver.url}: 3 delivered and removed, 0 still failing; 0 left in ${path}\n`,
    );
    expect(receiver.handled.map((e) => e.metadata.id).sort()).toEqual(written.map((e) => e.id).sort());
    expect(await fileDeadLetterQueue(path).size()).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('keeps what still fails and exits 1; --limit with CSR_WEBHOOK_URL and CSR_WEBHOOK_SECRET redrives the oldest only', async () => {
    const failing = await runCli(['dlq', 'redrive', path, '--url', `${refusing.origin}/x`, '--secret', SECRET]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('3 entries to');
    expect(failing.stdout).toContain('0 delivered and removed, 3 still failing; 3 left');
    expect(failing.stderr).toContain('failed: HTTP 422 (permanent_event) (permanent)');
    expect(await fileDeadLetterQueue(path).size()).toBe(3);

    const one = await runCli(['dlq', 'redrive', path, '--limit', '1'], {
      env: { CSR_WEBHOOK_URL: receiver.url, CSR_WEBHOOK_SECRET: SECRET },
    });
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(one.stdout).toContain('1 entry to');
    expect(receiver.handled.map((e) => e.metadata.id)).toEqual([written[0]!.id]);
    expect((await fileDeadLetterQueue(path).list()).map((e) => e.id)).toEqual(written.slice(1).map((e) => e.id));
  });

  it('draws a progress line on a terminal, with the failures counted', async () => {
    const run = await runCli(['dlq', 'redrive', path, '--url', `${refusing.origin}/x`, '--secret', SECRET], {
      isTTY: true,
      env: { NO_COLOR: '1' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`\r\x1b[2K[${'#'.repeat(20)}] 3/3 · delivered 0 · failed 3 · retries 0\n`);
  });

  it('says so for an empty file (exit 0); exits 2 without a URL, a secret or with a bad --limit, 1 for a missing file', async () => {
    const empty = join(dir, 'empty-redrive.jsonl');
    writeFileSync(empty, '');
    const nothing = await runCli(['dlq', 'redrive', empty, '--url', receiver.url, '--secret', SECRET]);
    expect(nothing).toEqual({ code: 0, stdout: `${empty}: empty, nothing to redrive\n`, stderr: '' });
    const noUrl = await runCli(['dlq', 'redrive', path, '--secret', SECRET]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('event-relay dlq redrive: give --url, or set CSR_WEBHOOK_URL');
    const noSecret = await runCli(['dlq', 'redrive', path, '--url', receiver.url]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('give --secret, or set CSR_WEBHOOK_SECRET');
    const limit = await runCli(['dlq', 'redrive', path, '--url', receiver.url, '--secret', SECRET, '--limit', '0']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit must be a positive integer, got "0"');
    const retries = await runCli(['dlq', 'redrive', path, '--url', receiver.url, '--secret', SECRET, '--retries', 'x']);
    expect(retries.code).toBe(2);
    expect(retries.stderr).toContain('--retries must be');
    const missing = await runCli([
      'dlq',
      'redrive',
      join(dir, 'typo.jsonl'),
      '--url',
      receiver.url,
      '--secret',
      SECRET,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('typo.jsonl: no such file');
    expect(receiver.handled).toHaveLength(0);
  });
});
