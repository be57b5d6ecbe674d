import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSigner, createVerifier, isEventRelayError, type Logger, sign, verify } from '../../src/index.js';

const AT = new Date('2026-04-04T04:04:04.000Z');
const RAW = Buffer.from('0123456789abcdef0123456789abcdef');
const WHSEC = `whsec_${RAW.toString('base64')}`;

const macOf = (key: Buffer | string, content: string, encoding: 'hex' | 'base64') =>
  createHmac('sha256', key).update(content).digest(encoding);

describe('keyEncoding', () => {
  it('auto decodes whsec_<base64> for standard-webhooks', async () => {
    const headers = await sign({ scheme: 'standard-webhooks', secret: WHSEC, id: 'm', body: 'x', timestamp: AT });
    expect(headers['webhook-signature']).toBe(`v1,${macOf(RAW, `m.${AT.getTime() / 1000}.x`, 'base64')}`);
  });

  it('utf8 keys standard-webhooks with the whole whsec_ string (the Stripe meaning)', async () => {
    const headers = await sign({
      scheme: 'standard-webhooks',
      secret: WHSEC,
      keyEncoding: 'utf8',
      id: 'm',
      body: 'x',
      timestamp: AT,
    });
    expect(headers['webhook-signature']).toBe(`v1,${macOf(WHSEC, `m.${AT.getTime() / 1000}.x`, 'base64')}`);
  });

  it('auto keys every other scheme with the string bytes, even a whsec_ string', async () => {
    const headers = await sign({ secret: WHSEC, id: 'm', body: 'x', timestamp: AT });
    expect(headers['X-Webhook-Signature']).toBe(`sha256=${macOf(WHSEC, `m.${AT.toISOString()}.x`, 'hex')}`);
  });

  it('base64 decodes the secret, with or without whsec_, for any scheme', async () => {
    const expected = `sha256=${macOf(RAW, `m.${AT.toISOString()}.x`, 'hex')}`;
    for (const secret of [RAW.toString('base64'), WHSEC]) {
      const headers = await sign({ secret, keyEncoding: 'base64', id: 'm', body: 'x', timestamp: AT });
      expect(headers['X-Webhook-Signature']).toBe(expected);
    }
  });

  it('a Uint8Array secret is the key bytes', async () => {
    const headers = await sign({ secret: new Uint8Array(RAW), id: 'm', body: 'x', timestamp: AT });
    expect(headers['X-Webhook-Signature']).toBe(`sha256=${macOf(RAW, `m.${AT.toISOString()}.x`, 'hex')}`);
  });
});

// A logger keeps these warnings away from the once-per-process emitWarning, which a later test checks.
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('secret mistakes', () => {
  afterEach(() => vi.restoreAllMocks());

  const configError = (fn: () => unknown, option: string) => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(isEventRelayError(caught, 'ConfigError')).toBe(true);
    expect((caught as { option: string }).option).toBe(option);
    return caught as Error;
  };

  it('no secret, an empty secret or an empty list is a ConfigError naming the option', () => {
    configError(() => createSigner({}), 'secret');
    configError(() => createVerifier({ secret: '' }), 'secret');
    configError(() => createVerifier({ secrets: [] }), 'secrets');
    configError(() => createSigner({ secrets: ['ok', ''] }), 'secrets[1]');
    configError(() => createSigner({ secret: new Uint8Array() }), 'secret');
  });

  it('a whsec_ secret that is not base64 is a ConfigError that does not print it', () => {
    const error = configError(
      () => createVerifier({ scheme: 'standard-webhooks', secret: 'whsec_not*base64!' }),
      'secret',
    );
    expect(error.message).not.toContain('not*base64');
    const spaced = configError(
      () => createVerifier({ scheme: 'standard-webhooks', secret: `${WHSEC}\n`, logger: quiet }),
      'secret',
    );
    expect(spaced.message).toMatch(/surrounding whitespace/);
  });

  it('misuse is a TypeError naming the option', () => {
    expect(() => createSigner({ secret: 'a', secrets: ['b'] })).toThrow(
      /either the secret option or the secrets option/,
    );
    expect(() => createSigner({ secret: 'a', keyEncoding: 'hex' as never })).toThrow(/keyEncoding must be one of/);
    expect(() => createVerifier({ secret: 'a', toleranceSeconds: -1 })).toThrow(/toleranceSeconds/);
    expect(() => createVerifier({ secret: 'a', toleranceSeconds: Number.NaN })).toThrow(TypeError);
  });

  it('a bad id, body or timestamp is a TypeError', async () => {
    const signer = createSigner({ secret: 's' });
    await expect(signer.sign({ id: '', body: 'x' })).rejects.toThrow(/id must be a non-empty string/);
    await expect(signer.sign({ id: 'a\r\nX-Injected: 1', body: 'x' })).rejects.toThrow(TypeError);
    // What an HTTP stack refuses (Node: above U+00FF; fetch: any non-byte) or changes (trims edge spaces, re-decodes
    // bytes above 0x7F) would fail later and far away: refused here, naming the option.
    for (const id of ['évènement', 'id-€', 'tab\there', 'nul\u0000', ' leading', 'trailing ', ' ', 'del\u007f']) {
      expect(() => signer.signSync?.({ id, body: 'x' }), JSON.stringify(id)).toThrow(/id must be .*printable ASCII/);
    }
    for (const id of [
      'a',
      'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f',
      'inner space',
      '~!',
    ]) {
      expect(signer.signSync?.({ id, body: 'x' })).toMatchObject({ 'X-Webhook-Id': id });
    }
    await expect(signer.sign({ id: 'a', body: { parsed: true } as never })).rejects.toThrow(/raw string or bytes/);
    await expect(signer.sign({ id: 'a', body: 'x', timestamp: new Date(Number.NaN) })).rejects.toThrow(/valid Date/);
    const verifier = createVerifier({ secret: 's' });
    await expect(verifier.verify({ headers: {}, body: { parsed: true } as never })).rejects.toThrow(
      /not a parsed object/,
    );
    await expect(verifier.verify({ headers: undefined as never, body: 'x' })).rejects.toThrow(/headers must be/);
  });

  it('warns once through process.emitWarning about surrounding whitespace, without the secret', async () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const signer = createSigner({ secret: ' padded-secret\n' });
    createVerifier({ secret: ' padded-secret\n' });
    expect(emit).toHaveBeenCalledTimes(1);
    expect(String(emit.mock.calls[0]?.[0])).toMatch(/surrounding whitespace/);
    expect(String(emit.mock.calls[0]?.[0])).not.toContain('padded-secret');
    // Used as given, not trimmed: the trimmed secret does not verify.
    const headers = await signer.sign({ id: 'd', body: 'x', timestamp: AT });
    await expect(verify({ secret: 'padded-secret', headers, body: 'x', now: AT })).rejects.toMatchObject({
      code: 'invalid_signature',
    });
  });

  it('warns through the logger when one is given', () => {
    const warn = vi.fn();
    const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
    createVerifier({
      secrets: ['fine-and-long-enough-0123456789abcdef', 'trailing-space-0123456789abcdef-0123 '],
      logger,
    });
    expect(warn).toHaveBeenCalledTimes(1);
    const [record, message] = warn.mock.calls[0] as [Record<string, unknown>, string];
    expect(record).toMatchObject({ option: 'secrets[1]', code: 'TEEI_SECRET_WHITESPACE' });
    expect(JSON.stringify(record) + message).not.toContain('trailing-space');
    expect(message).toMatch(/surrounding whitespace/);
  });
});
