// Headers an attacker (or an odd framework) controls must end in a SignatureVerificationError, quickly, whatever they
// hold: huge values, many signatures, values that are not strings.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createSigner,
  createVerifier,
  generateEd25519KeyPair,
  isEventRelayError,
  SIGNATURE_SCHEMES,
} from '../../src/index.js';
import { readHeader } from '../../src/signing/read-header.js';
import { schemeHeaders } from '../../src/signing/schemes/registry.js';

const BODY = '{"type":"buddy.match.created"}';
const AT = new Date('2026-06-01T12:00:00.000Z');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isEventRelayError(error, 'SignatureVerificationError')) return error.code;
    throw error;
  }
  return 'verified';
}

const lower = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

describe.each(SIGNATURE_SCHEMES)('%s with hostile headers', (scheme) => {
  const secrets = Array.from({ length: 16 }, (_, i) => `secret-number-${i}`);
  const names = schemeHeaders(scheme);
  const verifier = createVerifier({ scheme, secret: secrets[15] as string });
  const verifySync = verifier.verifySync as NonNullable<typeof verifier.verifySync>;
  const signed = (secret: string | string[]) =>
    lower(
      (Array.isArray(secret) ? createSigner({ scheme, secrets: secret }) : createSigner({ scheme, secret })).signSync?.(
        {
          id: 'd',
          body: BODY,
          timestamp: AT,
        },
      ) as Record<string, string>,
    );

  it('accepts 16 signatures (one per secret), the most a signer may send', () => {
    const headers = signed(secrets);
    expect(codeOf(() => verifySync({ headers, body: BODY, now: AT }))).toBe('verified');
  });

  it('refuses a signature header longer than 4096 characters, even around a valid signature', () => {
    const headers = signed(secrets[15] as string);
    const padded = `${headers[names.signature]}${' '.repeat(4097)}`;
    expect(codeOf(() => verifySync({ headers: { ...headers, [names.signature]: padded }, body: BODY, now: AT }))).toBe(
      'malformed_header',
    );
    const huge = 'a'.repeat(1 << 20);
    expect(codeOf(() => verifySync({ headers: { ...headers, [names.signature]: huge }, body: BODY, now: AT }))).toBe(
      'malformed_header',
    );
  });

  it('refuses more than 16 signatures, even when one of them is valid', () => {
    const headers = signed(secrets[15] as string);
    const value = headers[names.signature] as string;
    const many =
      scheme === 'buddy-connector'
        ? value + value.slice(value.indexOf(',')).repeat(16)
        : Array.from({ length: 17 }, () => value).join(' ');
    expect(many.length).toBeLessThan(4096);
    expect(codeOf(() => verifySync({ headers: { ...headers, [names.signature]: many }, body: BODY, now: AT }))).toBe(
      'malformed_header',
    );
  });

  it('treats header values that are not strings as absent, never throwing a TypeError', () => {
    const headers = signed(secrets[15] as string);
    for (const odd of [[1], 12345, { toString: () => 'x' }, [null], null]) {
      for (const name of [names.id, names.signature]) {
        const code = codeOf(() => verifySync({ headers: { ...headers, [name]: odd } as never, body: BODY, now: AT }));
        expect(code).toBe('missing_header');
      }
    }
  });

  it('refuses non-ASCII and control characters in the signature header as malformed', () => {
    const headers = signed(secrets[15] as string);
    for (const odd of ['é€😀', '\u0000\u0001', `\u00a0${headers[names.signature]}`.replace(/[0-9a-f]/g, 'ĝ')]) {
      expect(codeOf(() => verifySync({ headers: { ...headers, [names.signature]: odd }, body: BODY, now: AT }))).toBe(
        'malformed_header',
      );
    }
  });
});

describe('limits on the signer side', () => {
  it('refuses more than 16 secrets with a ConfigError naming the option', () => {
    const secrets = Array.from({ length: 17 }, (_, i) => `s${i}`);
    expect(() => createSigner({ secrets })).toThrow(ConfigError);
    expect(() => createVerifier({ secrets })).toThrow(/secrets holds more than 16/);
  });

  it('bounds ed25519 work: 17 v1a signatures are refused before any is checked', async () => {
    const { signingKey, publicKey } = await generateEd25519KeyPair();
    const signer = createSigner({ scheme: 'standard-webhooks', secret: signingKey });
    const verifier = createVerifier({ scheme: 'standard-webhooks', secret: publicKey });
    const headers = await signer.sign({ id: 'm', body: BODY, timestamp: AT });
    const one = headers['webhook-signature'] as string;
    await expect(verifier.verify({ headers, body: BODY, now: AT })).resolves.toMatchObject({ id: 'm' });
    const many = { ...headers, 'webhook-signature': Array.from({ length: 17 }, () => one).join(' ') };
    await expect(verifier.verify({ headers: many, body: BODY, now: AT })).rejects.toMatchObject({
      code: 'malformed_header',
    });
  });
});

describe('readHeader with odd values', () => {
  it('returns strings only', () => {
    expect(readHeader({ 'x-a': 1 } as never, 'x-a')).toBeUndefined();
    expect(readHeader({ 'X-A': [2, 'b'] } as never, 'x-a')).toBeUndefined();
    expect(readHeader({ 'x-a': ['a', 'b'] }, 'X-A')).toBe('a');
    expect(readHeader(new Map([['x-a', 5]]) as never, 'x-a')).toBeUndefined();
  });
});
