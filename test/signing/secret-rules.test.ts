import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createReceiver,
  createSigner,
  createVerifier,
  httpTransport,
  isEventRelayError,
  type Logger,
  sign,
  verify,
} from '../../src/index.js';
import type { LogRecord } from '../../src/observability/logger.js';
import { SECRET_MIN_BYTES } from '../../src/signing/secret-rules.js';
import { natsTransport } from '../../src/transports/nats.js';

const AT = new Date('2026-04-04T04:04:04.000Z');
const LONG_TEXT = 'a-text-secret-of-thirty-two-bytes'; // 33 bytes
const BARE = 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'; // base64 of 24 bytes: the peers' test secret

function capture(): Logger & { warnings: { obj: LogRecord; msg: string | undefined }[] } {
  const warnings: { obj: LogRecord; msg: string | undefined }[] = [];
  const noop = () => {};
  return { warnings, debug: noop, info: noop, warn: (obj, msg) => void warnings.push({ obj, msg }), error: noop };
}

const codes = (logger: ReturnType<typeof capture>) => logger.warnings.map((w) => w.obj.code);

function configError(fn: () => unknown): Error & { option?: string } {
  try {
    fn();
  } catch (error) {
    expect(isEventRelayError(error, 'ConfigError')).toBe(true);
    return error as Error & { option?: string };
  }
  throw new Error('expected a ConfigError');
}

afterEach(() => vi.restoreAllMocks());

describe('secrets that cannot be secrets are a ConfigError, wherever they enter', () => {
  // Every entry point decodes its keys through one function (decodeKeys): each is tried with each bad secret.
  const entries: [string, (secret: string) => unknown][] = [
    ['createSigner', (secret) => createSigner({ secret })],
    ['createVerifier', (secret) => createVerifier({ secret })],
    ['createReceiver', (secret) => createReceiver({ secret, logger: false })],
    ['createReceiver (optional)', (secret) => createReceiver({ secret, signature: 'optional', logger: false })],
    ['httpTransport', (secret) => httpTransport({ url: 'http://127.0.0.1:9/hook', secret })],
    ['natsTransport', (secret) => natsTransport({ connection: { request() {} } as never, secret })],
    ['standard-webhooks', (secret) => createVerifier({ scheme: 'standard-webhooks', secret })],
    ['secrets[1]', (secret) => createSigner({ secrets: [LONG_TEXT, secret] })],
  ];
  const bad = ['', ' ', '  \n\t', 'undefined', 'null', 'NULL', ' undefined\n', 'Null'];

  it.each(entries)('%s refuses empty, whitespace-only, "undefined" and "null" without printing them', (_name, make) => {
    for (const secret of bad) {
      const error = configError(() => make(secret));
      expect(error.option).toMatch(/^secrets?(\[1\])?$/);
      expect(error.message).toMatch(/empty|whitespace|placeholder/);
      if (secret.trim() !== '') {
        expect(error.message.toLowerCase()).not.toContain(secret.trim().toLowerCase());
        expect(error.message).toMatch(/environment variable/);
      }
    }
  });

  it('sign() refuses them on every call', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(sign({ secret: 'undefined', id: 'd', body: 'x' })).rejects.toSatisfy((e: unknown) =>
        isEventRelayError(e, 'ConfigError'),
      );
    }
  });

  it('an undefined secret (process.env.X unset) is a ConfigError that says to check the variable', () => {
    const env: Record<string, string | undefined> = {};
    const receiverError = configError(() => createReceiver({ secret: env.UNSET_SECRET }));
    expect(receiverError.option).toBe('secret');
    expect(receiverError.message).toMatch(/secret is undefined.*check that the variable is set/);
    expect(configError(() => createSigner({ secret: env.UNSET_SECRET })).message).toMatch(/variable is set/);
    expect(configError(() => createSigner({ secrets: [LONG_TEXT, env.UNSET as never] })).option).toBe('secrets[1]');
    // natsTransport publishes unsigned when no secret is given at all, but an unset variable is not "no secret".
    const nats = configError(() => natsTransport({ connection: { request() {} } as never, secret: env.UNSET_SECRET }));
    expect(nats.option).toBe('secret');
    expect(nats.message).toMatch(/undefined.*check that the variable is set.*leave `secret` out to publish unsigned/);
    const idle = { request() {}, options: {}, isClosed: () => false, closed: () => new Promise(() => {}) };
    expect(() => natsTransport({ connection: { ...idle, status: async function* () {} } as never })).not.toThrow();
    // signature: 'disabled' needs no secret at all.
    expect(createReceiver({ secret: env.UNSET_SECRET, signature: 'disabled', logger: false }).health().signature).toBe(
      'disabled',
    );
  });
});

