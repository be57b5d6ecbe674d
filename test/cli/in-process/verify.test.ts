// `event-relay verify` in this process: ok, each failure reason (text and JSON), the ways headers are given, and
// bad usage. The signed requests come from the library's `sign`, whose output sign.test.ts checks with node:crypto.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope, serializeEvent, sign } from '@teei/event-relay';
import { buddySample } from '@teei/event-relay/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../memory-io.js';

const SECRET = `cli-verify-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'event-relay-cli-verify-in-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const envelope = createEnvelope('buddy.match.created', buddySample('buddy.match.created'));
const body = serializeEvent(envelope);
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const bodyFile = file('body.json', body);
const env = { WEBHOOK_SIGNATURE_SECRET: SECRET };

async function headersFor(timestamp = new Date(), secret = SECRET): Promise<Record<string, string>> {
  return sign({ secret, id: envelope.metadata.id, timestamp, body });
}
const lines = (headers: Record<string, string>): string =>
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('');
const flags = (headers: Record<string, string>): string[] =>
  Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);

describe('verify: ok', () => {
  it('accepts -H headers and prints the delivery id, time and scheme', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const run = await runCli(['verify', bodyFile, ...flags(await headersFor(at))], { env });
    expect(run).toEqual({
      code: 0,
      stdout: `ok: delivery ${envelope.metadata.id}, signed at ${at.toISOString()} (teei-v1)\n`,
      stderr: '',
    });
  });

  it('reads a pasted request head from --headers: request line, blank lines, any case', async () => {
    const head = `POST /webhooks/buddy-events HTTP/1.1\r\nHost: csr.example\r\n\r\n${lines(await headersFor()).replace(/^[^:]+/gm, (name) => name.toLowerCase())}`;
    const run = await runCli(['verify', '--headers', file('head.txt', head), '--secret', SECRET], { stdin: body });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const status = `HTTP/1.1 200 OK\n${lines(await headersFor())}`;
    expect((await runCli(['verify', bodyFile, '--headers', file('status.txt', status)], { env })).code).toBe(0);
  });

  it('reads the JSON object sign --json prints, and prints JSON with --json', async () => {
    const headers = file('headers.json', JSON.stringify(await headersFor()));
    const run = await runCli(['verify', bodyFile, '--headers', headers, '--json'], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      id: envelope.metadata.id,
      timestamp: expect.stringMatching(/Z$/),
      scheme: 'teei-v1',
    });
  });

  it('accepts a signature made with any of several --secret values (rotation)', async () => {
    const run = await runCli(['verify', bodyFile, ...flags(await headersFor()), '-s', 'old-secret', '-s', SECRET]);
    expect(run.code, run.stdout).toBe(0);
  });

  it('colours ok and invalid on a terminal', async () => {
    const ok = await runCli(['verify', bodyFile, ...flags(await headersFor())], { env, isTTY: true });
    expect(ok.stdout.startsWith('\x1b[32mok\x1b[39m: delivery')).toBe(true);
    const bad = await runCli(['verify', bodyFile, ...flags(await headersFor(new Date(), 'other'))], {
      env,
      isTTY: true,
    });
    expect(bad.stdout.startsWith('\x1b[31minvalid\x1b[39m: invalid_signature')).toBe(true);
  });
});

describe('verify: each failure reason exits 1', () => {
  const cases: [string, () => Promise<string[]>][] = [
    ['invalid_signature', async () => flags(await headersFor(new Date(), 'not-the-secret'))],
    [
      'missing_header',
      async () => {
        const { 'X-Webhook-Signature': _dropped, ...rest } = await headersFor();
        return flags(rest);
      },
    ],
    ['malformed_header', async () => flags({ ...(await headersFor()), 'X-Webhook-Signature': 'md5=abc' })],
    ['timestamp_out_of_tolerance', async () => flags(await headersFor(new Date(Date.now() - 3_600_000)))],
  ];

  it.each(cases)('%s, in text and in JSON', async (code, args) => {
    const text = await runCli(['verify', bodyFile, ...(await args())], { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^invalid: ${code}: .+ \\(teei-v1\\)\\n$`));
    const json = await runCli(['verify', bodyFile, ...(await args()), '--json'], { env });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, code, message: expect.any(String) });
    expect(text.stdout + json.stdout).not.toContain(SECRET);
  });

  it('a changed body is an invalid signature; a larger --tolerance accepts an old one', async () => {
    const headers = flags(await headersFor());
    const changed = await runCli(['verify', ...headers], { env, stdin: body.replace('"de"', '"fr"') });
    expect(changed.stdout).toMatch(/^invalid: invalid_signature: /);
    const old = flags(await headersFor(new Date(Date.now() - 3_600_000)));
    expect((await runCli(['verify', bodyFile, ...old, '--tolerance', '7200'], { env })).code).toBe(0);
  });
});

describe('verify: bad usage exits 2, an unreadable file 1', () => {
  it.each([
    ['no headers', [bodyFile], 'give the request headers with -H "Name: value" or --headers <file>'],
    ['a line without a colon', [bodyFile, '-H', 'no colon'], '-H: expected "Name: value", got "no colon"'],
    ['a line without a name', [bodyFile, '-H', ': v'], '-H: expected "Name: value"'],
    ['a name with a space', [bodyFile, '-H', 'X Id: v'], '-H: expected "Name: value"'],
    [
      'a bad --tolerance',
      [bodyFile, '-H', 'a: b', '--tolerance', '5m'],
      '--tolerance must be a whole number of seconds, got "5m"',
    ],
    ['a secret of spaces', [bodyFile, '-H', 'a: b', '--secret', '   '], 'secret'],
  ])('%s', async (_label, args, message) => {
    const run = await runCli(['verify', ...args], { env });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('names the line of a --headers file that is not a header, and refuses JSON that is not headers', async () => {
    const bad = file('bad.txt', 'X-Webhook-Id: 1\n\nnot a header\n');
    const run = await runCli(['verify', bodyFile, '--headers', bad], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bad} line 3: expected "Name: value", got "not a header"`);
    const json = file('bad.json', '{"a": ');
    expect((await runCli(['verify', bodyFile, '--headers', json], { env })).stderr).toContain(
      `${json}: not valid JSON`,
    );
    const number = file('number.json', '{"X-Webhook-Id": 1}');
    expect((await runCli(['verify', bodyFile, '--headers', number], { env })).stderr).toContain(
      `${number}: the value of X-Webhook-Id must be a string`,
    );
  });

  it('reads WEBHOOK_SIGNATURE_SECRET, the receiving side, not CSR_WEBHOOK_SECRET', async () => {
    const run = await runCli(['verify', bodyFile, ...flags(await headersFor())], {
      env: { CSR_WEBHOOK_SECRET: SECRET },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give --secret, or set WEBHOOK_SIGNATURE_SECRET');
  });

  it('exits 1 for a --headers file that does not exist', async () => {
    const run = await runCli(['verify', bodyFile, '--headers', join(dir, 'none.txt')], { env });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `event-relay verify: ${join(dir, 'none.txt')}: no such file\n`,
    });
  });
});
