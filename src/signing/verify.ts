/**
 * `verify`: one-shot verification. The verifier is memoised per key options and `toleranceSeconds` (see
 * `signer-cache.ts`), so repeated calls with the same secret decode it once; `createVerifier` is still the direct way
 * to hold one for a hot path.
 *
 * @module
 */
import { cachedVerifier } from './signer-cache.js';
import type { VerifiedSignature, VerifyOptions } from './types.js';

/**
 * Verifies a signed request: resolves with its delivery id and signed timestamp, or rejects with a
 * `SignatureVerificationError` whose `code` is `missing_header`, `malformed_header`, `timestamp_out_of_tolerance`
 * or `invalid_signature`.
 *
 * @param options - The key options of {@link createVerifier} plus `headers`, the raw `body`, `toleranceSeconds`
 *   (default 300) and `now` (default the current time).
 * @throws ConfigError or TypeError on bad options (these are bugs, not bad requests), on every call: bad options
 *   are never cached.
 * @example
 * ```ts
 * try {
 *   const { id } = await verify({ secret: 'my-shared-secret', headers: req.headers, body: rawBody })
 * } catch (e) {
 *   if (isSignatureVerificationError(e)) return res.status(401).json({ error: e.code })
 *   throw e
 * }
 * ```
 */
export async function verify(options: VerifyOptions): Promise<VerifiedSignature> {
  const { headers, body, now } = options;
  // No rest copy of the key options: on the hot path that copy costs as much as the cache lookup. The factory reads
  // only its own options.
  const verifier = cachedVerifier(options);
  return verifier.verify(now === undefined ? { headers, body } : { headers, body, now });
}
