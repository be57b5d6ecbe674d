import { describe, expect, it } from 'vitest';
import { createSigner, createVerifier, SIGNATURE_SCHEMES, type SignatureVerificationError } from '../../src/index.js';

const AT = new Date('2026-08-08T08:08:08.000Z');

describe.each(SIGNATURE_SCHEMES)('%s synchronous variants on node:crypto', (scheme) => {
  const signer = createSigner({ scheme, secrets: ['sync-a', 'sync-b'] });
  const verifier = createVerifier({ scheme, secret: 'sync-b' });

  it('signSync equals sign, and verifySync equals verify', async () => {
    expect(signer.signSync).toBeTypeOf('function');
    expect(verifier.verifySync).toBeTypeOf('function');
    const headers = signer.signSync?.({ id: 'd', body: 'x', timestamp: AT }) ?? {};
    expect(headers).toEqual(await signer.sign({ id: 'd', body: 'x', timestamp: AT }));
    expect(verifier.verifySync?.({ headers, body: 'x', now: AT })).toEqual(
      await verifier.verify({ headers, body: 'x', now: AT }),
    );
  });

  it('verifySync throws the same coded errors', () => {
    const headers = signer.signSync?.({ id: 'd', body: 'x', timestamp: AT }) ?? {};
    let caught: SignatureVerificationError | undefined;
    try {
      verifier.verifySync?.({ headers, body: 'y', now: AT });
    } catch (e) {
      caught = e as SignatureVerificationError;
    }
    expect(caught?.name).toBe('SignatureVerificationError');
    expect(caught?.code).toBe('invalid_signature');
  });

  it('works with the methods detached from their objects', async () => {
    const { sign, signSync } = signer;
    const { verify, verifySync, hasSignature } = verifier;
    const headers = signSync?.({ id: 'd', body: 'x', timestamp: AT }) ?? {};
    expect(await sign({ id: 'd', body: 'x', timestamp: AT })).toEqual(headers);
    expect(hasSignature(headers)).toBe(true);
    expect(verifySync?.({ headers, body: 'x', now: AT })?.id).toBe('d');
    expect((await verify({ headers, body: 'x', now: AT })).id).toBe('d');
  });
});
