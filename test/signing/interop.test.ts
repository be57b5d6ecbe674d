import { createHmac } from 'node:crypto';
import { sign as githubSign, verify as githubVerify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { createSigner, createVerifier, generateEd25519KeyPair, generateSecret, sign, verify } from '../../src/index.js';

const BODY = '{"type":"buddy.match.created","data":{"matchId":"0b9f5c3e-1d2a-4c6b-8e7f-9a0b1c2d3e4f"}}';

describe('interop with the standardwebhooks npm package', () => {
  const secret = generateSecret();
  const webhook = new Webhook(secret);

  it('its Webhook verifies our standard-webhooks output', async () => {
    const headers = await sign({ scheme: 'standard-webhooks', secret, id: 'msg_ours', body: BODY });
    expect(webhook.verify(BODY, headers)).toEqual(JSON.parse(BODY));
  });

  it('its Webhook verifies our rotated and mixed (v1 + v1a) headers through the v1 it knows', async () => {
    const { signingKey } = await generateEd25519KeyPair();
    const headers = await sign({
      scheme: 'standard-webhooks',
      secrets: [generateSecret(), secret, signingKey],
      id: 'msg_mixed',
      body: BODY,
    });
    expect(webhook.verify(BODY, headers)).toEqual(JSON.parse(BODY));
  });

  it('we verify its output', async () => {
    const now = new Date();
    const id = 'msg_theirs';
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': webhook.sign(id, now, BODY),
    };
    const result = await verify({ scheme: 'standard-webhooks', secret, headers, body: BODY });
    expect(result.id).toBe(id);
    await expect(
      verify({ scheme: 'standard-webhooks', secret: generateSecret(), headers, body: BODY }),
    ).rejects.toMatchObject({
      code: 'invalid_signature',
    });
  });

  it('we agree with it on which tampered requests fail', async () => {
    const headers = await sign({ scheme: 'standard-webhooks', secret, id: 'msg_t', body: BODY });
    const tampered = `${BODY} `;
    expect(() => webhook.verify(tampered, headers)).toThrow();
    await expect(verify({ scheme: 'standard-webhooks', secret, headers, body: tampered })).rejects.toMatchObject({
      code: 'invalid_signature',
    });
  });
});

describe('interop with the svix npm package', () => {
  it('its Webhook verifies our standard-webhooks output, and we verify its signatures', async () => {
    const secret = generateSecret();
    const svix = new SvixWebhook(secret);
    const headers = await sign({ scheme: 'standard-webhooks', secret, id: 'msg_svix', body: BODY });
    expect(svix.verify(BODY, headers)).toEqual(JSON.parse(BODY));
    const now = new Date();
    const theirs = {
      'webhook-id': 'msg_svix_2',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': svix.sign('msg_svix_2', now, BODY),
    };
    await expect(verify({ scheme: 'standard-webhooks', secret, headers: theirs, body: BODY })).resolves.toMatchObject({
      id: 'msg_svix_2',
    });
  });
});

describe('buddy-connector meets the platform receiver rules', () => {
  const secret = 'platform-shared-secret';
  const RULE = /^t=(\d+),v1=([0-9a-f]{64})$/;

  it('X-Buddy-Signature is t=<unix seconds>,v1=<lowercase hex of HMAC-SHA256 over t + "." + body>', async () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = await createSigner({ scheme: 'buddy-connector', secret }).sign({ id: 'delivery-7', body: BODY });
    const after = Math.floor(Date.now() / 1000);
    expect(Object.keys(headers).sort()).toEqual(['X-Buddy-Signature', 'X-Delivery-Id']);
    expect(headers['X-Delivery-Id']).toBe('delivery-7');
    const match = RULE.exec(headers['X-Buddy-Signature'] as string);
    expect(match).not.toBeNull();
    const [, t, hex] = match as RegExpExecArray;
    expect(Number(t)).toBeGreaterThanOrEqual(before);
    expect(Number(t)).toBeLessThanOrEqual(after);
    expect(hex).toBe(createHmac('sha256', secret).update(`${t}.${BODY}`).digest('hex'));
  });

  it('we verify a header built by hand the platform way', async () => {
    const t = Math.floor(Date.now() / 1000);
    const hex = createHmac('sha256', secret).update(`${t}.${BODY}`).digest('hex');
    const verifier = createVerifier({ scheme: 'buddy-connector', secret });
    const result = await verifier.verify({
      headers: { 'x-delivery-id': 'd', 'x-buddy-signature': `t=${t},v1=${hex}` },
      body: BODY,
    });
    expect(result).toEqual({ id: 'd', timestamp: new Date(t * 1000) });
  });
});

