// Whether the NATS suites run: decided once by test/setup/global-setup.ts.
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** True when the global setup reached NATS. Use as `describe.skipIf(!natsAvailable())`. */
export function natsAvailable(): boolean {
  return process.env.TEEI_NATS_AVAILABLE === '1';
}
