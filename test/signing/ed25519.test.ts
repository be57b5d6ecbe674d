import { describe, expect, it } from 'vitest';
import {
  createSigner,
  createVerifier,
  generateEd25519KeyPair,
  generateSecret,
  isEventRelayError,
  sign,
  verify,
} from '../../src/index.js';

const AT = new Date('2026-07-07T07:07:07.000Z');
const scheme = 'standard-webhooks' as const;

describe('standard-webhooks asymmetric (v1a, ed25519)', () => {
  it('generateEd25519KeyPair gives whsk_/whpk_ keys of 32 bytes each', async () => {
    const { signingKey, publicKey } = await generateEd25519KeyPair();
    expect(signingKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
  });

  it('signs with whsk_ and verifies with whpk_ (or whsk_), not with another key', async () => {
    const pair = await generateEd25519KeyPair();
    const other = await generateEd25519KeyPair();
    const headers = await sign({ scheme, secret: pair.signingKey, id: 'msg_1', body: '{"a":1}', timestamp: AT });
    expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    for (const secret of [pair.publicKey, pair.signingKey]) {
      await expect(verify({ scheme, secret, headers, body: '{"a":1}', now: AT })).resolves.toEqual({
        id: 'msg_1',
        timestamp: AT,
      });
    }
    await expect(verify({ scheme, secret: other.publicKey, headers, body: '{"a":1}', now: AT })).rejects.toMatchObject({
      code: 'invalid_signature',
    });
    await expect(verify({ scheme, secret: pair.publicKey, headers, body: '{"a":2}', now: AT })).rejects.toMatchObject({
      code: 'invalid_signature',
    });
  });

  it('mixes symmetric and asymmetric signatures in one header, verifiable with either key', async () => {
    const pair = await generateEd25519KeyPair();
    const secret = generateSecret();
    const headers = await sign({ scheme, secrets: [secret, pair.signingKey], id: 'msg_2', body: 'b', timestamp: AT });
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1a,\S+$/);
    for (const key of [secret, pair.publicKey]) {
      await expect(verify({ scheme, secret: key, headers, body: 'b', now: AT })).resolves.toMatchObject({
        id: 'msg_2',
      });
    }
    const both = createVerifier({ scheme, secrets: [pair.publicKey, secret] });
    await expect(both.verify({ headers, body: 'b', now: AT })).resolves.toMatchObject({ id: 'msg_2' });
  });

  it('accepts the 64-byte NaCl form of whsk_ (seed then public key)', async () => {
    const pair = await generateEd25519KeyPair();
    const seed = Buffer.from(pair.signingKey.slice(5), 'base64');
    const raw = Buffer.from(pair.publicKey.slice(5), 'base64');
    const nacl = `whsk_${Buffer.concat([seed, raw]).toString('base64')}`;
    const a = await sign({ scheme, secret: nacl, id: 'm', body: 'b', timestamp: AT });
    expect(a).toEqual(await sign({ scheme, secret: pair.signingKey, id: 'm', body: 'b', timestamp: AT }));
  });

  it('refuses to sign with a public key, and refuses keys of the wrong size', async () => {
    const pair = await generateEd25519KeyPair();
    expect(() => createSigner({ scheme, secret: pair.publicKey })).toThrow(/whpk_ public key can verify but not sign/);
    for (const secret of ['whpk_AAAA', 'whsk_AAAA']) {
      let caught: unknown;
      try {
        createVerifier({ scheme, secret });
      } catch (e) {
        caught = e;
      }
      expect(isEventRelayError(caught, 'ConfigError')).toBe(true);
    }
  });

  it('a whsk_ string is only a key prefix for standard-webhooks', async () => {
    const pair = await generateEd25519KeyPair();
    const headers = await sign({ secret: pair.signingKey, id: 'm', body: 'b', timestamp: AT });
    expect(headers['X-Webhook-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe('generateSecret', () => {
  it('is whsec_ and 32 random bytes, different each time', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});
