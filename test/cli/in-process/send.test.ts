// `event-relay send` in this process, against real node:http servers on 127.0.0.1: the library's receiver behind a
// front that answers a few 503s first, or refuses for good, or never answers.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope, fileDeadLetterQueue, serializeEvent, toFlatEvent } from '@teei/event-relay';
import { nodeReceiver } from '@teei/event-relay/node';
import { buddySample } from '@teei/event-relay/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/run.js';
import { memoryIo, runCli } from '../memory-io.js';
import { type Running, type RunningReceiver, startReceiver, startServer } from '../servers.js';

const SECRET = `cli-send-in-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'event-relay-cli-send-in-'));
const match = () => createEnvelope('buddy.match.created', buddySample('buddy.match.created'));

let receiver: RunningReceiver;
const servers: Running[] = [];
/** What the front saw: the delivery id and timestamp of each request. */
let seen: { id: string | undefined; timestamp: string | undefined }[] = [];

/** A server in front of the receiver: answers `failures` requests with `status`, then hands the rest over. */
async function frontWith(failures: number, status = 503, extra: Record<string, string> = {}): Promise<string> {
  const handler = nodeReceiver(receiver.receiver);
  let left = failures;
  const listener: RequestListener = (req: IncomingMessage, res) => {
    seen.push({ id: header(req, 'x-webhook-id'), timestamp: header(req, 'x-webhook-timestamp') });
    if (left > 0) {
      left--;
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json', ...extra }).end('{"error":"unavailable"}');
      return;
    }
    handler(req, res);
  };
  const front = await startServer(listener);
  servers.push(front);
  return `${front.origin}/webhooks/buddy-events`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

beforeAll(async () => {
  receiver = await startReceiver({ secret: SECRET });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  seen = [];
  receiver.handled.length = 0;
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('send: delivery', () => {
  it('delivers through three 503s: one line per failed attempt, the same delivery id, signed afresh each time', async () => {
    const url = await frontWith(3);
    const event = match();
    const file = join(dir, 'one.json');
    writeFileSync(file, serializeEvent(event));
    const result = await runCli(['send', file, '--url', url, '--secret', SECRET, '--backoff', '5']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^delivered buddy\\.match\\.created ${event.metadata.id} · 4 attempts · HTTP 202 · \\d+ ms$`, 'm'),
    );
    expect(result.stderr).toBe(
      [1, 2, 3]
        .map((n) => `attempt ${n} for ${event.metadata.id} failed: HTTP 503 (unavailable) (retryable)\n`)
        .join(''),
    );
    expect(result.stdout).toContain(`1 event to ${url}: 1 delivered, 0 failed; 3 retries\n`);
    expect(seen.map((s) => s.id)).toEqual(Array(4).fill(event.metadata.id));
    expect(new Set(seen.map((s) => s.timestamp)).size).toBe(4);
    expect(receiver.handled.map((e) => e.metadata.id)).toEqual([event.metadata.id]);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('reads JSON lines from stdin (short, nested and flat forms) with CSR_WEBHOOK_URL and CSR_WEBHOOK_SECRET', async () => {
    const url = await frontWith(0);
    const nested = match();
    const flat = match();
    const lines = [
      JSON.stringify({ type: 'buddy.checkin.completed', data: buddySample('buddy.checkin.completed') }),
      '',
      serializeEvent(nested),
      JSON.stringify(toFlatEvent(flat)),
    ];
    const result = await runCli(['send'], {
      stdin: `${lines.join('\n')}\n`,
      env: { CSR_WEBHOOK_URL: url.replace('http://', 'http://user:hunter2@'), CSR_WEBHOOK_SECRET: SECRET },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`3 events to ${url}: 3 delivered, 0 failed; 0 retries`);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
    expect(receiver.handled.map((e) => e.type).sort()).toEqual([
      'buddy.checkin.completed',
      'buddy.match.created',
      'buddy.match.created',
    ]);
    expect(receiver.handled.map((e) => e.metadata.id)).toEqual(
      expect.arrayContaining([nested.metadata.id, flat.metadata.id]),
    );
  });

  it('reads a JSON array; --concurrency 1 sends one at a time', async () => {
    const url = await frontWith(0);
    const events = [match(), match()];
    const result = await runCli(['send', '--url', url, '--secret', SECRET, '--concurrency', '1'], {
      stdin: JSON.stringify(events),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(receiver.handled.map((e) => e.metadata.id)).toEqual(events.map((e) => e.metadata.id));
  });

  it('on a terminal draws one progress line on stderr, updated in place, with no line per event', async () => {
    const url = await frontWith(2);
    const memory = memoryIo({
      isTTY: true,
      env: { NO_COLOR: '1', CSR_WEBHOOK_SECRET: SECRET },
      stdin: `${serializeEvent(match())}\n${serializeEvent(match())}`,
    });
    expect(await run(['send', '--url', url, '--backoff', '5'], memory.io)).toBe(0);
    const stderr = memory.stderr();
    expect(stderr.startsWith('\r\x1b[2K[....................] 0/2 · delivered 0 · failed 0 · retries 0')).toBe(true);
    expect(stderr).toContain(`\r\x1b[2K[${'#'.repeat(20)}] 2/2 · delivered 2 · failed 0 · retries 2\n`);
    expect(stderr).not.toContain('attempt 1 for');
    expect(memory.stdout()).toBe(`2 events to ${url}: 2 delivered, 0 failed; 2 retries\n`);
  });

  it('with only stderr a terminal, prints each event on stdout above the progress line, cut to the width', async () => {
    const url = await frontWith(0);
    const event = match();
    const memory = memoryIo({
      stderrTTY: true,
      columns: 30,
      env: { CSR_WEBHOOK_SECRET: SECRET },
      stdin: serializeEvent(event),
    });
    expect(await run(['send', '--url', url], memory.io)).toBe(0);
    expect(memory.stdout()).toMatch(new RegExp(`^delivered buddy\\.match\\.created ${event.metadata.id} · 1 attempt`));
    const drawn = memory
      .stderr()
      .split('\r\x1b[2K')
      .filter((l) => l !== '');
    expect(drawn[0]!.trimEnd()).toBe('[....................] 0/1 ·');
    expect(drawn.every((line) => line.trimEnd().length <= 29)).toBe(true);
  });
});

describe('send: failures exit 1', () => {
  it('a permanent 4xx: reported with the reason, no retry, kept in the --dlq file', async () => {
    // Credentials in the URL never reach the output.
    const url = (await frontWith(0)).replace('http://', 'http://user:hunter2@');
    const event = match();
    const dlq = join(dir, 'refused.jsonl');
    const result = await runCli(['send', '-', '--url', url, '--secret', 'another-secret', '--dlq', dlq], {
      stdin: serializeEvent(event),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `failed buddy.match.created ${event.metadata.id} · 1 attempt, permanent failure: HTTP 401 (invalid_signature)`,
    );
    expect(result.stderr).toMatch(
      new RegExp(`^attempt 1 for ${event.metadata.id} failed: HTTP 401 \\(invalid_signature\\).* \\(permanent\\)\n$`),
    );
    expect(result.stdout).toContain(`0 delivered, 1 failed (kept in ${dlq}); 0 retries`);
    expect(result.stdout).toContain(`to ${url.replace('user:hunter2@', '')}: 0 delivered`);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
    expect(seen).toHaveLength(1);
    const entries = await fileDeadLetterQueue(dlq).list();
    expect(entries.map((e) => [e.id, e.error.status, e.retryable])).toEqual([[event.metadata.id, 401, false]]);
  });

  it('retries run out: CSR_WEBHOOK_RETRY_ATTEMPTS and CSR_WEBHOOK_RETRY_BACKOFF_MS honoured', async () => {
    const url = await frontWith(100);
    const event = match();
    const result = await runCli(['send', '--url', url, '--secret', SECRET], {
      stdin: serializeEvent(event),
      env: { CSR_WEBHOOK_RETRY_ATTEMPTS: '2', CSR_WEBHOOK_RETRY_BACKOFF_MS: '5' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `failed buddy.match.created ${event.metadata.id} · 3 attempts, retries exhausted: HTTP 503`,
    );
    expect(result.stdout).toContain('0 delivered, 1 failed (pass --dlq <file> to keep them); 2 retries');
    expect(seen).toHaveLength(3);
  });

  it('a type outside the catalog is sent with --unknown-types accept, and refused by the receiver', async () => {
    const url = await frontWith(0);
    const input = '{"type":"billing.invoice.paid","data":{"invoiceId":"inv_1"}}';
    const result = await runCli(['send', '--url', url, '--secret', SECRET, '--unknown-types', 'accept'], {
      stdin: input,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed billing\.invoice\.paid \S+ · 1 attempt, permanent failure: HTTP 400/);
    expect(seen).toHaveLength(1);
  });

  it('Ctrl-C while an attempt hangs: the event is reported as interrupted, exit 1', async () => {
    const memory = memoryIo({ env: { CSR_WEBHOOK_SECRET: SECRET }, stdin: serializeEvent(match()) });
    const hanging = await startServer((req) => {
      req.resume();
      memory.interrupt(); // and never answer
    });
    servers.push(hanging);
    const code = await run(['send', '--url', `${hanging.origin}/x`], memory.io);
    expect(code).toBe(1);
    expect(memory.stdout()).toMatch(/^failed buddy\.match\.created \S+ · interrupted before delivery$/m);
    expect(memory.stdout()).toContain('0 delivered, 1 failed');
  });
});

describe('send: every event is checked before any is sent', () => {
  it('lists the invalid lines by number and sends nothing', async () => {
    const url = await frontWith(0);
    const bad = { ...match(), data: { ...buddySample('buddy.match.created'), matchId: 'not-a-uuid' } };
    const input = [
      serializeEvent(match()),
      JSON.stringify(bad),
      '{not json',
      '{"type":"billing.invoice.paid","data":{}}',
      '[1]',
    ];
    const result = await runCli(['send', '--url', url, '--secret', SECRET], { stdin: input.join('\n') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('event-relay send: nothing sent: 4 invalid events\n');
    expect(result.stderr).toContain('  line 2: data.matchId: Invalid UUID');
    expect(result.stderr).toContain('  line 3: not valid JSON');
    expect(result.stderr).toContain(
      '  line 4: unknown event type "billing.invoice.paid" (not a Buddy event; pass --unknown-types accept to send it unchecked)',
    );
    expect(result.stderr).toMatch(/ {2}line 5: \S/);
    expect(seen).toHaveLength(0);
  });

  it('shows ten problems and counts the rest; names "the event" for a single document; refuses empty input', async () => {
    const many = Array.from({ length: 12 }, () => '{"type":"billing.x.y","data":{}}').join('\n');
    const twelve = await runCli(['send', '--url', 'http://127.0.0.1:9/x', '--secret', SECRET], { stdin: many });
    expect(twelve.code).toBe(1);
    expect(twelve.stderr).toContain('nothing sent: 12 invalid events');
    expect(twelve.stderr).toContain('  line 10: unknown event type');
    expect(twelve.stderr).not.toContain('line 11:');
    expect(twelve.stderr).toContain('  … and 2 more');
    const one = await runCli(['send', '--url', 'http://127.0.0.1:9/x', '--secret', SECRET], {
      stdin: '{"type":"buddy.match.created"}',
    });
    expect(one.stderr).toMatch(/nothing sent: 1 invalid event\n {2}the event: data\.matchId: /);
    const empty = await runCli(['send', '--url', 'http://127.0.0.1:9/x', '--secret', SECRET], { stdin: ' \n' });
    expect(empty).toMatchObject({ code: 1, stderr: 'event-relay send: the input holds no event\n' });
  });
});

describe('send: bad usage exits 2', () => {
  it.each([
    ['no URL', [], {}, 'give --url, or set CSR_WEBHOOK_URL'],
    ['a bad --retries', ['--url', 'http://127.0.0.1:9/x', '--retries', 'x'], {}, '--retries must be a non-negative'],
    [
      'a bad variable',
      ['--url', 'http://127.0.0.1:9/x'],
      { CSR_WEBHOOK_TIMEOUT_MS: '0' },
      'CSR_WEBHOOK_TIMEOUT_MS must be',
    ],
    ['a bad --timeout', ['--url', 'http://127.0.0.1:9/x', '--timeout', 'soon'], {}, '--timeout must be'],
    ['an ftp: URL', ['--url', 'ftp://127.0.0.1/x'], {}, '--url must be an absolute http: or https: URL'],
    ['a URL from the variable', [], { CSR_WEBHOOK_URL: 'nope' }, 'CSR_WEBHOOK_URL must be an absolute'],
    [
      'a bad --concurrency',
      ['--url', 'http://127.0.0.1:9/x', '--concurrency', '0'],
      {},
      '--concurrency must be a positive integer, got "0"',
    ],
    [
      'a bad --unknown-types',
      ['--url', 'http://127.0.0.1:9/x', '--unknown-types', 'drop'],
      {},
      '--unknown-types must be one of reject, accept',
    ],
  ])('%s', async (_label, args, env, message) => {
    const result = await runCli(['send', ...args, '--secret', SECRET], { stdin: serializeEvent(match()), env });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('names a refused secret by where it came from: --secret or CSR_WEBHOOK_SECRET', async () => {
    const flag = await runCli(['send', '--url', 'http://127.0.0.1:9/x', '--secret', '   '], { stdin: '{}' });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^event-relay send: --secret holds only whitespace/);
    const variable = await runCli(['send', '--url', 'http://127.0.0.1:9/x'], {
      stdin: '{}',
      env: { CSR_WEBHOOK_SECRET: '   ' },
    });
    expect(variable.code).toBe(2);
    expect(variable.stderr).toMatch(/^event-relay send: CSR_WEBHOOK_SECRET holds only whitespace/);
  });

  it('without a secret', async () => {
    const result = await runCli(['send', '--url', 'http://127.0.0.1:9/x'], { stdin: '{}' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give --secret, or set CSR_WEBHOOK_SECRET');
  });
});