describe('sha256-body interop with GitHub-style signatures (@octokit/webhooks-methods)', () => {
  const secret = 'github-style-secret';

  it('octokit verifies our X-Webhook-Signature', async () => {
    const headers = await sign({ scheme: 'sha256-body', secret, id: 'd', body: BODY });
    expect(await githubVerify(secret, BODY, headers['X-Webhook-Signature'] as string)).toBe(true);
  });

  it('we verify octokit signatures', async () => {
    const signature = await githubSign(secret, BODY);
    const result = await verify({
      scheme: 'sha256-body',
      secret,
      headers: { 'x-webhook-id': 'd', 'x-webhook-signature': signature },
      body: BODY,
    });
    expect(result.id).toBe('d');
  });
});

// Their own cases, as the standardwebhooks and svix test suites write them ("verification works with and without
// signature prefix", "sign function works"), run against us with a bare base64 secret.
describe('bare base64 secrets (no whsec_), as the standardwebhooks and svix packages read them', () => {
  const defaultSecret = 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const msgId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const payload = '{"test": 2432232314}';

  /** Their TestPayload: HMAC keyed with the base64-decoded secret, computed by hand. */
  function testPayload(now = Date.now()) {
    const timestamp = Math.floor(now / 1000);
    const signature = createHmac('sha256', Buffer.from(defaultSecret, 'base64'))
      .update(`${msgId}.${timestamp}.${payload}`)
      .digest('base64');
    return {
      'webhook-id': msgId,
      'webhook-signature': `v1,${signature}`,
      'webhook-timestamp': String(timestamp),
    };
  }

  it('verification works with and without signature prefix', async () => {
    const headers = testPayload();
    for (const secret of [defaultSecret, `whsec_${defaultSecret}`]) {
      await expect(verify({ scheme: 'standard-webhooks', secret, headers, body: payload })).resolves.toMatchObject({
        id: msgId,
      });
    }
  });

  it('sign function works, with the bare key as with the prefixed one', async () => {
    const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
    const timestamp = new Date(1614265330 * 1000);
    for (const secret of [defaultSecret, `whsec_${defaultSecret}`]) {
      const headers = await sign({ scheme: 'standard-webhooks', secret, id: msgId, timestamp, body: payload });
      expect(headers['webhook-signature']).toBe(expected);
    }
  });

  it.each([
    ['standardwebhooks', (secret: string) => new Webhook(secret)],
    ['svix', (secret: string) => new SvixWebhook(secret)],
  ] as const)('%s verifies what we sign with the bare secret, and we verify what it signs', async (_name, make) => {
    const theirs = make(defaultSecret);
    const ours = await sign({ scheme: 'standard-webhooks', secret: defaultSecret, id: 'msg_ours', body: BODY });
    expect(theirs.verify(BODY, ours)).toEqual(JSON.parse(BODY));
    const now = new Date();
    const headers = {
      'webhook-id': 'msg_theirs',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': theirs.sign('msg_theirs', now, BODY),
    };
    const verifier = createVerifier({ scheme: 'standard-webhooks', secret: defaultSecret });
    await expect(verifier.verify({ headers, body: BODY })).resolves.toMatchObject({ id: 'msg_theirs' });
    // And a fresh random bare secret, both ways.
    const fresh = generateSecret().slice('whsec_'.length);
    const signedByUs = await sign({ scheme: 'standard-webhooks', secret: fresh, id: 'msg_fresh', body: BODY });
    expect(make(fresh).verify(BODY, signedByUs)).toEqual(JSON.parse(BODY));
    const signedByThem = { ...headers, 'webhook-signature': make(fresh).sign('msg_theirs', now, BODY) };
    await expect(
      verify({ scheme: 'standard-webhooks', secret: fresh, headers: signedByThem, body: BODY }),
    ).resolves.toMatchObject({ id: 'msg_theirs' });
  });
});
