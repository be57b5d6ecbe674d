import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createSigner, createVerifier, SIGNATURE_SCHEMES } from '../../src/index.js';
import { readHeader } from '../../src/signing/read-header.js';
import { schemeBodyShape, schemeHeaders } from '../../src/signing/schemes/registry.js';

describe('readHeader', () => {
  it('reads a Fetch Headers object in any case', () => {
    const headers = new Headers({ 'X-Webhook-Id': 'abc' });
    expect(readHeader(headers, 'x-webhook-id')).toBe('abc');
    expect(readHeader(headers, 'X-WEBHOOK-ID')).toBe('abc');
    expect(readHeader(headers, 'x-other')).toBeUndefined();
  });

  it('reads Node IncomingHttpHeaders, taking the first value of an array', () => {
    const headers: IncomingHttpHeaders = { 'x-webhook-id': 'abc', 'x-multi': ['first', 'second'] as unknown as string };
    expect(readHeader(headers, 'X-Webhook-Id')).toBe('abc');
    expect(readHeader(headers, 'x-multi')).toBe('first');
    expect(readHeader({ 'set-cookie': ['a=1', 'b=2'] }, 'Set-Cookie')).toBe('a=1');
  });

  it('reads plain records in any case', () => {
    expect(readHeader({ 'X-Webhook-Id': 'a' }, 'x-webhook-id')).toBe('a');
    expect(readHeader({ 'x-WEBHOOK-id': 'b' }, 'X-Webhook-Id')).toBe('b');
    expect(readHeader({ 'x-webhook-id': undefined }, 'x-webhook-id')).toBeUndefined();
    expect(readHeader({}, 'x-webhook-id')).toBeUndefined();
  });
});

describe.each(SIGNATURE_SCHEMES)('%s verifies every header form', (scheme) => {
  const secret = scheme === 'standard-webhooks' ? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' : 'forms-secret';
  const signer = createSigner({ scheme, secret });
  const verifier = createVerifier({ scheme, secret });
  const body = '{"hello":"world"}';

  it('as written, lowercased (Node), uppercased, in a Headers, and with array values', async () => {
    const signed = await signer.sign({ id: 'delivery-9', body });
    const entries = Object.entries(signed);
    const forms = [
      signed,
      Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), v])),
      Object.fromEntries(entries.map(([k, v]) => [k.toUpperCase(), v])),
      new Headers(signed),
      Object.fromEntries(
        entries.map(([k, v]) => [k.toLowerCase(), [v, 'ignored-second-value']]),
      ) as IncomingHttpHeaders,
    ];
    for (const headers of forms) {
      await expect(verifier.verify({ headers, body })).resolves.toMatchObject({ id: 'delivery-9' });
      expect(verifier.hasSignature(headers)).toBe(true);
    }
    expect(verifier.hasSignature({})).toBe(false);
    expect(verifier.hasSignature({ [schemeHeaders(scheme).signature]: '' })).toBe(false);
  });

  it('schemeHeaders names exactly the headers sign writes, lowercase', async () => {
    const signed = await signer.sign({ id: 'd', body });
    const names = schemeHeaders(scheme);
    expect(
      Object.keys(signed)
        .map((k) => k.toLowerCase())
        .sort(),
    ).toEqual(Object.values(names).sort());
    for (const name of Object.values(names)) expect(name).toBe(name.toLowerCase());
  });
});

describe('scheme facts', () => {
  it('schemeHeaders', () => {
    expect(schemeHeaders('teei-v1')).toEqual({
      id: 'x-webhook-id',
      timestamp: 'x-webhook-timestamp',
      signature: 'x-webhook-signature',
    });
    expect(schemeHeaders('standard-webhooks')).toEqual({
      id: 'webhook-id',
      timestamp: 'webhook-timestamp',
      signature: 'webhook-signature',
    });
    expect(schemeHeaders('buddy-connector')).toEqual({ id: 'x-delivery-id', signature: 'x-buddy-signature' });
    expect(schemeHeaders('sha256-body')).toEqual({
      id: 'x-webhook-id',
      timestamp: 'x-webhook-timestamp',
      signature: 'x-webhook-signature',
    });
  });

  it('schemeBodyShape: flat for buddy-connector only', () => {
    expect(SIGNATURE_SCHEMES.map(schemeBodyShape)).toEqual(['nested', 'nested', 'flat', 'nested']);
  });

  it('an unknown scheme is a TypeError naming the choices', () => {
    expect(() => schemeHeaders('stripe' as never)).toThrow(TypeError);
    expect(() => createSigner({ scheme: 'stripe' as never, secret: 's' })).toThrow(/scheme must be one of teei-v1/);
  });
});
