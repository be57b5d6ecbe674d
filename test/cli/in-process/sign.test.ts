// `event-relay sign` in this process. Every signature is checked with node:crypto alone, from the scheme's written
// rules (SPEC §5), so a bug shared by the CLI and the library cannot pass.
import { createHmac, createPublicKey, verify as cryptoVerify, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope, type SchemeName, serializeEvent, toFlatEvent } from '@teei/event-relay';
import { buddySample } from '@teei/event-relay/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../memory-io.js';

const SECRET = `cli-sign-${randomBytes(12).toString('hex')}`;
const WHSEC_KEY = randomBytes(32);
const WHSEC = `whsec_${WHSEC_KEY.toString('base64')}`;
const dir = mkdtempSync(join(tmpdir(), 'event-relay-cli-sign-in-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const envelope = createEnvelope('buddy.match.created', buddySample('buddy.match.created'));
const nested = serializeEvent(envelope);
const flat = JSON.stringify(toFlatEvent(envelope));
const file = (name: string, text: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const nestedFile = file('event.json', nested);
const flatFile = file('flat.json', flat);
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text);
const at = new Date('2026-03-14T15:09:26.000Z');
const unix = String(at.getTime() / 1000);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('sign: every scheme, checked with node:crypto', () => {
  const cases: [SchemeName, string, string, string, Record<string, string>][] = [
    [
      'teei-v1',
      SECRET,
      nestedFile,
      nested,
      {
        'X-Webhook-Id': envelope.metadata.id,
        'X-Webhook-Timestamp': at.toISOString(),
        'X-Webhook-Signature': `sha256=${hmac(SECRET, `${envelope.metadata.id}.${at.toISOString()}.${nested}`).digest('hex')}`,
      },
    ],
    [
      'standard-webhooks',
      WHSEC,
      nestedFile,
      nested,
      {
        'webhook-id': envelope.metadata.id,
        'webhook-timestamp': unix,
        'webhook-signature': `v1,${hmac(WHSEC_KEY, `${envelope.metadata.id}.${unix}.${nested}`).digest('base64')}`,
      },
    ],
    [
      'buddy-connector',
      SECRET,
      flatFile,
      flat,
      {
        'X-Delivery-Id': envelope.metadata.id,
        'X-Buddy-Signature': `t=${unix},v1=${hmac(SECRET, `${unix}.${flat}`).digest('hex')}`,
      },
    ],
    [
      'sha256-body',
      SECRET,
      nestedFile,
      nested,
      {
        // Sent, but not signed: the ADR appendix's GitHub style signs the body only.
        'X-Webhook-Id': envelope.metadata.id,
        'X-Webhook-Timestamp': at.toISOString(),
        'X-Webhook-Signature': `sha256=${hmac(SECRET, nested).digest('hex')}`,
      },
    ],
  ];

  it.each(cases)(
    '%s: "Name: value" lines for a file, the id taken from the event',
    async (scheme, secret, path, _b, expected) => {
      const run = await runCli(['sign', path, '--scheme', scheme, '--secret', secret, '--timestamp', at.toISOString()]);
      expect(run.code, run.stderr).toBe(0);
      const lines = { 'Content-Type': 'application/json', ...expected };
      expect(run.stdout).toBe(
        Object.entries(lines)
          .map(([name, value]) => `${name}: ${value}\n`)
          .join(''),
      );
      expect(run.stderr).toBe('');
      expect(run.stdout).not.toContain(secret);
    },
  );

  it.each(cases)(
    '%s: --json from stdin, with the secret and scheme from CSR_WEBHOOK_*',
    async (scheme, secret, _p, body, expected) => {
      const run = await runCli(['sign', '-', '--timestamp', unix, '--json'], {
        stdin: body,
        env: { CSR_WEBHOOK_SECRET: secret, CSR_WEBHOOK_SCHEME: scheme },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ 'Content-Type': 'application/json', ...expected });
    },
  );

  it('takes --id; a body that is no event gets a new uuid', async () => {
    const given = await runCli(['sign', '--id', 'delivery-7', '--json', '--secret', SECRET], { stdin: 'any bytes' });
    expect(JSON.parse(given.stdout)['X-Webhook-Id']).toBe('delivery-7');
    for (const body of ['any bytes', '{"id":""}', '{"metadata":{"id":7}}', 'null']) {
      const fresh = await runCli(['sign', '--json', '--secret', SECRET], { stdin: body });
      expect(fresh.code, fresh.stderr).toBe(0);
      const headers = JSON.parse(fresh.stdout) as Record<string, string>;
      expect(headers['X-Webhook-Id']).toMatch(UUID);
      const content = `${headers['X-Webhook-Id']}.${headers['X-Webhook-Timestamp']}.${body}`;
      expect(headers['X-Webhook-Signature']).toBe(`sha256=${hmac(SECRET, content).digest('hex')}`);
    }
  });

  it('signs now by default', async () => {
    const before = Date.now();
    const run = await runCli(['sign', nestedFile, '--json', '--secret', SECRET]);
    const stamp = Date.parse(JSON.parse(run.stdout)['X-Webhook-Timestamp']);
    expect(stamp).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(stamp).toBeLessThanOrEqual(Date.now());
  });

  it('signs with each --secret during a rotation', async () => {
    const other = `${SECRET}-next`;
    const run = await runCli(['sign', nestedFile, '-s', SECRET, '-s', other, '--timestamp', unix, '--json']);
    const content = `${envelope.metadata.id}.${at.toISOString()}.${nested}`;
    expect(JSON.parse(run.stdout)['X-Webhook-Signature']).toBe(
      `sha256=${hmac(SECRET, content).digest('hex')} sha256=${hmac(other, content).digest('hex')}`,
    );
  });

  it('signs standard-webhooks v1a with a key pair from keys generate; node:crypto verifies it', async () => {
    const keys = await runCli(['keys', 'generate', '--ed25519', '--json']);
    const { signingKey, publicKey } = JSON.parse(keys.stdout) as { signingKey: string; publicKey: string };
    const run = await runCli(['sign', nestedFile, '--scheme', 'standard-webhooks', '--secret', signingKey, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const headers = JSON.parse(run.stdout) as Record<string, string>;
    const signature = headers['webhook-signature']!;
    expect(signature).toMatch(/^v1a,/);
    const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    const content = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${nested}`;
    expect(cryptoVerify(null, Buffer.from(content), key, Buffer.from(signature.slice(4), 'base64'))).toBe(true);
  });
});

describe('sign --curl', () => {
  const url = 'http://127.0.0.1:3000/webhooks/buddy-events';

  it('posts the file with --data-binary, one -H per header', async () => {
    const run = await runCli(['sign', nestedFile, '--curl', '--url', url, '--secret', SECRET, '--timestamp', unix]);
    expect(run.code, run.stderr).toBe(0);
    const signature = hmac(SECRET, `${envelope.metadata.id}.${at.toISOString()}.${nested}`).digest('hex');
    expect(run.stdout).toBe(
      [
        `curl -sS -X POST ${url}`,
        `-H 'Content-Type: application/json'`,
        `-H 'X-Webhook-Id: ${envelope.metadata.id}'`,
        `-H 'X-Webhook-Timestamp: ${at.toISOString()}'`,
        `-H 'X-Webhook-Signature: sha256=${signature}'`,
        `--data-binary @${nestedFile}`,
      ].join(' \\\n  ') + '\n',
    );
  });

  it('inlines a body from stdin, quoted for the shell, to CSR_WEBHOOK_URL', async () => {
    const body = `{"note":"it's fine"}`;
    const run = await runCli(['sign', '--curl', '--secret', SECRET, '--id', 'x1'], {
      stdin: body,
      env: { CSR_WEBHOOK_URL: `${url}?a b` },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`curl -sS -X POST '${url}?a b' \\\n`);
    expect(run.stdout).toContain(`--data-raw '{"note":"it'\\''s fine"}'\n`);
  });

  it('refuses to inline a body that is not UTF-8 text (exit 1), and --curl without a URL (exit 2)', async () => {
    const binary = await runCli(['sign', '--curl', '--url', url, '--secret', SECRET], {
      stdin: Buffer.from([0xff, 0xfe, 0x00]),
    });
    expect(binary.code).toBe(1);
    expect(binary.stderr).toContain('the body is not UTF-8 text, so it cannot be inlined in a curl command');
    const nul = await runCli(['sign', '--curl', '--url', url, '--secret', SECRET], { stdin: 'a\0b' });
    expect(nul.code).toBe(1);
    const noUrl = await runCli(['sign', nestedFile, '--curl', '--secret', SECRET]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('--curl needs --url, or CSR_WEBHOOK_URL set');
  });
});

describe('sign: failures and bad usage', () => {
  const sub = join(dir, 'sub');
  mkdirSync(sub, { recursive: true });

  it.each([
    ['a missing file', [join(dir, 'nope.json'), '--secret', SECRET], 1, `${join(dir, 'nope.json')}: no such file`],
    ['a directory', [sub, '--secret', SECRET], 1, `${sub} is a directory, not a file`],
    ['a file used as a directory', [join(nestedFile, 'x'), '--secret', SECRET], 1, `${join(nestedFile, 'x')}: ENOTDIR`],
    ['no secret', [nestedFile], 2, 'give --secret, or set CSR_WEBHOOK_SECRET'],
    ['a bad --timestamp', [nestedFile, '-s', SECRET, '--timestamp', 'yesterday'], 2, '--timestamp must be ISO-8601'],
    ['an impossible date', [nestedFile, '-s', SECRET, '--timestamp', '2026-13-45'], 2, 'got "2026-13-45"'],
    ['a date-like word', [nestedFile, '-s', SECRET, '--timestamp', 'March 1, 2026'], 2, '--timestamp must be'],
    [
      'a secret that is not whsec_<base64>',
      [nestedFile, '--secret', 'whsec_%%%', '--scheme', 'standard-webhooks'],
      2,
      'whsec_<base64>',
    ],
    ['a bad --key-encoding', [nestedFile, '-s', SECRET, '--key-encoding', 'hex'], 2, '--key-encoding must be one of'],
  ])('%s', async (_label, args, code, message) => {
    const run = await runCli(['sign', ...args]);
    expect(run.code, run.stdout + run.stderr).toBe(code);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain(SECRET);
  });

  it('asks for a file when stdin is a terminal (exit 2), instead of waiting on it', async () => {
    const run = await runCli(['sign', '--secret', SECRET], { stdinTTY: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('event-relay sign: give a file, or pipe the body into stdin');
  });

  it('keys --key-encoding base64 and utf8 as asked', async () => {
    const key = randomBytes(16);
    const b64 = await runCli(
      ['sign', '--json', '--id', 'i', '--timestamp', unix, '-s', key.toString('base64'), '--key-encoding', 'base64'],
      { stdin: 'b' },
    );
    expect(JSON.parse(b64.stdout)['X-Webhook-Signature']).toBe(
      `sha256=${hmac(key, `i.${at.toISOString()}.b`).digest('hex')}`,
    );
    const utf8 = await runCli(
      [
        'sign',
        '--json',
        '--id',
        'i',
        '--timestamp',
        unix,
        '-s',
        WHSEC,
        '--key-encoding',
        'utf8',
        '--scheme',
        'standard-webhooks',
      ],
      { stdin: 'b' },
    );
    expect(JSON.parse(utf8.stdout)['webhook-signature']).toBe(`v1,${hmac(WHSEC, `i.${unix}.b`).digest('base64')}`);
  });
});
