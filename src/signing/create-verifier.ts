/**
 * `createVerifier`: decodes the keys once and verifies requests with them, for the receiver's hot path.
 *
 * @module
 */
import { checkHeaders, invalidSignature } from './check-headers.js';
import type { Engine } from './engine/engine.js';
import { defaultEngine } from './engine/select-engine.js';
import { decodeKeys } from './keys.js';
import { assertBody, assertDate, resolveScheme, resolveTolerance } from './options.js';
import { readHeaderAs } from './read-header.js';
import type { VerifiedSignature, Verifier, VerifierOptions, VerifyInput } from './types.js';

export type { VerifiedSignature, Verifier, VerifierOptions, VerifyInput } from './types.js';

/**
 * Builds a verifier on a given engine; `createVerifier` uses the runtime's default engine.
 *
 * @example `const verifier = buildVerifier({ secret }, webEngine(crypto.subtle))`
 */
export function buildVerifier(options: VerifierOptions, engine: Engine): Verifier {
  const scheme = resolveScheme(options.scheme);
  const toleranceSeconds = resolveTolerance(options.toleranceSeconds);
  const keys = decodeKeys({ ...options, scheme: scheme.name });
  const ring = engine.createKeyRing(keys, scheme.encoding, 'verify');

  function check(input: VerifyInput) {
    assertBody(input?.body);
    if (typeof input.headers !== 'object' || input.headers === null) {
      throw new TypeError('headers must be a Headers, Node IncomingHttpHeaders or a plain record');
    }
    let nowMs: number;
    if (input.now === undefined) nowMs = Date.now();
    else {
      assertDate(input.now, 'now');
      nowMs = input.now.getTime();
    }
    return checkHeaders(scheme, input.headers, nowMs, toleranceSeconds);
  }

  const verifySync = ring.verifySync;
  const verifier: Verifier = {
    scheme: scheme.name,
    async verify(input) {
      const checked = check(input);
      // On node:crypto the work is synchronous: skip the engine's extra promise.
      const ok = verifySync
        ? verifySync(checked.prefix, input.body, checked.candidates)
        : await ring.verify(checked.prefix, input.body, checked.candidates);
      if (!ok) throw invalidSignature(scheme);
      return { id: checked.id, timestamp: new Date(checked.timestampMs) };
    },
    hasSignature: (headers) => Boolean(readHeaderAs(headers, scheme.headers.signature, scheme.wireHeaders.signature)),
  };
  if (!verifySync) return verifier;
  return {
    ...verifier,
    verifySync(input): VerifiedSignature {
      const checked = check(input);
      if (!verifySync(checked.prefix, input.body, checked.candidates)) throw invalidSignature(scheme);
      return { id: checked.id, timestamp: new Date(checked.timestampMs) };
    },
  };
}

/**
 * A verifier with its keys decoded once. `verify` resolves with the delivery id and the signed timestamp, or rejects
 * with a `SignatureVerificationError` (`missing_header`, `malformed_header`, `timestamp_out_of_tolerance`,
 * `invalid_signature`). A request verifies when any of its signatures matches any configured secret (rotation).
 * `verifySync` is there when `node:crypto` is.
 *
 * @param options - `scheme` (default `teei-v1`), `secret` or `secrets`, `keyEncoding` (default `auto`),
 *   `toleranceSeconds` (default 300, both directions), `logger`.
 * @returns A {@link Verifier}.
 * @throws ConfigError when a secret is missing, empty or does not decode.
 * @throws TypeError on an unknown `scheme` or `keyEncoding`, both `secret` and `secrets`, or a bad `toleranceSeconds`.
 * @example
 * ```ts
 * const verifier = createVerifier({ secrets: [process.env.NEW_SECRET!, process.env.OLD_SECRET!] })
 * const { id, timestamp } = await verifier.verify({ headers: req.headers, body: rawBody })
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  return buildVerifier(options, defaultEngine());
}
