// On a runtime without node:crypto (edge runtimes behind Hono) the public API must fall back to Web Crypto.
// node:crypto's absence is simulated by mocking the one module that looks it up.
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/signing/engine/node-crypto.js', () => ({ nodeCrypto: undefined }));

const { createSigner, createVerifier, generateEd25519KeyPair, sign, verify } = await import('../../src/index.js');

describe('without node:crypto', () => {
  it('signs and verifies through Web Crypto, with no sync variants', async () => {
    const signer = createSigner({ secret: 'edge-secret' });
    const verifier = createVerifier({ secret: 'edge-secret' });
    expect(signer.signSync).toBeUndefined();
    expect(verifier.verifySync).toBeUndefined();
    const timestamp = new Date('2026-03-14T15:09:26.535Z');
    const headers = await signer.sign({ id: 'd', body: '{}', timestamp });
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', 'edge-secret').update(`d.${timestamp.toISOString()}.{}`).digest('hex');
    expect(headers['X-Webhook-Signature']).toBe(`sha256=${expected}`);
    await expect(verifier.verify({ headers, body: '{}', now: timestamp })).resolves.toEqual({ id: 'd', timestamp });
    await expect(verifier.verify({ headers, body: '{ }', now: timestamp })).rejects.toMatchObject({
      code: 'invalid_signature',
    });
  });

  it('generates and uses ed25519 keys through Web Crypto', async () => {
    const { signingKey, publicKey } = await generateEd25519KeyPair();
    const headers = await sign({ scheme: 'standard-webhooks', secret: signingKey, id: 'm', body: 'b' });
    await expect(verify({ scheme: 'standard-webhooks', secret: publicKey, headers, body: 'b' })).resolves.toMatchObject(
      { id: 'm' },
    );
  });
});
