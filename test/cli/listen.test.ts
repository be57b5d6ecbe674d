// `event-relay listen`, run as the built bin: real signed requests over HTTP, answers and printed events checked.
import { randomBytes } from 'node:crypto';
import { createEnvelope } from '@teei/event-relay';
import { buddySample, signedRequest } from '@teei/event-relay/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, type CliProcess, cli, startCli } from './built-cli.js';
import { startServer } from './servers.js';

const SECRET = `cli-listen-${randomBytes(12).toString('hex')}`;
const running: CliProcess[] = [];

/** Starts `listen` on a free port; resolves with its URL once it says it is listening. */
async function listen(args: string[], env: Record<string, string> = {}): Promise<{ cli: CliProcess; url: string }> {
  const process = await startCli(['listen', '--port', '0', ...args], { env });
  running.push(process);
  const [, url] = await process.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+\/\S+)/);
  return { cli: process, url: url! };
}

async function post(url: string, request: { headers: Record<string, string>; body: string }) {
  const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  await builtCli();
}, 120_000);
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});

describe('event-relay listen', () => {
  it('answers a signed event 202 and prints it; a duplicate 200; a bad signature 401; Ctrl-C stops it (exit 0)', async () => {
    const { cli: listener, url } = await listen(['--secret', SECRET]);
    const event = createEnvelope('buddy.match.created', buddySample('buddy.match.created'));
    const signed = await signedRequest({ secret: SECRET, event });
    expect(await post(url, signed)).toEqual({ status: 202, body: { acknowledged: true, eventId: event.metadata.id } });
    await listener.waitFor(new RegExp(`202  buddy\\.match\\.created  ${event.metadata.id}`));
    await listener.waitFor(/"buddyId": "a87ff679-a2f3-4e7c-8b5d-9c0e1f2a3b4c"/);

    const again = await post(url, await signedRequest({ secret: SECRET, event }));
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    await listener.waitFor(new RegExp(`200  duplicate of ${event.metadata.id}`));

    const forged = await post(url, await signedRequest({ secret: 'not-the-secret' }));
    expect(forged.status).toBe(401);
    await listener.waitFor(/401 {2}invalid_signature: .+ \(from 127\.0\.0\.1\)/);

    const invalid = await signedRequest({
      secret: SECRET,
      type: 'buddy.match.created',
      data: { ...buddySample('buddy.match.created'), matchId: 'nope' },
    });
    expect((await post(url, invalid)).status).toBe(400);
    await listener.waitFor(/400 {2}invalid_data: .*data\.matchId: Invalid UUID/);

    const wrongPath = await fetch(url.replace('/webhooks/buddy-events', '/webhooks'), { method: 'POST' });
    expect(wrongPath.status).toBe(404);
    await listener.waitFor(/404 {2}POST \/webhooks: nothing here \(events go to POST \/webhooks\/buddy-events\)/);

    expect(await listener.stop('SIGINT')).toBe(0);
    const { stdout, stderr } = listener.output();
    // The 404 never reached the receiver.
    expect(stdout).toContain('Stopped: 4 received, 1 accepted, 1 duplicates, 2 refused, 0 failed');
    expect(stdout + stderr).not.toContain(SECRET);
    expect(stdout).not.toContain('\x1b[');
  });

  it('prints each accepted event as one JSON line with --json, everything else on stderr', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    // The secret through the variable the receiving side reads.
    const { cli: listener, url } = await listen(['--json', '--scheme', 'standard-webhooks'], {
      WEBHOOK_SIGNATURE_SECRET: secret,
    });
    const event = createEnvelope('buddy.checkin.completed', buddySample('buddy.checkin.completed'));
    const signed = await signedRequest({ secret, scheme: 'standard-webhooks', event });
    expect((await post(url, signed)).status).toBe(202);
    await listener.waitFor(/"type":"buddy\.checkin\.completed"/);
    expect(await listener.stop()).toBe(0);
    const { stdout, stderr } = listener.output();
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([JSON.parse(JSON.stringify(event))]);
    expect(stderr).toContain('Listening on');
    expect(stderr).toContain('202  buddy.checkin.completed');
  });

  it('accepts unsigned events when WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false, and says so', async () => {
    const { cli: listener, url } = await listen([], { WEBHOOK_SIGNATURE_VALIDATION_ENABLED: 'false' });
    await listener.waitFor(/signatures disabled/);
    const unsigned = await signedRequest({
      secret: 'whatever',
      mutate: (r) => delete r.headers['x-webhook-signature'],
    });
    expect((await post(url, unsigned)).status).toBe(202);
    await listener.waitFor(/202 {2}buddy\.match\.created/);
  });

  it('exits 1 when the port is taken, and 2 without a secret', async () => {
    const taken = await startServer((_req, res) => res.end());
    try {
      const port = new URL(taken.origin).port;
      const run = await cli(['listen', '--port', port, '--secret', SECRET]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is in use: pass --port <n> (0 picks a free one)`);
    } finally {
      await taken.close();
    }
    const noSecret = await cli(['listen', '--port', '0']);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('give --secret, or set WEBHOOK_SIGNATURE_SECRET');
    const badPort = await cli(['listen', '--port', 'http', '--secret', SECRET]);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a port number');
  });
});
