/**
 * Defaults and option checks shared by the signer and the verifier.
 *
 * @module
 */
import { getScheme } from './schemes/registry.js';
import type { Scheme } from './schemes/scheme.js';
import { DEFAULT_SCHEME, type KeyEncoding, type SchemeName, type SignableBody } from './types.js';

/**
 * Defaults of the signing and verifying options.
 *
 * @example
 * ```ts
 * createVerifier({ secret, toleranceSeconds: DEFAULT_SIGNING_OPTIONS.toleranceSeconds * 2 })
 * ```
 */
export const DEFAULT_SIGNING_OPTIONS = {
  scheme: DEFAULT_SCHEME as SchemeName,
  keyEncoding: 'auto' as KeyEncoding,
  toleranceSeconds: 300,
} as const;

/**
 * The scheme named by the `scheme` option (the default one when absent).
 *
 * @example `resolveScheme(undefined).name // 'teei-v1'`
 */
export function resolveScheme(name: SchemeName | undefined): Scheme {
  return getScheme(name ?? DEFAULT_SIGNING_OPTIONS.scheme);
}

/**
 * The `toleranceSeconds` option, checked.
 *
 * @example `resolveTolerance(undefined) // 300`
 */
export function resolveTolerance(value: number | undefined): number {
  const tolerance = value ?? DEFAULT_SIGNING_OPTIONS.toleranceSeconds;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new TypeError(`toleranceSeconds must be a finite number of seconds >= 0; got ${String(value)}`);
  }
  return tolerance;
}

/**
 * Throws a TypeError naming `option` when `body` is not the raw string or bytes.
 *
 * @example `assertBody(input.body)`
 */
export function assertBody(body: unknown, option = 'body'): asserts body is SignableBody {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError(
      `${option} must be the raw string or bytes (not a parsed object: re-serialising breaks signatures)`,
    );
  }
}

/**
 * Throws a TypeError when `date` is not a valid `Date`.
 *
 * @example `assertDate(input.timestamp, 'timestamp')`
 */
export function assertDate(date: unknown, option: string): asserts date is Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError(`${option} must be a valid Date`);
}
