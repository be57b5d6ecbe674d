import { describe, expect, it } from 'vitest';
import { isConfigError, publisherConfigFromEnv } from '../../src/index.js';

const BASE = { CSR_WEBHOOK_URL: 'https://csr.example/webhooks/buddy-events', CSR_WEBHOOK_SECRET: 's3cr3t-value' };

function configError(env: Record<string, string | undefined>) {
  try {
    publisherConfigFromEnv(env);
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('publisherConfigFromEnv', () => {
  it('reads every variable', () => {
    expect(
      publisherConfigFromEnv({
        ...BASE,
        CSR_WEBHOOK_TIMEOUT_MS: '2500',
        CSR_WEBHOOK_RETRY_ATTEMPTS: '3',
        CSR_WEBHOOK_RETRY_BACKOFF_MS: '500',
        CSR_WEBHOOK_SCHEME: 'buddy-connector',
      }),
    ).toEqual({
      transport: { url: BASE.CSR_WEBHOOK_URL, secret: BASE.CSR_WEBHOOK_SECRET, scheme: 'buddy-connector' },
      retry: { timeoutMs: 2500, retries: 3, initialDelayMs: 500 },
    });
  });

  it('leaves unset and empty optional variables to the defaults', () => {
    expect(publisherConfigFromEnv({ ...BASE, CSR_WEBHOOK_TIMEOUT_MS: '', CSR_WEBHOOK_SCHEME: ' ' })).toEqual({
      transport: { url: BASE.CSR_WEBHOOK_URL, secret: BASE.CSR_WEBHOOK_SECRET },
      retry: {},
    });
    expect(publisherConfigFromEnv({ ...BASE, CSR_WEBHOOK_RETRY_ATTEMPTS: '0' }).retry).toEqual({ retries: 0 });
  });

  it.each([
    ['CSR_WEBHOOK_URL', undefined],
    ['CSR_WEBHOOK_URL', 'not a url'],
    ['CSR_WEBHOOK_URL', 'ftp://csr.example/'],
    ['CSR_WEBHOOK_SECRET', undefined],
    ['CSR_WEBHOOK_SECRET', '   '],
    ['CSR_WEBHOOK_TIMEOUT_MS', 'abc'],
    ['CSR_WEBHOOK_TIMEOUT_MS', '0'],
    ['CSR_WEBHOOK_TIMEOUT_MS', '1.5'],
    ['CSR_WEBHOOK_RETRY_ATTEMPTS', '-1'],
    ['CSR_WEBHOOK_RETRY_BACKOFF_MS', '1e3'],
    ['CSR_WEBHOOK_SCHEME', 'md5'],
  ])('%s=%s throws a ConfigError naming it', (name, value) => {
    const error = configError({ ...BASE, [name]: value });
    expect(error.option).toBe(name);
    expect(error.message).toContain(name);
  });

  it('tells a blank value from a missing one', () => {
    expect(configError({ ...BASE, CSR_WEBHOOK_SECRET: undefined }).message).toBe('CSR_WEBHOOK_SECRET is required');
    expect(configError({ ...BASE, CSR_WEBHOOK_SECRET: ' \n' }).message).toBe(
      'CSR_WEBHOOK_SECRET holds only whitespace',
    );
  });

  it('never echoes the secret', () => {
    const secret = 'top-secret-do-not-print';
    const error = configError({ ...BASE, CSR_WEBHOOK_SECRET: secret, CSR_WEBHOOK_TIMEOUT_MS: 'x' });
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it('CSR_WEBHOOK_OUTBOX_DIR gives a file outbox in that directory (opened only when a publisher starts)', () => {
    const config = publisherConfigFromEnv({ ...BASE, CSR_WEBHOOK_OUTBOX_DIR: '/var/lib/buddy/outbox' });
    expect(config.outbox).toMatchObject({ name: 'file', durable: true, directory: '/var/lib/buddy/outbox' });
    expect(publisherConfigFromEnv({ ...BASE, CSR_WEBHOOK_OUTBOX_DIR: ' ' }).outbox).toBeUndefined();
  });

  it.each([
    'https://relay:pa/ss@csr.example/hook',
    'https://relay:pa#ss@csr.example/hook',
    'https://relay:p@ss:w/rd@csr.example/hook',
    'relay:pa/ss@csr.example/hook',
  ])('masks the credentials of an invalid URL whose password holds / or # (%s)', (url) => {
    const error = configError({ ...BASE, CSR_WEBHOOK_URL: url });
    expect(error.message).not.toMatch(/pa\/ss|pa#ss|p@ss|w\/rd/);
    expect(error.message).toContain('***@csr.example/hook');
  });

  it('never echoes credentials of a bad URL', () => {
    const error = configError({ ...BASE, CSR_WEBHOOK_URL: 'ftp://relay:hunter2@csr.example/hook' });
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('ftp://***@csr.example/hook');
  });
});
