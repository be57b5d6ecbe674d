import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSigner, createVerifier, type SchemeName, SIGNATURE_SCHEMES } from '../../src/index.js';

const SECRETS: Record<SchemeName, string> = {
  'teei-v1': 'round-trip-secret',
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  'buddy-connector': 'round-trip-secret',
  'sha256-body': 'round-trip-secret',
};
// Every id a signer accepts: printable ASCII, inner spaces allowed, none at either end (see the TypeError test in keys).
const idArb = fc.stringMatching(/^[!-~](?:[ -~]{0,38}[!-~])?$/);
const bodyArb = fc.oneof(fc.string({ maxLength: 300, unit: 'grapheme' }), fc.uint8Array({ maxLength: 300 }));
const dateArb = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const RUNS = 60;
// Lets a changed timestamp reach the signature check instead of the tolerance check.
const WIDE = 200 * 365 * 24 * 3600;

const toBytes = (body: string | Uint8Array) => (typeof body === 'string' ? new TextEncoder().encode(body) : body);

describe.each(SIGNATURE_SCHEMES)('%s round trip', (scheme) => {
  const signer = createSigner({ scheme, secret: SECRETS[scheme] });
  const verifier = createVerifier({ scheme, secret: SECRETS[scheme], toleranceSeconds: WIDE });

  it('verifies what it signs, returning the id and the (scheme-precision) timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(idArb, bodyArb, dateArb, async (id, body, timestamp) => {
        const headers = await signer.sign({ id, body, timestamp });
        const result = await verifier.verify({ headers, body, now: timestamp });
        expect(result.id).toBe(id);
        expect(Math.abs(result.timestamp.getTime() - timestamp.getTime())).toBeLessThan(1000);
      }),
      { numRuns: RUNS },
    );
  });

  it('fails with invalid_signature when any one byte of the body changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        idArb,
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        dateArb,
        async (id, body, at, flip, timestamp) => {
          const headers = await signer.sign({ id, body, timestamp });
          const changed = Uint8Array.from(body);
          const index = at % changed.length;
          changed[index] = (changed[index] as number) ^ flip;
          await expect(verifier.verify({ headers, body: changed, now: timestamp })).rejects.toMatchObject({
            code: 'invalid_signature',
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('signs a byte body exactly like the string with those UTF-8 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200, unit: 'grapheme' }), dateArb, async (body, timestamp) => {
        const fromString = await signer.sign({ id: 'same', body, timestamp });
        expect(await signer.sign({ id: 'same', body: toBytes(body), timestamp })).toEqual(fromString);
      }),
      { numRuns: 30 },
    );
  });
});

const changeOneChar = (text: string, at: number, to: string): string => {
  const index = at % text.length;
  const replacement = text[index] === to ? (to === 'a' ? 'b' : 'a') : to;
  return text.slice(0, index) + replacement + text.slice(index + 1);
};

describe.each(['teei-v1', 'standard-webhooks'] as const)('%s binds the id and the timestamp', (scheme) => {
  const signer = createSigner({ scheme, secret: SECRETS[scheme] });
  const verifier = createVerifier({ scheme, secret: SECRETS[scheme], toleranceSeconds: WIDE });
  const names = scheme === 'teei-v1' ? ['X-Webhook-Id', 'X-Webhook-Timestamp'] : ['webhook-id', 'webhook-timestamp'];

  it.each(names)('fails when one character of %s changes', async (header) => {
    await fc.assert(
      fc.asyncProperty(
        idArb,
        bodyArb,
        dateArb,
        fc.nat(),
        fc.constantFrom('0', '1', '9', 'a', '.'),
        async (id, body, timestamp, at, to) => {
          const headers = await signer.sign({ id, body, timestamp });
          const changed = { ...headers, [header]: changeOneChar(headers[header] as string, at, to) };
          const error = await verifier.verify({ headers: changed, body, now: timestamp }).then(
            () => undefined,
            (e: { code?: string }) => e.code,
          );
          // A changed timestamp may stop parsing or leave even the wide tolerance; else the signature no longer matches.
          expect(['invalid_signature', 'malformed_header', 'timestamp_out_of_tolerance']).toContain(error);
          if (header.toLowerCase().endsWith('-id')) expect(error).toBe('invalid_signature');
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('buddy-connector binds t=', () => {
  it('fails when the t= value changes', async () => {
    const signer = createSigner({ scheme: 'buddy-connector', secret: 's' });
    const verifier = createVerifier({ scheme: 'buddy-connector', secret: 's', toleranceSeconds: WIDE });
    await fc.assert(
      fc.asyncProperty(bodyArb, dateArb, fc.integer({ min: 1, max: 10_000 }), async (body, timestamp, delta) => {
        const headers = await signer.sign({ id: 'd', body, timestamp });
        const t = Math.floor(timestamp.getTime() / 1000);
        const changed = {
          ...headers,
          'X-Buddy-Signature': (headers['X-Buddy-Signature'] as string).replace(`t=${t}`, `t=${t + delta}`),
        };
        await expect(verifier.verify({ headers: changed, body, now: timestamp })).rejects.toMatchObject({
          code: 'invalid_signature',
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('what the unsigned headers allow (documented)', () => {
  it('sha256-body does not bind its id or timestamp, and applies no tolerance', async () => {
    const signer = createSigner({ scheme: 'sha256-body', secret: 's' });
    const verifier = createVerifier({ scheme: 'sha256-body', secret: 's' });
    const headers = await signer.sign({ id: 'a', body: '{}', timestamp: new Date('2020-01-01T00:00:00Z') });
    const replayed = { ...headers, 'X-Webhook-Id': 'b', 'X-Webhook-Timestamp': '2021-01-01T00:00:00.000Z' };
    const result = await verifier.verify({ headers: replayed, body: '{}', now: new Date('2026-01-01T00:00:00Z') });
    expect(result).toEqual({ id: 'b', timestamp: new Date('2021-01-01T00:00:00.000Z') });
  });

  it('sha256-body without a timestamp header reports the verification time', async () => {
    const verifier = createVerifier({ scheme: 'sha256-body', secret: 's' });
    const headers = await createSigner({ scheme: 'sha256-body', secret: 's' }).sign({ id: 'a', body: 'x' });
    const { 'X-Webhook-Timestamp': _dropped, ...rest } = headers;
    const now = new Date('2026-05-05T05:05:05.000Z');
    expect(await verifier.verify({ headers: rest, body: 'x', now })).toEqual({ id: 'a', timestamp: now });
  });

  it('buddy-connector does not bind X-Delivery-Id', async () => {
    const headers = await createSigner({ scheme: 'buddy-connector', secret: 's' }).sign({ id: 'a', body: 'x' });
    const result = await createVerifier({ scheme: 'buddy-connector', secret: 's' }).verify({
      headers: { ...headers, 'X-Delivery-Id': 'b' },
      body: 'x',
    });
    expect(result.id).toBe('b');
  });
});