describe('short secrets work, with one warning', () => {
  it(`warns under ${SECRET_MIN_BYTES.text} bytes of text, and still signs and verifies with it`, async () => {
    const logger = capture();
    const signer = createSigner({ secret: 'test-secret', logger });
    expect(codes(logger)).toEqual(['TEEI_SECRET_SHORT']);
    const [warning] = logger.warnings;
    expect(warning?.obj).toMatchObject({ operation: 'signing.key', option: 'secret' });
    expect(`${JSON.stringify(warning)}`).not.toContain('test-secret');
    expect(warning?.msg).toMatch(/shorter than 32 bytes.*generateSecret\(\)/);
    const headers = await signer.sign({ id: 'd', body: 'x', timestamp: AT });
    await expect(verify({ secret: 'test-secret', headers, body: 'x', now: AT, logger })).resolves.toMatchObject({
      id: 'd',
    });
  });

  it('counts key bytes: 32 bytes of text, or 24 decoded or raw bytes, pass without a warning', () => {
    const logger = capture();
    createSigner({ secret: 'x'.repeat(SECRET_MIN_BYTES.text), logger });
    createSigner({ secret: 'é'.repeat(SECRET_MIN_BYTES.text / 2), logger }); // 2 bytes each in UTF-8
    createSigner({ scheme: 'standard-webhooks', secret: `whsec_${BARE}`, logger });
    createSigner({ scheme: 'standard-webhooks', secret: BARE, logger });
    createSigner({ secret: new Uint8Array(SECRET_MIN_BYTES.decoded), logger });
    createSigner({ secret: Buffer.alloc(24).toString('base64'), keyEncoding: 'base64', logger });
    expect(logger.warnings).toEqual([]);

    createSigner({ secret: 'x'.repeat(SECRET_MIN_BYTES.text - 1), logger });
    createSigner({ scheme: 'standard-webhooks', secret: `whsec_${Buffer.alloc(23).toString('base64')}`, logger });
    createSigner({ secret: new Uint8Array(SECRET_MIN_BYTES.decoded - 1), logger });
    createSigner({ secrets: [LONG_TEXT, 'short'], logger });
    expect(logger.warnings.map((w) => [w.obj.code, w.obj.option])).toEqual([
      ['TEEI_SECRET_SHORT', 'secret'],
      ['TEEI_SECRET_SHORT', 'secret'],
      ['TEEI_SECRET_SHORT', 'secret'],
      ['TEEI_SECRET_SHORT', 'secrets[1]'],
    ]);
  });

  it('without a logger, warns through process.emitWarning once per process, not once per signer', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    for (let i = 0; i < 5; i++) createSigner({ secret: 'short-secret' });
    const short = emit.mock.calls.filter(([, options]) => (options as { code?: string }).code === 'TEEI_SECRET_SHORT');
    expect(short).toHaveLength(1);
    expect(String(short[0]?.[0])).not.toContain('short-secret');
  });

  it('warns once per receiver created, never per request', async () => {
    const logger = capture();
    const receiver = createReceiver({ secret: 'test-secret', logger });
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify({
        type: 'a.b.c',
        data: {},
        metadata: { id: crypto.randomUUID(), version: 'v1', timestamp: new Date().toISOString() },
      });
      const headers = await sign({ secret: 'test-secret', id: `d-${i}`, body });
      const res = await receiver.handle({ headers: { ...headers, 'content-type': 'application/json' }, body });
      expect(res.status).toBe(202);
    }
    expect(codes(logger).filter((c) => c !== undefined)).toEqual(['TEEI_SECRET_SHORT']);
  });

  it('a logger that throws does not make a valid secret fail', () => {
    const boom = () => {
      throw new Error('logger down');
    };
    expect(() =>
      createSigner({ secret: 'test-secret', logger: { debug: boom, info: boom, warn: boom, error: boom } }),
    ).not.toThrow();
  });
});

describe('surrounding whitespace', () => {
  it('createReceiver({ secret: "abc\\n" }) warns on stderr as createSigner does, without the secret', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    createReceiver({ secret: 'abc-a-secret-long-enough-for-no-other-warning\n' });
    const lines = warn.mock.calls.map((call) => call.join(' '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/the secret option has surrounding whitespace/);
    expect(lines[0]).not.toContain('abc-a-secret');

    const logger = capture();
    createSigner({ secret: `${LONG_TEXT}\n`, logger });
    expect(codes(logger)).toEqual(['TEEI_SECRET_WHITESPACE']);
  });
});

describe('standard-webhooks secrets under keyEncoding auto', () => {
  const mac = (key: Buffer | string, content: string) => createHmac('sha256', key).update(content).digest('base64');

  it('decodes a bare base64 secret, as it decodes whsec_<base64>', async () => {
    const input = { scheme: 'standard-webhooks' as const, id: 'm', body: 'x', timestamp: AT };
    const bare = await sign({ ...input, secret: BARE });
    const prefixed = await sign({ ...input, secret: `whsec_${BARE}` });
    expect(bare).toEqual(prefixed);
    expect(bare['webhook-signature']).toBe(`v1,${mac(Buffer.from(BARE, 'base64'), `m.${AT.getTime() / 1000}.x`)}`);
    // Unpadded base64 too, as the peers' decoder takes it.
    const unpadded = Buffer.alloc(25, 9).toString('base64').replace(/=+$/, '');
    const headers = await sign({ ...input, secret: unpadded });
    expect(headers['webhook-signature']).toBe(`v1,${mac(Buffer.alloc(25, 9), `m.${AT.getTime() / 1000}.x`)}`);
  });

  it('keeps the UTF-8 bytes of a secret that is not base64, with a warning that keyEncoding utf8 silences', async () => {
    const logger = capture();
    const secret = 'not base64: has spaces and a colon, 40 bytes';
    const headers = await createSigner({ scheme: 'standard-webhooks', secret, logger }).sign({
      id: 'm',
      body: 'x',
      timestamp: AT,
    });
    expect(headers['webhook-signature']).toBe(`v1,${mac(secret, `m.${AT.getTime() / 1000}.x`)}`);
    expect(codes(logger)).toEqual(['TEEI_SECRET_NOT_BASE64']);
    expect(logger.warnings[0]?.msg).toMatch(/neither whsec_<base64> nor base64.*keyEncoding: 'utf8'/);
    expect(JSON.stringify(logger.warnings)).not.toContain(secret);

    const quiet = capture();
    createSigner({ scheme: 'standard-webhooks', secret, keyEncoding: 'utf8', logger: quiet });
    createSigner({ secret, logger: quiet }); // other schemes: the string's bytes, as always
    expect(quiet.warnings).toEqual([]);
  });

  it('a whsec_ secret that is not base64 is still a ConfigError (the prefix says it is base64)', () => {
    expect(configError(() => createVerifier({ scheme: 'standard-webhooks', secret: 'whsec_not*base64!' })).option).toBe(
      'secret',
    );
  });
});
