import { describe, expect, it } from 'vitest';
import {
  createSigner,
  createVerifier,
  isEventRelayError,
  type SchemeName,
  SIGNATURE_SCHEMES,
  sign,
  verify,
} from '../../src/index.js';
import { schemeHeaders } from '../../src/signing/schemes/registry.js';

const SECRET = 'errors-test-secret-value';
const AT = new Date('2026-06-01T12:00:00.000Z');
const BODY = '{"type":"buddy.match.created"}';
const seconds = (n: number) => new Date(AT.getTime() + n * 1000);

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isEventRelayError(error, 'SignatureVerificationError'))
    throw new Error(`expected a SignatureVerificationError, got ${String(error)}`);
  return error;
}

describe.each(SIGNATURE_SCHEMES)('%s verification failures', (scheme) => {
  const names = schemeHeaders(scheme);
  const signed = () => sign({ scheme, secret: SECRET, id: 'delivery-1', body: BODY, timestamp: AT });
  const lower = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

  it('missing_header when the id or the signature header is absent', async () => {
    for (const name of [names.id, names.signature]) {
      const headers = lower(await signed());
      delete headers[name];
      const error = await failure(verify({ scheme, secret: SECRET, headers, body: BODY, now: AT }));
      expect(error.code).toBe('missing_header');
      expect(error.message.toLowerCase()).toContain(name);
    }
  });

  it('missing_header for an empty signature header', async () => {
    const headers = { ...lower(await signed()), [names.signature]: '' };
    expect((await failure(verify({ scheme, secret: SECRET, headers, body: BODY, now: AT }))).code).toBe(
      'missing_header',
    );
  });

  it('malformed_header for a signature header in another format', async () => {
    for (const bad of ['garbage', 'sha256=xyz', 'v1,!!!', 't=1,v1=abc', 'sha256=' + 'a'.repeat(63)]) {
      const headers = { ...lower(await signed()), [names.signature]: bad };
      const error = await failure(verify({ scheme, secret: SECRET, headers, body: BODY, now: AT }));
      expect(error.code).toBe('malformed_header');
    }
  });

  it('invalid_signature with another secret', async () => {
    const error = await failure(
      verify({ scheme, secret: 'another-secret', headers: await signed(), body: BODY, now: AT }),
    );
    expect(error.code).toBe('invalid_signature');
  });

  it('never puts the secret or a signature in the message', async () => {
    const headers = await signed();
    const signature = headers[
      Object.keys(headers).find((k) => k.toLowerCase() === names.signature) as string
    ] as string;
    const expected = await sign({ scheme, secret: 'another-secret', id: 'delivery-1', body: BODY, timestamp: AT });
    const cases = [
      verify({ scheme, secret: 'another-secret', headers, body: BODY, now: AT }),
      verify({ scheme, secret: SECRET, headers, body: `${BODY} `, now: AT }),
      verify({ scheme, secret: SECRET, headers: { ...lower(headers), [names.signature]: 'x' }, body: BODY, now: AT }),
    ];
    if (scheme !== 'sha256-body')
      cases.push(verify({ scheme, secret: SECRET, headers, body: BODY, now: seconds(10_000) }));
    for (const promise of cases) {
      const { message } = await failure(promise);
      for (const secret of [SECRET, 'another-secret']) expect(message).not.toContain(secret);
      for (const part of signature.split(/[ ,=]/).filter((p) => p.length >= 32)) expect(message).not.toContain(part);
      for (const value of Object.values(expected)) {
        for (const part of value.split(/[ ,=]/).filter((p) => p.length >= 32)) expect(message).not.toContain(part);
      }
    }
  });
});

