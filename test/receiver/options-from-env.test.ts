// Options read from the environment: `process.env.X` is `string | undefined`, which `exactOptionalPropertyTypes` (on
// in this repository's tsconfig, so `tsc --noEmit` checks these lines) refuses for an `x?: string` option. The types
// take it; the run time refuses a missing secret with a ConfigError that says to check the variable.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AdapterOptions } from '../../src/adapters/adapter-options.js';
import { expressReceiver } from '../../src/adapters/express.js';
import type { FastifyReceiverOptions } from '../../src/adapters/fastify.js';
import { honoReceiver } from '../../src/adapters/hono.js';
import { nodeReceiver } from '../../src/adapters/node.js';
import {
  createReceiver,
  createSigner,
  createVerifier,
  isEventRelayError,
  type KeyOptions,
  type ReceiverOptions,
} from '../../src/index.js';

const env: Record<string, string | undefined> = {
  WEBHOOK_SIGNATURE_SECRET: 'env-secret-0123456789abcdef-0123456789',
};

describe('options read from the environment', () => {
  it('type-check with string | undefined under exactOptionalPropertyTypes', () => {
    expectTypeOf<{ secret: string | undefined }>().toExtend<ReceiverOptions>();
    expectTypeOf<{ secret: string | undefined; secrets: string[] | undefined }>().toExtend<KeyOptions>();
    expectTypeOf<{
      scheme: undefined;
      signature: undefined;
      keyEncoding: undefined;
      toleranceSeconds: number | undefined;
      maxBodyBytes: number | undefined;
      bodyTimeoutMs: number | undefined;
      logger: undefined;
    }>().toExtend<ReceiverOptions>();
    expectTypeOf<{ path: string | undefined; healthPath: string | undefined }>().toExtend<AdapterOptions>();
    expectTypeOf<{ path: string | undefined }>().toExtend<Omit<FastifyReceiverOptions, 'receiver'>>();

    const receiver = createReceiver({ secret: env.WEBHOOK_SIGNATURE_SECRET, logger: false });
    nodeReceiver(receiver, { path: env.WEBHOOK_PATH, healthPath: env.HEALTH_PATH });
    expressReceiver(receiver, { path: env.WEBHOOK_PATH });
    honoReceiver(receiver, { healthPath: env.HEALTH_PATH });
    createSigner({ secret: env.WEBHOOK_SIGNATURE_SECRET });
    createVerifier({ secret: env.WEBHOOK_SIGNATURE_SECRET });
  });

  it('an unset variable is a ConfigError at run time, naming the option and the fix', () => {
    let caught: unknown;
    try {
      createReceiver({ secret: env.NOT_SET });
    } catch (error) {
      caught = error;
    }
    expect(isEventRelayError(caught, 'ConfigError')).toBe(true);
    expect(caught).toMatchObject({ option: 'secret' });
    expect((caught as Error).message).toMatch(/check that the variable is set/);
    // An unset path falls back to the default.
    const receiver = createReceiver({ secret: env.WEBHOOK_SIGNATURE_SECRET, logger: false });
    expect(() => nodeReceiver(receiver, { path: env.NOT_SET })).not.toThrow();
  });
});
