/**
 * `verify`: one-shot verification. It builds a verifier for the call and lets it go: nothing holds the secret
 * afterwards. A receiver holds one from `createVerifier` (as `createReceiver` does), which decodes the keys once.
 *
 * @module
 */
import { createVerifier } from './create-verifier.js';
import type { VerifiedSignature, VerifyOptions } from './types.js';
import { withWarningsOnce } from './warnings-once.js';

/**
 * Verifies a signed request: resolves with its delivery id and signed timestamp, or rejects with a
 * `SignatureVerificationError` whose `code` is `missing_header`, `malformed_header`, `timestamp_out_of_tolerance`
 * or `invalid_signature`.
 *
 * @param options - The key options of {@link createVerifier} plus `headers`, the raw `body`, `toleranceSeconds`
 *   (default 300) and `now` (default the current time).
 * @throws ConfigError or TypeError on bad options (these are bugs, not bad requests).
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
  // No rest copy of the key options: the factory reads only its own.
  const verifier = createVerifier(withWarningsOnce(options));
  return verifier.verify(now === undefined ? { headers, body } : { headers, body, now });
}