describe.each(['teei-v1', 'standard-webhooks', 'buddy-connector'] as const)('%s tolerance', (scheme: SchemeName) => {
  const verifier = createVerifier({ scheme, secret: SECRET });
  const signer = createSigner({ scheme, secret: SECRET });

  it('accepts a timestamp exactly 300 s away, in both directions', async () => {
    const headers = await signer.sign({ id: 'd', body: BODY, timestamp: AT });
    await expect(verifier.verify({ headers, body: BODY, now: seconds(300) })).resolves.toMatchObject({ id: 'd' });
    await expect(verifier.verify({ headers, body: BODY, now: seconds(-300) })).resolves.toMatchObject({ id: 'd' });
  });

  it('rejects an expired timestamp with timestamp_out_of_tolerance', async () => {
    const headers = await signer.sign({ id: 'd', body: BODY, timestamp: AT });
    const error = await failure(verifier.verify({ headers, body: BODY, now: seconds(302) }));
    expect(error.code).toBe('timestamp_out_of_tolerance');
    expect(error.message).toMatch(/in the past/);
  });

  it('rejects a future timestamp with timestamp_out_of_tolerance', async () => {
    const headers = await signer.sign({ id: 'd', body: BODY, timestamp: seconds(302) });
    const error = await failure(verifier.verify({ headers, body: BODY, now: AT }));
    expect(error.code).toBe('timestamp_out_of_tolerance');
    expect(error.message).toMatch(/in the future/);
  });

  it('honours toleranceSeconds', async () => {
    const headers = await signer.sign({ id: 'd', body: BODY, timestamp: AT });
    const strict = createVerifier({ scheme, secret: SECRET, toleranceSeconds: 5 });
    expect((await failure(strict.verify({ headers, body: BODY, now: seconds(10) }))).code).toBe(
      'timestamp_out_of_tolerance',
    );
    await expect(
      verify({ scheme, secret: SECRET, headers, body: BODY, now: seconds(3600), toleranceSeconds: 3601 }),
    ).resolves.toBeDefined();
  });

  it('checks the tolerance against the current time when now is not given', async () => {
    const headers = await signer.sign({ id: 'd', body: BODY, timestamp: seconds(-10_000) });
    expect((await failure(verifier.verify({ headers, body: BODY }))).code).toBe('timestamp_out_of_tolerance');
    const fresh = await signer.sign({ id: 'd', body: BODY });
    await expect(verifier.verify({ headers: fresh, body: BODY })).resolves.toMatchObject({ id: 'd' });
  });
});

describe('timestamp headers', () => {
  it('teei-v1 missing X-Webhook-Timestamp is missing_header; a non-ISO one is malformed_header', async () => {
    const headers = await sign({ secret: SECRET, id: 'd', body: BODY, timestamp: AT });
    const { 'X-Webhook-Timestamp': _t, ...without } = headers;
    expect((await failure(verify({ secret: SECRET, headers: without, body: BODY, now: AT }))).code).toBe(
      'missing_header',
    );
    for (const bad of ['1780315200', '2026-06-01 12:00:00', 'yesterday', '2026-13-45T99:99:99Z']) {
      const error = await failure(
        verify({ secret: SECRET, headers: { ...headers, 'X-Webhook-Timestamp': bad }, body: BODY, now: AT }),
      );
      expect(error.code).toBe('malformed_header');
    }
  });

  it('standard-webhooks needs integer seconds', async () => {
    const headers = await sign({ scheme: 'standard-webhooks', secret: SECRET, id: 'd', body: BODY, timestamp: AT });
    for (const bad of ['1780315200.5', '-1', AT.toISOString()]) {
      const error = await failure(
        verify({
          scheme: 'standard-webhooks',
          secret: SECRET,
          headers: { ...headers, 'webhook-timestamp': bad },
          body: BODY,
          now: AT,
        }),
      );
      expect(error.code).toBe('malformed_header');
    }
  });

  it('teei-v1 accepts an ISO timestamp with an offset, as signed', async () => {
    const verifier = createVerifier({ secret: SECRET });
    const { createHmac } = await import('node:crypto');
    const timestamp = '2026-06-01T14:00:00+02:00';
    const mac = createHmac('sha256', SECRET).update(`d.${timestamp}.${BODY}`).digest('hex');
    const headers = { 'x-webhook-id': 'd', 'x-webhook-timestamp': timestamp, 'x-webhook-signature': `sha256=${mac}` };
    expect((await verifier.verify({ headers, body: BODY, now: AT })).timestamp).toEqual(AT);
  });
});

describe('signature lists', () => {
  it('ignores tokens of unknown versions beside a valid one', async () => {
    const headers = await sign({ scheme: 'standard-webhooks', secret: SECRET, id: 'd', body: BODY, timestamp: AT });
    const mixed = { ...headers, 'webhook-signature': `v2,AAAA ${headers['webhook-signature']} v1,${'A'.repeat(43)}=` };
    await expect(
      verify({ scheme: 'standard-webhooks', secret: SECRET, headers: mixed, body: BODY, now: AT }),
    ).resolves.toBeDefined();
  });

  it('accepts uppercase hex in teei-v1', async () => {
    const headers = await sign({ secret: SECRET, id: 'd', body: BODY, timestamp: AT });
    const upper = {
      ...headers,
      'X-Webhook-Signature': (headers['X-Webhook-Signature'] as string).toUpperCase().replace('SHA256=', 'sha256='),
    };
    await expect(verify({ secret: SECRET, headers: upper, body: BODY, now: AT })).resolves.toBeDefined();
  });

  it('buddy-connector refuses two t= values as malformed', async () => {
    const headers = await sign({ scheme: 'buddy-connector', secret: SECRET, id: 'd', body: BODY, timestamp: AT });
    const doubled = { ...headers, 'X-Buddy-Signature': `t=1,${headers['X-Buddy-Signature']}` };
    const error = await failure(
      verify({ scheme: 'buddy-connector', secret: SECRET, headers: doubled, body: BODY, now: AT }),
    );
    expect(error.code).toBe('malformed_header');
  });
});
