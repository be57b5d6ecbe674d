import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isEventRelayError, type Logger, sign, verify } from '../../src/index.js';

const AT = new Date('2026-05-05T05:05:05.000Z');
const teeiMac = (key: string | Uint8Array, id: string, body: string, at = AT) =>
  `sha256=${createHmac('sha256', key).update(`${id}.${at.toISOString()}.${body}`).digest('hex')}`;

// The engine reads node:crypto through process.getBuiltinModule: the same exports object this spy patches.
const nodeCrypto = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');

// Distinct secrets per test: a key kept from one call to the next would show as a wrong signature.
let counter = 0;
const freshSecret = (label: string) => `one-shot-${label}-${++counter}-${Math.random().toString(36).slice(2)}`;

afterEach(() => vi.restoreAllMocks());

describe('one-shot sign() and verify() hold no key between calls', () => {
  it('builds the key for each call and keeps nothing: no process-wide map of secrets', async () => {
    const secret = freshSecret('sign');
    const imports = vi.spyOn(nodeCrypto, 'createSecretKey');
    for (let i = 0; i < 3; i++) {
      const headers = await sign({ secret, id: `d${i}`, body: 'x', timestamp: AT });
      expect(headers['X-Webhook-Signature']).toBe(teeiMac(secret, `d${i}`, 'x'));
      await expect(verify({ secret, headers, body: 'x', now: AT })).resolves.toMatchObject({ id: `d${i}` });
    }
    expect(imports).toHaveBeenCalledTimes(6);
  });

  it('keeps each toleranceSeconds apart', async () => {
    const secret = freshSecret('tolerance');
    const headers = await sign({ secret, id: 'd', body: 'x', timestamp: AT });
    const later = new Date(AT.getTime() + 60_000);
    await expect(verify({ secret, headers, body: 'x', now: later, toleranceSeconds: 10 })).rejects.toMatchObject({
      code: 'timestamp_out_of_tolerance',
    });
    await expect(verify({ secret, headers, body: 'x', now: later })).resolves.toMatchObject({ id: 'd' });
    await expect(verify({ secret, headers, body: 'x', now: later, toleranceSeconds: 10 })).rejects.toMatchObject({
      code: 'timestamp_out_of_tolerance',
    });
  });

  it('signs and verifies correctly with many secrets, in any order', async () => {
    const secrets = Array.from({ length: 150 }, (_, i) => freshSecret(`many${i}`));
    for (const order of [secrets, [...secrets].reverse()]) {
      for (const [i, secret] of order.entries()) {
        const headers = await sign({ secret, id: `d${i}`, body: 'x', timestamp: AT });
        expect(headers['X-Webhook-Signature']).toBe(teeiMac(secret, `d${i}`, 'x'));
        await expect(verify({ secret, headers, body: 'x', now: AT })).resolves.toMatchObject({ id: `d${i}` });
        // Another secret must not accept it.
        const other = order[(i + 1) % order.length] as string;
        await expect(verify({ secret: other, headers, body: 'x', now: AT })).rejects.toMatchObject({
          code: 'invalid_signature',
        });
      }
    }
  });

  it('signs with the secret of each call when the secret changes back and forth', async () => {
    const [a, b] = [freshSecret('a'), freshSecret('b')];
    const sigOf = async (secret: string) =>
      (await sign({ secret, id: 'd', body: 'x', timestamp: AT }))['X-Webhook-Signature'];
    const [first, second, third] = [await sigOf(a), await sigOf(b), await sigOf(a)];
    expect(first).toBe(teeiMac(a, 'd', 'x'));
    expect(second).toBe(teeiMac(b, 'd', 'x'));
    expect(third).toBe(first);
  });

  it('keeps rotation lists, their order and keyEncoding apart', async () => {
    const [a, b] = [freshSecret('rot-a'), freshSecret('rot-b')];
    const header = async (options: { secrets: string[] } | { secret: string; keyEncoding?: 'utf8' | 'base64' }) =>
      (await sign({ ...options, id: 'd', body: 'x', timestamp: AT }))['X-Webhook-Signature'];
    const [macA, macB] = [teeiMac(a, 'd', 'x').slice(7), teeiMac(b, 'd', 'x').slice(7)];
    expect(await header({ secrets: [a, b] })).toBe(`sha256=${macA} sha256=${macB}`);
    expect(await header({ secrets: [b, a] })).toBe(`sha256=${macB} sha256=${macA}`);
    expect(await header({ secrets: [a] })).toBe(`sha256=${macA}`);

    const base64 = Buffer.from(freshSecret('b64')).toString('base64');
    expect(await header({ secret: base64, keyEncoding: 'utf8' })).toBe(teeiMac(base64, 'd', 'x'));
    expect(await header({ secret: base64, keyEncoding: 'base64' })).toBe(
      teeiMac(Buffer.from(base64, 'base64'), 'd', 'x'),
    );
    expect(await header({ secret: base64 })).toBe(teeiMac(base64, 'd', 'x'));
  });

  it('uses the bytes a Uint8Array secret holds at each call, even when the caller reuses the buffer', async () => {
    const bytes = new TextEncoder().encode(freshSecret('bytes'));
    const before = bytes.slice();
    const first = await sign({ secret: bytes, id: 'd', body: 'x', timestamp: AT });
    expect(first['X-Webhook-Signature']).toBe(teeiMac(before, 'd', 'x'));
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    const second = await sign({ secret: bytes, id: 'd', body: 'x', timestamp: AT });
    expect(second['X-Webhook-Signature']).toBe(teeiMac(bytes, 'd', 'x'));
    expect(second['X-Webhook-Signature']).not.toBe(first['X-Webhook-Signature']);
    // Restored content: the signature of the original bytes again.
    bytes.set(before);
    const third = await sign({ secret: bytes, id: 'd', body: 'x', timestamp: AT });
    expect(third['X-Webhook-Signature']).toBe(first['X-Webhook-Signature']);
  });
});

