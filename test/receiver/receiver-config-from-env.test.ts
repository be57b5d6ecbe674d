import { describe, expect, it } from 'vitest';
import { ConfigError, createReceiver, receiverConfigFromEnv } from '../../src/index.js';

describe('receiverConfigFromEnv', () => {
  it('reads the secret; validation is enabled by default', () => {
    expect(receiverConfigFromEnv({ WEBHOOK_SIGNATURE_SECRET: 's3cret' })).toEqual({
      secret: 's3cret',
      signature: 'required',
    });
  });

  it("maps WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false to signature 'disabled'", () => {
    expect(receiverConfigFromEnv({ WEBHOOK_SIGNATURE_VALIDATION_ENABLED: 'false' })).toEqual({ signature: 'disabled' });
    expect(receiverConfigFromEnv({ WEBHOOK_SIGNATURE_VALIDATION_ENABLED: '0', WEBHOOK_SIGNATURE_SECRET: 'x' })).toEqual(
      {
        secret: 'x',
        signature: 'disabled',
      },
    );
    expect(() =>
      createReceiver(receiverConfigFromEnv({ WEBHOOK_SIGNATURE_VALIDATION_ENABLED: 'FALSE' })),
    ).not.toThrow();
  });

  it('throws ConfigError naming the variable', () => {
    expect(() => receiverConfigFromEnv({})).toThrow(ConfigError);
    try {
      receiverConfigFromEnv({ WEBHOOK_SIGNATURE_VALIDATION_ENABLED: 'perhaps', WEBHOOK_SIGNATURE_SECRET: 'x' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).option).toBe('WEBHOOK_SIGNATURE_VALIDATION_ENABLED');
    }
    expect(() => receiverConfigFromEnv({ WEBHOOK_SIGNATURE_VALIDATION_ENABLED: 'true' })).toThrow(
      /WEBHOOK_SIGNATURE_SECRET/,
    );
  });
});
