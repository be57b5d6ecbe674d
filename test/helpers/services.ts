// Whether the Postgres and Redis suites run: decided once by test/setup/global-setup.ts (which fails the run under
// CI when a service is missing, so these only ever return false outside CI).
export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when the global setup reached Postgres. Use as `describe.skipIf(!pgAvailable())`. */
export function pgAvailable(): boolean {
  return process.env.TEEI_PG_AVAILABLE === '1';
}

/** True when the global setup reached Redis. Use as `describe.skipIf(!redisAvailable())`. */
export function redisAvailable(): boolean {
  return process.env.TEEI_REDIS_AVAILABLE === '1';
}

/**
 * A name no other test run uses at the same time (parallel runs share one Postgres and one Redis): use it for
 * tables, schemas, key prefixes and stream names.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