describe('one-shot sign() and verify() refuse bad options', () => {
  const rejectsWith = async (promise: Promise<unknown>, check: (e: unknown) => boolean) => {
    const caught = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(caught).toBeDefined();
    expect(check(caught)).toBe(true);
  };

  it('throws on every call with a bad secret or scheme', async () => {
    for (let i = 0; i < 3; i++) {
      await rejectsWith(sign({ secret: '', id: 'd', body: 'x' }), (e: unknown) => isEventRelayError(e, 'ConfigError'));
      await rejectsWith(verify({ secret: '', headers: {}, body: 'x' }), (e: unknown) =>
        isEventRelayError(e, 'ConfigError'),
      );
      await rejectsWith(sign({ id: 'd', body: 'x' }), (e: unknown) => isEventRelayError(e, 'ConfigError'));
      await rejectsWith(
        sign({ scheme: 'nope' as never, secret: 's', id: 'd', body: 'x' }),
        (e) => e instanceof TypeError && /scheme/.test(e.message),
      );
      await rejectsWith(
        sign({ scheme: 'standard-webhooks', secret: 'whsec_!!!', id: 'd', body: 'x' }),
        (e) => isEventRelayError(e, 'ConfigError') && !String((e as Error).message).includes('whsec_!!!'),
      );
    }
  });

  it('throws on every call with a bad option next to a secret that worked', async () => {
    const secret = freshSecret('good');
    const headers = await sign({ secret, id: 'd', body: 'x', timestamp: AT });
    await verify({ secret, headers, body: 'x', now: AT });
    for (let i = 0; i < 3; i++) {
      for (const toleranceSeconds of [Number.NaN, -1, '300' as never]) {
        await rejectsWith(
          verify({ secret, headers, body: 'x', now: AT, toleranceSeconds }),
          (e) => e instanceof TypeError && /toleranceSeconds/.test(e.message),
        );
      }
      await rejectsWith(
        sign({ secret, keyEncoding: 'hex' as never, id: 'd', body: 'x' }),
        (e) => e instanceof TypeError && /keyEncoding/.test(e.message),
      );
      await rejectsWith(
        sign({ secret, secrets: [secret], id: 'd', body: 'x' }),
        (e) => e instanceof TypeError && /secrets/.test(e.message),
      );
      await rejectsWith(
        verify({ secrets: secret as never, headers, body: 'x', now: AT }),
        (e) => isEventRelayError(e, 'ConfigError') && /secrets/.test((e as Error).message),
      );
    }
    await expect(verify({ secret, headers, body: 'x', now: AT })).resolves.toMatchObject({ id: 'd' });
  });

  it('still refuses a whpk_ public key for signing on every call', async () => {
    const publicKey = `whpk_${Buffer.alloc(32, 7).toString('base64')}`;
    for (let i = 0; i < 2; i++) {
      await expect(sign({ scheme: 'standard-webhooks', secret: publicKey, id: 'd', body: 'x' })).rejects.toThrow();
    }
  });

  it('warns through a given logger once, not on every call', async () => {
    const warn = vi.fn();
    const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
    const secret = `${freshSecret('spaced')} `;
    for (let i = 0; i < 3; i++) await sign({ secret, logger, id: 'd', body: 'x', timestamp: AT });
    const whitespace = warn.mock.calls.filter(
      ([record]) => (record as { code?: string }).code === 'TEEI_SECRET_WHITESPACE',
    );
    expect(whitespace).toHaveLength(1);
    // Another logger hears it too: the once is per logger.
    const other = vi.fn();
    await sign({ secret, logger: { ...logger, warn: other }, id: 'd', body: 'x', timestamp: AT });
    expect(other.mock.calls.some(([record]) => (record as { code?: string }).code === 'TEEI_SECRET_WHITESPACE')).toBe(
      true,
    );
    for (const [record, message] of warn.mock.calls as [unknown, string][]) {
      expect(JSON.stringify(record) + message).not.toContain(secret.trim());
    }
  });
});
