// `event-relay listen` in this process: it is started with `run()`, sent real signed requests over HTTP on
// 127.0.0.1, and stopped through `io.interrupted`, as Ctrl-C stops the bin.
import { randomBytes } from 'node:crypto';
import { createEnvelope } from '@teei/event-relay';
import { buddySample, signedRequest } from '@teei/event-relay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/run.js';
import { type MemoryIo, type MemoryIoOptions, memoryIo, runCli } from '../memory-io.js';
import { startServer } from '../servers.js';

const SECRET = `cli-listen-in-${randomBytes(12).toString('hex')}`;
/** Listeners still running: stopped after each test whatever its outcome. */
const running: { memory: MemoryIo; done: Promise<number> }[] = [];

/** Starts `listen` on a free port; resolves once it says where it listens. */
async function listen(args: string[], options: MemoryIoOptions = {}) {
  const memory = memoryIo(options);
  const done = run(['listen', '--port', '0', ...args], memory.io);
  const started = { memory, done };
  running.push(started);
  const [, url] = await Promise.race([
    memory.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/),
    done.then((code) => {
      throw new Error(`listen exited ${code}:\n${memory.stdout()}\n${memory.stderr()}`);
    }),
  ]);
  return { ...started, url: url! };
}

async function post(url: string, request: { headers: Record<string, string>; body: string }) {
  const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

afterEach(async () => {
  for (const { memory, done } of running.splice(0)) {
    memory.interrupt();
    await done;
  }
});

describe('listen', () => {
  it('answers and prints: 202 with the event, 200 duplicate, 401, 400 with the field, 404, GET health; Ctrl-C stops it', async () => {
    const { memory, done, url } = await listen(['--secret', SECRET]);
    expect(memory.stdout()).toContain(
      `Listening on ${url} (teei-v1, signatures required, Buddy catalog). Ctrl-C to stop.\n`,
    );
    expect(memory.stdout()).toContain(`Try: event-relay sign event.json --curl --url ${url} | sh\n`);

    const event = createEnvelope('buddy.match.created', buddySample('buddy.match.created'), {
      source: 'test-suite',
      correlationId: '0b7e4a3c-1d2f-4e5a-8b9c-0d1e2f3a4b5c',
    });
    expect(await post(url, await signedRequest({ secret: SECRET, event }))).toEqual({
      status: 202,
      body: { acknowledged: true, eventId: event.metadata.id },
    });
    await memory.waitFor(
      new RegExp(`\\d{2}:\\d{2}:\\d{2}\\.\\d{3} {2}202 {2}buddy\\.match\\.created {2}${event.metadata.id}\\n`),
    );
    await memory.waitFor(/"buddyId": "a87ff679-a2f3-4e7c-8b5d-9c0e1f2a3b4c"/);
    expect(memory.stdout()).toContain(
      `  at ${event.metadata.timestamp} · from test-suite · correlation 0b7e4a3c-1d2f-4e5a-8b9c-0d1e2f3a4b5c\n  {\n    "matchId": `,
    );

    const again = await post(url, await signedRequest({ secret: SECRET, event }));
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    await memory.waitFor(new RegExp(`200 {2}duplicate of ${event.metadata.id}: acknowledged, not handled again`));

    expect((await post(url, await signedRequest({ secret: 'not-the-secret' }))).status).toBe(401);
    await memory.waitFor(/401 {2}invalid_signature: .+ \(from 127\.0\.0\.1\)\n/);

    const invalid = await signedRequest({
      secret: SECRET,
      type: 'buddy.match.created',
      data: { ...buddySample('buddy.match.created'), matchId: 'nope' },
    });
    expect((await post(url, invalid)).status).toBe(400);
    await memory.waitFor(/400 {2}invalid_data: .*data\.matchId: Invalid UUID/);

    const wrongPath = await fetch(url.replace('/webhooks/buddy-events', '/webhooks'), { method: 'POST' });
    expect(wrongPath.status).toBe(404);
    await memory.waitFor(/404 {2}POST \/webhooks: nothing here \(events go to POST \/webhooks\/buddy-events\)/);

    const health = await fetch(url.replace('/webhooks/buddy-events', '/health/webhook'));
    expect(health.status).toBe(200);
    await memory.waitFor(/200 {2}GET \/health\/webhook\n/);

    memory.interrupt();
    expect(await done).toBe(0);
    expect(memory.stdout()).toContain('\nStopped: 4 received, 1 accepted, 1 duplicates, 2 refused, 0 failed\n');
    expect(memory.stdout() + memory.stderr()).not.toContain(SECRET);
    expect(memory.stdout()).not.toContain('\x1b[');
    // Closed: nothing listens any more.
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
  });

  it('prints each accepted event as one JSON line with --json, the rest on stderr; the secret from WEBHOOK_SIGNATURE_SECRET', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const { memory, done, url } = await listen(['--json', '--scheme', 'standard-webhooks', '--path', '/in'], {
      env: { WEBHOOK_SIGNATURE_SECRET: secret },
    });
    expect(url).toMatch(/\/in$/);
    const event = createEnvelope('buddy.checkin.completed', buddySample('buddy.checkin.completed'));
    expect((await post(url, await signedRequest({ secret, scheme: 'standard-webhooks', event }))).status).toBe(202);
    await memory.waitFor(/"type":"buddy\.checkin\.completed"/);
    memory.interrupt();
    expect(await done).toBe(0);
    expect(memory.stdout()).toBe(`${JSON.stringify(event)}\n`);
    expect(memory.stderr()).toContain('Listening on');
    expect(memory.stderr()).toContain('202  buddy.checkin.completed');
    expect(memory.stderr()).toContain('Stopped: 1 received, 1 accepted');
  });

  it('colours the answers on a terminal: 2xx green, 4xx yellow', async () => {
    const { memory, url } = await listen(['--secret', SECRET], { isTTY: true });
    expect((await post(url, await signedRequest({ secret: SECRET }))).status).toBe(202);
    // Each answer is one write: once its text is there, so are its colour codes.
    await memory.waitFor(/buddy\.match\.created/);
    expect(memory.stdout()).toContain('\x1b[32m202\x1b[39m  \x1b[1mbuddy.match.created\x1b[22m');
    expect((await post(url, await signedRequest({ secret: 'other' }))).status).toBe(401);
    await memory.waitFor(/invalid_signature/);
    expect(memory.stdout()).toContain('\x1b[33m401\x1b[39m  invalid_signature');
  });

  it('accepts unsigned events when WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false, and warns about it on stderr', async () => {
    const { memory, url } = await listen([], { env: { WEBHOOK_SIGNATURE_VALIDATION_ENABLED: 'false' } });
    expect(memory.stdout()).toContain('signatures disabled');
    expect(memory.stderr()).toMatch(/^warning: .*signature/im);
    const unsigned = await signedRequest({
      secret: 'whatever',
      mutate: (r) => delete r.headers['x-webhook-signature'],
    });
    expect((await post(url, unsigned)).status).toBe(202);
    await memory.waitFor(/202 {2}buddy\.match\.created/);
  });

  it('accepts a type outside the catalog with --signature disabled --unknown-types accept', async () => {
    const { memory, url } = await listen(['--signature', 'disabled', '--unknown-types', 'accept']);
    const request = await signedRequest({
      secret: 'x',
      type: 'billing.invoice.paid',
      data: { invoiceId: 'inv_1' },
    } as never);
    expect((await post(url, request)).status).toBe(202);
    await memory.waitFor(/202 {2}billing\.invoice\.paid/);
    await memory.waitFor(/"invoiceId": "inv_1"/);
  });

  it('stops at once when interrupted before it started', async () => {
    const stopped = await runCli(['listen', '--port', '0', '--secret', SECRET], { interrupted: true });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('Listening on http://127.0.0.1:');
    expect(stopped.stdout).toContain('Stopped: 0 received, 0 accepted, 0 duplicates, 0 refused, 0 failed');
  });
});

