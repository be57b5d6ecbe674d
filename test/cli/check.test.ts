// `event-relay check <url>`, run as the built bin against real receivers: a correct one, one with verification
// off, one behind express.json(), one behind a proxy that strips the signature header.
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import { buddyCatalog, createReceiver } from '@teei/event-relay';
import { expressReceiver } from '@teei/event-relay/express';
import express from 'express';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, cli } from './built-cli.js';
import { listen, type Running, startReceiver, startServer } from './servers.js';

const SECRET = `cli-check-${randomBytes(12).toString('hex')}`;
const servers: Running[] = [];
const PROBES = [
  'valid event',
  'same event again',
  'tampered body',
  'stale timestamp',
  'wrong content type',
  'oversized body',
];

/** The table row of a probe: its cells split on runs of spaces. */
function row(stdout: string, probe: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${probe}  `));
  if (line === undefined) throw new Error(`no "${probe}" row in:\n${stdout}`);
  return line.slice(probe.length).trim().split(/ {2,}/);
}

beforeAll(async () => {
  await builtCli();
}, 120_000);
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('event-relay check', () => {
  it('passes our own receiver: every answer as expected, with latencies; the handler ran once', async () => {
    const receiver = await startReceiver({ secret: SECRET });
    servers.push(receiver);
    const run = await cli(['check', receiver.url, '--secret', SECRET]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(row(run.stdout, 'valid event')).toEqual(['2xx', '202', expect.stringMatching(/ms$/), 'ok']);
    expect(row(run.stdout, 'same event again')).toEqual(['2xx duplicate', '200 duplicate', expect.any(String), 'ok']);
    expect(row(run.stdout, 'tampered body').slice(0, 2)).toEqual(['401', '401 invalid_signature']);
    expect(row(run.stdout, 'stale timestamp').slice(0, 2)).toEqual(['401', '401 timestamp_out_of_tolerance']);
    expect(row(run.stdout, 'wrong content type').slice(0, 2)).toEqual(['415', '415 unsupported_media_type']);
    expect(row(run.stdout, 'oversized body').slice(0, 2)).toEqual(['413', '413 payload_too_large']);
    for (const probe of PROBES) expect(row(run.stdout, probe).at(-1)).toBe('ok');
    expect(run.stdout).toContain('answers as a correct receiver does (teei-v1)');
    expect(receiver.handled).toHaveLength(1);
    expect(receiver.handled[0]!.metadata.source).toBe('event-relay-check');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it("fails a receiver mounted with signature: 'disabled', saying that signatures are not verified", async () => {
    const receiver = await startReceiver({ signature: 'disabled', logger: silent });
    servers.push(receiver);
    const run = await cli(['check', receiver.url, '--secret', SECRET]);
    expect(run.code).toBe(1);
    expect(row(run.stdout, 'valid event').at(-1)).toBe('ok');
    expect(row(run.stdout, 'tampered body').slice(1)).toEqual(['202', expect.any(String), 'FAIL']);
    expect(row(run.stdout, 'stale timestamp').slice(1)).toEqual(['202', expect.any(String), 'FAIL']);
    expect(run.stdout).toContain(
      "FAIL tampered body: accepted a body that does not match its signature: signatures are not verified (signature: 'disabled'",
    );
    expect(run.stdout).toContain('FAIL stale timestamp: accepted a signature an hour old');
    expect(run.stdout).toMatch(/: 2 of 6 answers are wrong \(teei-v1\)\./);
  });

  it('fails a receiver behind express.json(): the valid event gets a 500, and the output names express.json()', async () => {
    const receiver = createReceiver({ secret: SECRET, catalog: buddyCatalog, logger: silent });
    const app = express();
    app.use(express.json());
    app.use(expressReceiver(receiver));
    const running = await listen(createServer(app));
    servers.push(running);
    const run = await cli(['check', `${running.origin}/webhooks/buddy-events`, '--secret', SECRET]);
    expect(run.code).toBe(1);
    expect(row(run.stdout, 'valid event').slice(1)).toEqual(['500 internal_error', expect.any(String), 'FAIL']);
    expect(run.stdout).toMatch(/FAIL valid event: refused a correctly signed event: 500: .*express\.json\(\)/);
    expect(run.stdout).toContain('the receiver said: "the receiver is misconfigured: see the server log"');
    // With the valid event refused, the refusals prove nothing.
    expect(row(run.stdout, 'tampered body').at(-1)).toBe('inconclusive');
  });

  it('fails a receiver behind a proxy that strips the signature header, and says so', async () => {
    const receiver = await startReceiver({ secret: SECRET, logger: silent });
    servers.push(receiver);
    const proxy = await startServer((req, res) => {
      const { 'x-webhook-signature': _dropped, ...headers } = req.headers;
      const upstream = request(receiver.url, { method: 'POST', headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    servers.push(proxy);
    const run = await cli(['check', `${proxy.origin}/webhooks/buddy-events`, '--secret', SECRET]);
    expect(run.code).toBe(1);
    expect(row(run.stdout, 'valid event').slice(1)).toEqual(['401 missing_header', expect.any(String), 'FAIL']);
    expect(run.stdout).toContain('the signature headers did not arrive (a proxy strips them?)');
  });

  it('prints JSON with --json; checks other schemes (sha256-body signs no timestamp: that probe is skipped)', async () => {
    const whsec = `whsec_${randomBytes(32).toString('base64')}`;
    const standard = await startReceiver({ secret: whsec, scheme: 'standard-webhooks' });
    const body = await startReceiver({ secret: SECRET, scheme: 'sha256-body' });
    servers.push(standard, body);
    const run = await cli(['check', standard.url, '--json', '--scheme', 'standard-webhooks'], {
      env: { CSR_WEBHOOK_SECRET: whsec },
    });
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; scheme: string; probes: Record<string, unknown>[] };
    expect(report).toMatchObject({ ok: true, scheme: 'standard-webhooks' });
    expect(report.probes.map((p) => [p.probe, p.status, p.verdict])).toEqual([
      ['valid', 202, 'ok'],
      ['duplicate', 200, 'ok'],
      ['tampered', 401, 'ok'],
      ['stale', 401, 'ok'],
      ['content-type', 415, 'ok'],
      ['oversized', 413, 'ok'],
    ]);
    expect(run.stdout).not.toContain(whsec);

    const sha = await cli(['check', body.url, '--secret', SECRET, '--scheme', 'sha256-body']);
    expect(sha.code, sha.stdout).toBe(0);
    expect(row(sha.stdout, 'stale timestamp')).toEqual(['401', '-', 'skipped']);
    expect(sha.stdout).toContain('sha256-body does not sign a timestamp');
  });

  it('fails a receiver whose limit is above --max-body-bytes, passes it when given its limit', async () => {
    const receiver = await startReceiver({ secret: SECRET, maxBodyBytes: 2 * 1024 * 1024, logger: silent });
    servers.push(receiver);
    const run = await cli(['check', receiver.url, '--secret', SECRET]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAIL oversized body: accepted a body over the limit');
    const right = await cli(['check', receiver.url, '--secret', SECRET, '--max-body-bytes', String(2 * 1024 * 1024)]);
    expect(right.code, right.stdout).toBe(0);
  });

  it('exits 1 when nothing answers, 2 on bad usage', async () => {
    const closed = await startServer(() => {});
    const url = `${closed.origin}/webhooks/buddy-events`;
    await closed.close();
    const refused = await cli(['check', url, '--secret', SECRET]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('FAIL valid event: no answer: connection refused');
    for (const [args, message] of [
      [['check', '--secret', SECRET], 'give <url>, or set CSR_WEBHOOK_URL'],
      [['check', 'csr.example/hook', '--secret', SECRET], '<url> must be an absolute http: or https: URL'],
      [['check', url], 'give --secret, or set CSR_WEBHOOK_SECRET'],
      [['check', url, '--secret', SECRET, '--max-body-bytes', '1MB'], '--max-body-bytes must be a positive integer'],
      [['check', url, '--secret', SECRET, '--type', 'buddy.match.deleted'], '--type must be one of'],
    ] as const) {
      const run = await cli(args);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };
