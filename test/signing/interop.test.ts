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
