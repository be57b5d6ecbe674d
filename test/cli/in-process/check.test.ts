// `event-relay check <url>` in this process, against real receivers on 127.0.0.1: the library's own (correct, or
// with verification off) and plain node:http servers that answer each probe as a faulty receiver would.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../memory-io.js';
import { type Running, startReceiver, startServer } from '../servers.js';

const SECRET = `cli-check-in-${randomBytes(12).toString('hex')}`;
const servers: Running[] = [];
const silent = { debug() {}, info() {}, warn() {}, error() {} };
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The table row of a probe: its cells split on runs of spaces. */
function row(stdout: string, probe: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${probe}  `));
  if (line === undefined) throw new Error(`no "${probe}" row in:\n${stdout}`);
  return line.slice(probe.length).trim().split(/ {2,}/);
}

type Answer = { status: number; json?: unknown; text?: string } | 'hang' | 'close';

/** A receiver that answers the n-th request (0: valid, 1: duplicate, 2: tampered …) with `answers[n]`. */
async function scripted(answers: readonly Answer[] | ((n: number) => Answer)): Promise<string> {
  let n = 0;
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    const answer = typeof answers === 'function' ? answers(n++) : (answers[n++] ?? { status: 500 });
    if (answer === 'close') {
      req.socket.destroy();
      return;
    }
    req.resume();
    if (answer === 'hang') return;
    const body = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
  });
  servers.push(server);
  return `${server.origin}/webhooks/buddy-events`;
}

describe('check: a receiver that answers right', () => {
  it('passes our own receiver: every answer as expected, with latencies; the handler ran once', async () => {
    const receiver = await startReceiver({ secret: SECRET });
    servers.push(receiver);
    const run = await runCli(['check', receiver.url, '--secret', SECRET]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.startsWith(`Checking ${receiver.url} (teei-v1)\n\nPROBE `)).toBe(true);
    expect(row(run.stdout, 'valid event')).toEqual(['2xx', '202', expect.stringMatching(/^\d+(\.\d)? ms$/), 'ok']);
    expect(row(run.stdout, 'same event again')).toEqual(['2xx duplicate', '200 duplicate', expect.any(String), 'ok']);
    expect(row(run.stdout, 'tampered body').slice(0, 2)).toEqual(['401', '401 invalid_signature']);
    expect(row(run.stdout, 'stale timestamp').slice(0, 2)).toEqual(['401', '401 timestamp_out_of_tolerance']);
    expect(row(run.stdout, 'wrong content type').slice(0, 2)).toEqual(['415', '415 unsupported_media_type']);
    expect(row(run.stdout, 'oversized body').slice(0, 2)).toEqual(['413', '413 payload_too_large']);
    expect(run.stdout.endsWith(`\n\n${receiver.url} answers as a correct receiver does (teei-v1).\n`)).toBe(true);
    expect(receiver.handled).toHaveLength(1);
    expect(receiver.handled[0]!.metadata.source).toBe('event-relay-check');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('prints JSON with --json; reads CSR_WEBHOOK_URL and CSR_WEBHOOK_SECRET; skips the stale probe for sha256-body', async () => {
    const receiver = await startReceiver({ secret: SECRET, scheme: 'sha256-body', maxBodyBytes: 4096 });
    servers.push(receiver);
    const run = await runCli(
      ['check', '--json', '--scheme', 'sha256-body', '--max-body-bytes', '4096', '--type', 'buddy.checkin.completed'],
      {
        env: { CSR_WEBHOOK_URL: receiver.url, CSR_WEBHOOK_SECRET: SECRET },
      },
    );
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      url: string;
      scheme: string;
      probes: Record<string, unknown>[];
    };
    expect(report).toMatchObject({ ok: true, url: receiver.url, scheme: 'sha256-body' });
    expect(report.probes.map((p) => [p.probe, p.expected, p.status, p.error, p.verdict])).toEqual([
      ['valid', '2xx', 202, null, 'ok'],
      ['duplicate', '2xx duplicate', 200, null, 'ok'],
      ['tampered', '401', 401, 'invalid_signature', 'ok'],
      ['stale', '401', null, null, 'skipped'],
      ['content-type', '415', 415, 'unsupported_media_type', 'ok'],
      ['oversized', '413', 413, 'payload_too_large', 'ok'],
    ]);
    expect(report.probes[3]).toMatchObject({
      latencyMs: null,
      reason: expect.stringContaining('sha256-body does not sign a timestamp'),
    });
    expect(typeof report.probes[0]!.latencyMs).toBe('number');
    expect(receiver.handled.map((e) => e.type)).toEqual(['buddy.checkin.completed']);
  });

  it('says "skipped" for the stale probe in the table, and colours verdicts on a terminal', async () => {
    const receiver = await startReceiver({ secret: SECRET, scheme: 'sha256-body', maxBodyBytes: 1024 });
    servers.push(receiver);
    const run = await runCli(
      ['check', receiver.url, '-s', SECRET, '--scheme', 'sha256-body', '--max-body-bytes', '1024'],
      {
        isTTY: true,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\x1b[32mok\x1b[39m');
    expect(run.stdout).toContain('\x1b[2mskipped\x1b[22m stale timestamp: sha256-body does not sign a timestamp');
    expect(run.stdout).toContain('\x1b[32mhttp://');
  });
});

describe('check: a receiver that answers wrong exits 1 and says why', () => {
  it("fails signature: 'disabled': the tampered and stale probes are accepted", async () => {
    const receiver = await startReceiver({ signature: 'disabled', logger: silent, maxBodyBytes: 2048 });
    servers.push(receiver);
    const run = await runCli(['check', receiver.url, '--secret', SECRET, '--max-body-bytes', '2048']);
    expect(run.code).toBe(1);
    expect(row(run.stdout, 'tampered body').slice(1)).toEqual(['202', expect.any(String), 'FAIL']);
    expect(row(run.stdout, 'stale timestamp').slice(1)).toEqual(['202', expect.any(String), 'FAIL']);
    expect(run.stdout).toContain(
      "FAIL tampered body: accepted a body that does not match its signature: signatures are not verified (signature: 'disabled'",
    );
    expect(run.stdout).toContain('FAIL stale timestamp: accepted a signature an hour old');
    expect(run.stdout).toMatch(/: 2 of 6 answers are wrong \(teei-v1\)\.\n$/);
  });

  it('fails an endpoint that accepts everything: no duplicate, no content type or size check', async () => {
    const url = await scripted(() => ({ status: 204 }));
    const run = await runCli(['check', url, '--secret', SECRET, '--max-body-bytes', '512'], { isTTY: true, env: {} });
    expect(run.code).toBe(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the colour codes is the point
    const plain = run.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(row(plain, 'valid event')).toEqual(['2xx', '204', expect.any(String), 'ok']);
    expect(row(plain, 'same event again')).toEqual(['2xx duplicate', '204', expect.any(String), 'warn']);
    expect(plain).toContain('warn same event again: acknowledged, but the answer does not say duplicate');
    expect(plain).toContain('FAIL wrong content type: accepted a text/plain body: the Content-Type is not checked');
    expect(plain).toContain('FAIL oversized body: accepted a body over the limit');
    expect(plain).toMatch(/: 4 of 6 answers are wrong/);
    expect(run.stdout).toContain('\x1b[33mwarn\x1b[39m');
    expect(run.stdout).toContain('\x1b[31mFAIL\x1b[39m');
  });

  it('fails a refused retry; warns on other refusals and on a refusal without an answer', async () => {
    const url = await scripted([
      { status: 202, json: { acknowledged: true } },
      { status: 409, json: { error: 'in_progress', message: 'busy' } },
      { status: 400, text: 'bad request' },
      { status: 401, json: ['not', 'an object'] },
      { status: 400, json: { error: 'bad_type' } },
      'close',
    ]);
    const run = await runCli(['check', url, '--secret', SECRET, '--max-body-bytes', '100000']);
    expect(run.code).toBe(1);
    expect(row(run.stdout, 'same event again').slice(1)).toEqual(['409 in_progress', expect.any(String), 'FAIL']);
    expect(run.stdout).toContain(
      'FAIL same event again: answered 409 to a retry of an event already accepted: a sender retries it again and dead-letters it (the receiver said: "busy")',
    );
    expect(row(run.stdout, 'tampered body').slice(1)).toEqual(['400', expect.any(String), 'warn']);
    expect(run.stdout).toContain('warn tampered body: refused with 400 where a correct receiver answers 401');
    expect(row(run.stdout, 'stale timestamp').slice(1)).toEqual(['401', expect.any(String), 'ok']);
    expect(run.stdout).toContain(
      'warn wrong content type: refused with 400 bad_type where a correct receiver answers 415',
    );
    expect(row(run.stdout, 'oversized body')).toEqual(['413', 'no answer', expect.any(String), 'warn']);
    expect(run.stdout).toMatch(
      /warn oversized body: no answer \((the connection was closed without an answer|.+)\): nothing was accepted, but a sender retries/,
    );
    expect(run.stdout).toMatch(/: 1 of 6 answers are wrong/);
  });

  it.each([
    [401, 'missing_header', 'the signature headers did not arrive (a proxy strips them?)'],
    [401, 'malformed_header', 'the receiver reads another signature format (--scheme)'],
    [401, 'invalid_signature', 'the secrets differ, the scheme or key encoding differs'],
    [401, 'timestamp_out_of_tolerance', "this machine's clock and the receiver's differ"],
    [400, 'unknown_type', 'the receiver does not accept this event (another --type?)'],
    [400, 'invalid_data', '400 invalid_data: the receiver does not accept this event'],
    [404, undefined, 'nothing at this URL (the adapters mount POST /webhooks/buddy-events by default)'],
    [302, undefined, '302: a redirect, which publishers do not follow: use the final URL'],
    [500, 'internal_error', 'mount the receiver before it, or use express.raw()'],
    [418, 'teapot', 'refused a correctly signed event: 418 teapot'],
    [418, undefined, 'refused a correctly signed event: 418\n'],
  ])(
    'refused the valid event with %i %s: names the likely cause; the other refusals prove nothing',
    async (status, error, reason) => {
      const url = await scripted(() => ({ status, json: error === undefined ? {} : { error } }));
      const run = await runCli(['check', url, '--secret', SECRET, '--max-body-bytes', '64']);
      expect(run.code).toBe(1);
      expect(row(run.stdout, 'valid event').at(-1)).toBe('FAIL');
      expect(run.stdout).toContain('FAIL valid event: refused a correctly signed event: ');
      expect(run.stdout).toContain(reason);
      expect(row(run.stdout, 'tampered body').at(-1)).toBe('inconclusive');
      expect(run.stdout).toContain('inconclusive tampered body: the valid event was refused too');
    },
  );

  it('fails a valid event left without an answer past --timeout', async () => {
    const url = await scripted(() => 'hang');
    const run = await runCli(['check', url, '--secret', SECRET, '--timeout', '200', '--max-body-bytes', '64']);
    expect(run.code).toBe(1);
    expect(row(run.stdout, 'valid event')).toEqual(['2xx', 'no answer', expect.stringMatching(/^\d+ ms$/), 'FAIL']);
    expect(run.stdout).toContain('FAIL valid event: no answer: no answer within 200 ms');
  });

  it('fails when nothing listens, and over https: when the server speaks plain HTTP', async () => {
    const closed = await startServer(() => {});
    const url = `${closed.origin}/webhooks/buddy-events`;
    await closed.close();
    const refused = await runCli(['check', url, '--secret', SECRET, '--max-body-bytes', '64']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'FAIL valid event: no answer: connection refused: is the receiver running at this address?',
    );

    const plain = await scripted(() => ({ status: 202 }));
    const tls = await runCli(['check', plain.replace('http:', 'https:'), '--secret', SECRET, '--max-body-bytes', '64']);
    expect(tls.code).toBe(1);
    expect(tls.stdout).toMatch(/FAIL valid event: no answer: \S/);
  });
});

describe('check: bad usage exits 2', () => {
  it.each([
    [['--secret', SECRET], {}, 'give <url>, or set CSR_WEBHOOK_URL'],
    [
      ['csr.example/hook', '--secret', SECRET],
      {},
      '<url> must be an absolute http: or https: URL, got "(an invalid URL)"',
    ],
    [['ftp://u:p@csr.example/hook?t=1', '--secret', SECRET], {}, 'got "ftp://csr.example/hook"'],
    [['http://127.0.0.1:9/x'], {}, 'give --secret, or set CSR_WEBHOOK_SECRET'],
    [
      ['http://127.0.0.1:9/x', '-s', SECRET, '--max-body-bytes', '1MB'],
      {},
      '--max-body-bytes must be a positive integer, got "1MB"',
    ],
    [['http://127.0.0.1:9/x', '-s', SECRET, '--timeout', '0'], {}, '--timeout must be a positive integer'],
    [['http://127.0.0.1:9/x', '-s', SECRET, '--type', 'buddy.match.deleted'], {}, '--type must be one of'],
    [['-s', SECRET], { CSR_WEBHOOK_URL: '' }, 'give <url>, or set CSR_WEBHOOK_URL'],
  ])('%j', async (args, env, message) => {
    const run = await runCli(['check', ...args], { env });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain(SECRET);
  });
});