describe('listen: failures', () => {
  it('exits 1 when the port is taken or the address cannot be bound', async () => {
    const taken = await startServer((_req, res) => res.end());
    try {
      const port = new URL(taken.origin).port;
      // Interrupted beforehand: should it bind after all, it stops at once instead of running on.
      const run1 = await runCli(['listen', '--port', port, '--secret', SECRET], { interrupted: true });
      expect(run1).toEqual({
        code: 1,
        stdout: '',
        stderr: `event-relay listen: port ${port} on 127.0.0.1 is in use: pass --port <n> (0 picks a free one)\n`,
      });
    } finally {
      await taken.close();
    }
    // 192.0.2.1 (TEST-NET-1) is on no interface of this machine.
    const foreign = await runCli(['listen', '--port', '0', '--host', '192.0.2.1', '--secret', SECRET], {
      interrupted: true,
    });
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/^event-relay listen: cannot listen on 192\.0\.2\.1:0: .*EADDRNOTAVAIL/);
  });

  it.each([
    ['no secret', ['--port', '0'], {}, 'give --secret, or set WEBHOOK_SIGNATURE_SECRET (or pass --signature disabled'],
    [
      'a port that is no number',
      ['--port', 'http', '--secret', 'x'],
      {},
      '--port must be a port number (0 to 65535), got "http"',
    ],
    ['a port too large', ['--port', '70000', '--secret', 'x'], {}, '--port must be a port number'],
    ['a path without /', ['--port', '0', '--path', 'in', '--secret', 'x'], {}, '--path must start with "/"'],
    [
      'a bad --signature',
      ['--port', '0', '--signature', 'off'],
      {},
      '--signature must be one of required, optional, disabled',
    ],
    [
      'a bad WEBHOOK_SIGNATURE_VALIDATION_ENABLED',
      ['--port', '0', '--secret', 'x'],
      { WEBHOOK_SIGNATURE_VALIDATION_ENABLED: 'perhaps' },
      'WEBHOOK_SIGNATURE_VALIDATION_ENABLED',
    ],
    ['a secret of spaces', ['--port', '0', '--secret', '   '], {}, 'secret'],
  ])('exits 2 for %s', async (_label, args, env, message) => {
    const result = await runCli(['listen', ...args], { env, interrupted: true });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});
