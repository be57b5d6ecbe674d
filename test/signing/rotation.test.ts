import { describe, expect, it } from 'vitest';
import { createSigner, createVerifier, SIGNATURE_SCHEMES, sign, verify } from '../../src/index.js';
import { schemeHeaders } from '../../src/signing/schemes/registry.js';

const OLD = 'rotation-old-secret';
const NEW = 'rotation-new-secret';
const AT = new Date('2026-02-02T02:02:02.000Z');

describe.each(SIGNATURE_SCHEMES)('%s secret rotation', (scheme) => {
  const signatureOf = (headers: Record<string, string>) =>
    Object.entries(headers).find(([k]) => k.toLowerCase() === schemeHeaders(scheme).signature)?.[1] as string;

  it('a signer with two secrets writes two signatures, each verifiable alone', async () => {
    const headers = await sign({ scheme, secrets: [NEW, OLD], id: 'd', body: 'b', timestamp: AT });
    const single = signatureOf(await sign({ scheme, secret: NEW, id: 'd', body: 'b', timestamp: AT }));
    const both = signatureOf(headers);
    expect(both.startsWith(single)).toBe(true);
    expect(both.length).toBeGreaterThan(single.length);
    for (const secret of [OLD, NEW]) {
      await expect(verify({ scheme, secret, headers, body: 'b', now: AT })).resolves.toMatchObject({ id: 'd' });
    }
    await expect(verify({ scheme, secret: 'third', headers, body: 'b', now: AT })).rejects.toMatchObject({
      code: 'invalid_signature',
    });
  });

  it('a verifier with old and new secrets accepts a sender on either', async () => {
    const verifier = createVerifier({ scheme, secrets: [NEW, OLD] });
    for (const secret of [OLD, NEW]) {
      const headers = await createSigner({ scheme, secret }).sign({ id: 'd', body: 'b', timestamp: AT });
      await expect(verifier.verify({ headers, body: 'b', now: AT })).resolves.toMatchObject({ id: 'd' });
    }
  });
});

describe('rotation header formats', () => {
  it('teei-v1: sha256=<hex> sha256=<hex>', async () => {
    const headers = await sign({ secrets: [NEW, OLD], id: 'd', body: 'b', timestamp: AT });
    expect(headers['X-Webhook-Signature']).toMatch(/^sha256=[0-9a-f]{64} sha256=[0-9a-f]{64}$/);
  });

  it('standard-webhooks: v1,<base64> v1,<base64>', async () => {
    const headers = await sign({ scheme: 'standard-webhooks', secrets: [NEW, OLD], id: 'd', body: 'b', timestamp: AT });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('buddy-connector: one t= then one v1= per secret (Stripe style)', async () => {
    const headers = await sign({ scheme: 'buddy-connector', secrets: [NEW, OLD], id: 'd', body: 'b', timestamp: AT });
    expect(headers['X-Buddy-Signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
  });
});
