/**
 * `sign`: one-shot signing. The signer is memoised per key options (see `signer-cache.ts`), so repeated calls with
 * the same secret decode it once; `createSigner` is still the direct way to hold one for a hot path.
 *
 * @module
 */
import { cachedSigner } from './signer-cache.js';
import type { SignOptions } from './types.js';

/**
 * The headers that sign `body` for delivery `id` at `timestamp` (default now) under `scheme` (default `teei-v1`).
 *
 * @param options - The key options of {@link createSigner} plus `id`, `body` and `timestamp`.
 * @returns The headers to send, e.g. `{ 'X-Webhook-Id', 'X-Webhook-Timestamp', 'X-Webhook-Signature' }`.
 * @throws ConfigError or TypeError on bad options, as `createSigner` does (on every call: bad options are never
 *   cached).
 * @example
 * ```ts
 * const body = serializeEvent(envelope)
 * const headers = await sign({ secret: 'my-shared-secret', id: envelope.metadata.id, body })
 * // { 'X-Webhook-Id': '…', 'X-Webhook-Timestamp': '2026-…Z', 'X-Webhook-Signature': 'sha256=…' }
 * ```
 */
export async function sign(options: SignOptions): Promise<Record<string, string>> {
  const { id, body, timestamp } = options;
  // No rest copy of the key options: on the hot path that copy costs as much as the cache lookup. The factory reads
  // only its own options.
  const signer = cachedSigner(options);
  return signer.sign(timestamp === undefined ? { id, body } : { id, body, timestamp });
}
