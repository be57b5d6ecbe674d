// `event-relay send`, run as the built bin against real local servers: the library's receiver, behind a front that
// fails on purpose.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEnvelope, fileDeadLetterQueue, serializeEvent, toFlatEvent } from '@teei/event-relay';
import { nodeReceiver } from '@teei/event-relay/node';
import { buddySample } from '@teei/event-relay/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, cleanEnv, cli } from './built-cli.js';
import { type Running, type RunningReceiver, startReceiver, startServer } from './servers.js';

const SECRET = `cli-send-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'event-relay-cli-send-'));
const match = () => createEnvelope('buddy.match.created', buddySample('buddy.match.created'));

let receiver: RunningReceiver;
let front: Running | undefined;
/** Requests the front saw, with the headers that matter. */
let seen: { id: string | undefined; timestamp: string | undefined }[] = [];

/** A server in front of the receiver: answers `failures` requests with `status`, then hands the rest over. */
async function frontWith(failures: number, status = 503): Promise<string> {
  const handler = nodeReceiver(receiver.receiver);
  let left = failures;
  const listener: RequestListener = (req: IncomingMessage, res) => {
    seen.push({ id: header(req, 'x-webhook-id'), timestamp: header(req, 'x-webhook-timestamp') });
    if (left > 0) {
      left--;
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      return;
    }
    handler(req, res);
  };
  front = await startServer(listener);
  return `${front.origin}/webhooks/buddy-events`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

beforeAll(async () => {
  await builtCli();
  receiver = await startReceiver({ secret: SECRET });
}, 120_000);
afterEach(async () => {
  await front?.close();
  front = undefined;
  seen = [];
  receiver.handled.length = 0;
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('event-relay send', () => {
  it('delivers an event through three 503s: the same delivery id, signed afresh on each attempt', async () => {
    const url = await frontWith(3);
    const event = match();
    const file = join(dir, 'one.json');
    writeFileSync(file, serializeEvent(event));
    const run = await cli(['send', file, '--url', url, '--secret', SECRET, '--backoff', '20']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^delivered buddy\\.match\\.created ${event.metadata.id} · 4 attempts · HTTP 202 · \\d+ ms$`, 'm'),
    );
    for (const attempt of [1, 2, 3]) {
      expect(run.stderr).toContain(
        `attempt ${attempt} for ${event.metadata.id} failed: HTTP 503 (unavailable) (retryable)`,
      );
    }
    expect(run.stdout).toContain(`1 event to ${url}: 1 delivered, 0 failed; 3 retries`);
    expect(seen.map((s) => s.id)).toEqual(Array(4).fill(event.metadata.id));
    expect(new Set(seen.map((s) => s.timestamp)).size).toBe(4);
    expect(receiver.handled.map((e) => e.metadata.id)).toEqual([event.metadata.id]);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('draws one progress line on a terminal, updated in place, instead of a line per event', async () => {
    const url = await frontWith(2);
    const file = join(dir, 'two.jsonl');
    writeFileSync(file, `${serializeEvent(match())}\n${serializeEvent(match())}\n`);
    // script(1) gives the CLI a pseudo-terminal, as a user's shell does.
    const command = [process.execPath, await builtCli(), 'send', file, '--url', url, '--backoff', '20'];
    const { stdout } = await promisify(execFile)(
      'script',
      ['-qec', command.map((word) => JSON.stringify(word)).join(' '), '/dev/null'],
      { env: cleanEnv({ TERM: 'xterm', NO_COLOR: '1', CSR_WEBHOOK_SECRET: SECRET }) },
    );
    expect(stdout).toContain('\r\x1b[2K[....................] 0/2');
    expect(stdout).toContain(`\r\x1b[2K[${'#'.repeat(20)}] 2/2 · delivered 2 · failed 0 · retries 2`);
    expect(stdout).not.toMatch(/^delivered /m);
    expect(stdout).toContain('2 events to');
  });

  it('reads JSON lines from stdin, in the short form, nested or flat, with CSR_WEBHOOK_URL and CSR_WEBHOOK_SECRET', async () => {
    const url = await frontWith(0);
    const nested = match();
    const flat = match();
    const lines = [
      JSON.stringify({ type: 'buddy.checkin.completed', data: buddySample('buddy.checkin.completed') }),
      serializeEvent(nested),
      JSON.stringify(toFlatEvent(flat)),
    ];
    const withCredentials = url.replace('http://', 'http://user:hunter2@');
    const run = await cli(['send'], {
      input: `${lines.join('\n')}\n`,
      env: { CSR_WEBHOOK_URL: withCredentials, CSR_WEBHOOK_SECRET: SECRET },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`3 events to ${url}: 3 delivered, 0 failed; 0 retries`);
    expect(run.stdout + run.stderr).not.toContain('hunter2');
    const handled = receiver.handled.map((e) => e.type).sort();
    expect(handled).toEqual(['buddy.checkin.completed', 'buddy.match.created', 'buddy.match.created']);
    expect(receiver.handled.map((e) => e.metadata.id)).toEqual(
      expect.arrayContaining([nested.metadata.id, flat.metadata.id]),
    );
  });

  it('checks every event before sending any: a bad line stops the run with its line number, nothing sent', async () => {
    const url = await frontWith(0);
    const bad = { ...match(), data: { ...buddySample('buddy.match.created'), matchId: 'not-a-uuid' } };
    const input = [
      serializeEvent(match()),
      JSON.stringify(bad),
      '{not json',
      '{"type":"billing.invoice.paid","data":{}}',
    ];
    const run = await cli(['send', '--url', url, '--secret', SECRET], { input: input.join('\n') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing sent: 3 invalid events');
    expect(run.stderr).toContain('line 2: data.matchId: Invalid UUID');
    expect(run.stderr).toContain('line 3: not valid JSON');
    expect(run.stderr).toContain('line 4: unknown event type "billing.invoice.paid"');
    expect(seen).toHaveLength(0);
  });

  it('sends a type outside the Buddy catalog with --unknown-types accept', async () => {
    const url = await frontWith(0);
    const input = '{"type":"billing.invoice.paid","data":{"invoiceId":"inv_1"}}';
    const run = await cli(['send', '--url', url, '--secret', SECRET, '--unknown-types', 'accept'], { input });
    // The receiver, with its catalog, refuses it: a permanent 400, reported with the receiver's reason.
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/failed billing\.invoice\.paid \S+ · 1 attempt, permanent failure: HTTP 400/);
    expect(seen).toHaveLength(1);
  });

  it('exits 1 when an event is refused, and keeps it in the --dlq file for dlq redrive', async () => {
    const url = await frontWith(0);
    const event = match();
    const dlq = join(dir, 'refused.jsonl');
    const run = await cli(['send', '-', '--url', url, '--secret', 'another-secret', '--dlq', dlq], {
      input: serializeEvent(event),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `failed buddy.match.created ${event.metadata.id} · 1 attempt, permanent failure: HTTP 401 (invalid_signature)`,
    );
    expect(run.stdout).toContain(`0 delivered, 1 failed (kept in ${dlq})`);
    const entries = await fileDeadLetterQueue(dlq).list();
    expect(entries.map((e) => [e.id, e.error.status, e.retryable])).toEqual([[event.metadata.id, 401, false]]);
    expect(run.stdout + run.stderr).not.toContain('another-secret');
  });

  it('exits 1 when retries run out, honouring CSR_WEBHOOK_RETRY_ATTEMPTS and CSR_WEBHOOK_RETRY_BACKOFF_MS', async () => {
    const url = await frontWith(100);
    const event = match();
    const run = await cli(['send', '--url', url, '--secret', SECRET], {
      input: serializeEvent(event),
      env: { CSR_WEBHOOK_RETRY_ATTEMPTS: '2', CSR_WEBHOOK_RETRY_BACKOFF_MS: '10' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `failed buddy.match.created ${event.metadata.id} · 3 attempts, retries exhausted: HTTP 503`,
    );
    expect(run.stdout).toContain('(pass --dlq <file> to keep them)');
    expect(seen).toHaveLength(3);
  });

  it.each([
    ['no URL', [], {}, 'give --url, or set CSR_WEBHOOK_URL'],
    ['a bad --retries', ['--url', 'http://127.0.0.1:9/x', '--retries', 'x'], {}, '--retries must be a non-negative'],
    [
      'a bad variable',
      ['--url', 'http://127.0.0.1:9/x'],
      { CSR_WEBHOOK_TIMEOUT_MS: '0' },
      'CSR_WEBHOOK_TIMEOUT_MS must be',
    ],
    ['an ftp: URL', ['--url', 'ftp://127.0.0.1/x'], {}, '--url must be an absolute http: or https: URL'],
    ['a bad --concurrency', ['--url', 'http://127.0.0.1:9/x', '--concurrency', '0'], {}, '--concurrency must be'],
  ])('exits 2 on %s', async (_label, args, env, message) => {
    const run = await cli(['send', ...args, '--secret', SECRET], { input: serializeEvent(match()), env });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});
