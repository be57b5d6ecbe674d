// `event-relay sign` and `verify`, run as the built bin. Every signature `sign` prints is checked here with
// node:crypto alone, from the scheme's written rules, so a bug shared by the CLI and the library cannot pass.
import { execFile } from 'node:child_process';
import { createHmac, createPublicKey, verify as cryptoVerify, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEnvelope, type SchemeName, serializeEvent, toFlatEvent } from '@teei/event-relay';
import { buddySample } from '@teei/event-relay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, cli } from './built-cli.js';
import { type RunningReceiver, startReceiver } from './servers.js';

const SECRET = `cli-test-${randomBytes(12).toString('hex')}`;
const WHSEC_KEY = randomBytes(32);
const WHSEC = `whsec_${WHSEC_KEY.toString('base64')}`;
const dir = mkdtempSync(join(tmpdir(), 'event-relay-cli-sign-'));
const envelope = createEnvelope('buddy.match.created', buddySample('buddy.match.created'));
const nested = serializeEvent(envelope);
const flat = JSON.stringify(toFlatEvent(envelope));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const nestedFile = file('event.json', nested);
const flatFile = file('flat.json', flat);
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text);
const headerLines = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  );

beforeAll(async () => {
  await builtCli();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('event-relay sign, checked with node:crypto', () => {
  const at = new Date('2026-03-14T15:09:26.000Z');
  const unix = String(at.getTime() / 1000);
  // Each scheme's rule, written from SPEC §5 without the library: the expected headers for `body`.
  const cases: [SchemeName, string, string, string, (id: string) => Record<string, string>][] = [
    [
      'teei-v1',
      SECRET,
      nestedFile,
      nested,
      (id) => ({
        'X-Webhook-Id': id,
        'X-Webhook-Timestamp': at.toISOString(),
        'X-Webhook-Signature': `sha256=${hmac(SECRET, `${id}.${at.toISOString()}.${nested}`).digest('hex')}`,
      }),
    ],
    [
      'standard-webhooks',
      WHSEC,
      nestedFile,
      nested,
      (id) => ({
        'webhook-id': id,
        'webhook-timestamp': unix,
        'webhook-signature': `v1,${hmac(WHSEC_KEY, `${id}.${unix}.${nested}`).digest('base64')}`,
      }),
    ],
    [
      'buddy-connector',
      SECRET,
      flatFile,
      flat,
      (id) => ({
        'X-Delivery-Id': id,
        'X-Buddy-Signature': `t=${unix},v1=${hmac(SECRET, `${unix}.${flat}`).digest('hex')}`,
      }),
    ],
    [
      'sha256-body',
      SECRET,
      nestedFile,
      nested,
      () => ({ 'X-Webhook-Signature': `sha256=${hmac(SECRET, nested).digest('hex')}` }),
    ],
  ];

  it.each(cases)('%s: headers for a file, then verify accepts them', async (scheme, secret, path, _body, expected) => {
    const run = await cli(['sign', path, '--scheme', scheme, '--secret', secret, '--timestamp', at.toISOString()]);
    expect(run.code, run.stderr).toBe(0);
    const headers = headerLines(run.stdout);
    // The delivery id defaults to the event's own id, so a re-send is recognised as a duplicate.
    expect(headers).toMatchObject(expected(envelope.metadata.id));
    expect(headers['Content-Type']).toBe('application/json');
    expect(run.stdout + run.stderr).not.toContain(secret);

    const headerFile = file(`${scheme}.headers`, run.stdout);
    const accepted = await cli(
      ['verify', path, '--headers', headerFile, '--scheme', scheme, '--tolerance', '999999999'],
      {
        env: { WEBHOOK_SIGNATURE_SECRET: secret },
      },
    );
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
    expect(accepted.stdout).toBe(`ok: delivery ${envelope.metadata.id}, signed at ${at.toISOString()} (${scheme})\n`);
  });

  it('takes the delivery id and a unix timestamp from flags, the secret and scheme from CSR_WEBHOOK_*, and prints JSON', async () => {
    const run = await cli(['sign', '--id', 'delivery-7', '--timestamp', unix, '--json'], {
      input: 'any bytes at all',
      env: { CSR_WEBHOOK_SECRET: SECRET, CSR_WEBHOOK_SCHEME: 'buddy-connector' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      'Content-Type': 'application/json',
      'X-Delivery-Id': 'delivery-7',
      'X-Buddy-Signature': `t=${unix},v1=${hmac(SECRET, `${unix}.any bytes at all`).digest('hex')}`,
    });
  });

  it('signs with each --secret during a rotation', async () => {
    const other = `${SECRET}-next`;
    const run = await cli(['sign', nestedFile, '--secret', SECRET, '--secret', other, '--timestamp', unix, '--json']);
    const signature = JSON.parse(run.stdout)['X-Webhook-Signature'] as string;
    const content = `${envelope.metadata.id}.${at.toISOString()}.${nested}`;
    expect(signature.split(' ')).toEqual([
      `sha256=${hmac(SECRET, content).digest('hex')}`,
      `sha256=${hmac(other, content).digest('hex')}`,
    ]);
  });

  it('signs standard-webhooks v1a with an ed25519 key from keys generate; node:crypto verifies it with the public key', async () => {
    const keys = await cli(['keys', 'generate', '--ed25519', '--json']);
    expect(keys.code, keys.stderr).toBe(0);
    const { signingKey, publicKey } = JSON.parse(keys.stdout) as { signingKey: string; publicKey: string };
    const run = await cli(['sign', nestedFile, '--scheme', 'standard-webhooks', '--secret', signingKey, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const headers = JSON.parse(run.stdout) as Record<string, string>;
    const signature = headers['webhook-signature']!;
    expect(signature).toMatch(/^v1a,/);
    const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    const content = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${nested}`;
    expect(cryptoVerify(null, Buffer.from(content), key, Buffer.from(signature.slice(4), 'base64'))).toBe(true);
    expect(run.stdout).not.toContain(signingKey);
  });
});

describe('event-relay sign --curl', () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startReceiver({ secret: SECRET });
  });
  afterAll(() => receiver.close());

  it('prints a curl command that delivers the signed event: 202 from a real receiver', async () => {
    const run = await cli(['sign', nestedFile, '--curl', '--url', receiver.url, '--secret', SECRET]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^curl -sS -X POST /);
    expect(run.stdout).toContain(`--data-binary @${nestedFile}`);
    expect(run.stdout).not.toContain(SECRET);
    const { stdout } = await promisify(execFile)('sh', ['-c', run.stdout]);
    expect(JSON.parse(stdout)).toEqual({ acknowledged: true, eventId: envelope.metadata.id });
    expect(receiver.handled.map((e) => e.metadata.id)).toEqual([envelope.metadata.id]);
  });

  it('inlines a body read from stdin, quoted for the shell', async () => {
    const event = createEnvelope('buddy.checkin.completed', {
      ...buddySample('buddy.checkin.completed'),
      notes: "it's fine",
    });
    const run = await cli(['sign', '--curl', '--secret', SECRET], {
      input: serializeEvent(event),
      env: { CSR_WEBHOOK_URL: receiver.url },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('--data-raw');
    const { stdout } = await promisify(execFile)('sh', ['-c', run.stdout]);
    expect(JSON.parse(stdout)).toMatchObject({ acknowledged: true, eventId: event.metadata.id });
  });
});

describe('event-relay verify', () => {
  const signFor = async (body: string, extra: string[] = []) => {
    const run = await cli(['sign', '--secret', SECRET, ...extra], { input: body });
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };

  it('says why a request fails, and exits 1: a changed body, a missing header, a stale timestamp', async () => {
    const headers = file('fresh.headers', await signFor(nested));
    const env = { WEBHOOK_SIGNATURE_SECRET: SECRET };
    const changed = await cli(['verify', '--headers', headers], { input: nested.replace('"de"', '"fr"'), env });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^invalid: invalid_signature: /);

    const lines = headerLines(await signFor(nested));
    const partial = [
      '-H',
      `X-Webhook-Id: ${lines['X-Webhook-Id']}`,
      '-H',
      `X-Webhook-Timestamp: ${lines['X-Webhook-Timestamp']}`,
    ];
    const missing = await cli(['verify', nestedFile, ...partial], { env });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^invalid: missing_header: /);

    const old = file(
      'old.headers',
      await signFor(nested, ['--timestamp', String(Math.floor(Date.now() / 1000) - 3600)]),
    );
    const stale = await cli(['verify', nestedFile, '--headers', old, '--json'], { env });
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toMatchObject({ ok: false, code: 'timestamp_out_of_tolerance' });
    // A captured request, checked later on purpose.
    const later = await cli(['verify', nestedFile, '--headers', old, '--tolerance', '7200', '--json'], { env });
    expect(later.code, later.stdout).toBe(0);
    expect(JSON.parse(later.stdout)).toMatchObject({ ok: true, id: envelope.metadata.id, scheme: 'teei-v1' });

    for (const run of [changed, missing, stale, later]) expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('reads a pasted request head (request line and all) and -H lines, in any case', async () => {
    const lower = (await signFor(nested)).replace(/^[^:]+/gm, (name) => name.toLowerCase());
    const head = `POST /webhooks/buddy-events HTTP/1.1\nHost: csr.example\n${lower}`;
    const run = await cli(['verify', nestedFile, '--headers', file('head.txt', head), '--secret', SECRET]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });

  it('reads WEBHOOK_SIGNATURE_SECRET, the receiving side, and not CSR_WEBHOOK_SECRET', async () => {
    const headers = file('env.headers', await signFor(nested));
    const run = await cli(['verify', nestedFile, '--headers', headers], { env: { CSR_WEBHOOK_SECRET: SECRET } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give --secret, or set WEBHOOK_SIGNATURE_SECRET');
  });
});

describe('event-relay sign and verify: failures and bad usage', () => {
  it.each([
    ['a missing file', ['sign', join(dir, 'nope.json'), '--secret', SECRET], 1, 'nope.json: no such file'],
    ['a directory', ['sign', dir, '--secret', SECRET], 1, 'is a directory'],
    ['no secret', ['sign', nestedFile], 2, 'give --secret, or set CSR_WEBHOOK_SECRET'],
    [
      'a bad --timestamp',
      ['sign', nestedFile, '--secret', SECRET, '--timestamp', 'yesterday'],
      2,
      '--timestamp must be ISO-8601',
    ],
    ['--curl without a URL', ['sign', nestedFile, '--secret', SECRET, '--curl'], 2, '--curl needs --url'],
    [
      'a secret that is not whsec_<base64>',
      ['sign', nestedFile, '--secret', 'whsec_%%%', '--scheme', 'standard-webhooks'],
      2,
      'whsec_<base64>',
    ],
    ['verify without headers', ['verify', nestedFile, '--secret', SECRET], 2, 'give the request headers with -H'],
    [
      'a header line without a colon',
      ['verify', nestedFile, '--secret', SECRET, '-H', 'no colon'],
      2,
      '-H: expected "Name: value"',
    ],
    [
      'a bad --tolerance',
      ['verify', nestedFile, '--secret', SECRET, '-H', 'a: b', '--tolerance', '5m'],
      2,
      '--tolerance must be',
    ],
  ])('%s exits %i: %s', async (_label, args, code, message) => {
    const run = await cli(args);
    expect(run.code, run.stdout + run.stderr).toBe(code);
    expect(run.stderr).toContain(message);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});
