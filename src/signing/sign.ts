/**
 * `sign`: one-shot signing. It builds a signer for the call and lets it go: nothing holds the secret afterwards.
 * Code that signs often holds one from `createSigner`, which decodes the key once.
 *
 * @module
 */
import { createSigner } from './create-signer.js';
import type { SignOptions } from './types.js';
import { withWarningsOnce } from './warnings-once.js';

/**
 * The headers that sign `body` for delivery `id` at `timestamp` (default now) under `scheme` (default `teei-v1`).
 *
 * @param options - The key options of {@link createSigner} plus `id`, `body` and `timestamp`.
 * @returns The headers to send, e.g. `{ 'X-Webhook-Id', 'X-Webhook-Timestamp', 'X-Webhook-Signature' }`.
 * @throws ConfigError or TypeError on bad options, as `createSigner` does.
 * @example
 * ```ts
 * const body = serializeEvent(envelope)
 * const headers = await sign({ secret: 'my-shared-secret', id: envelope.metadata.id, body })
 * // { 'X-Webhook-Id': '…', 'X-Webhook-Timestamp': '2026-…Z', 'X-Webhook-Signature': 'sha256=…' }
 * ```
 */
export async function sign(options: SignOptions): Promise<Record<string, string>> {
  const { id, body, timestamp } = options;
  // No rest copy of the key options: the factory reads only its own.
  const signer = createSigner(withWarningsOnce(options));
  return signer.sign(timestamp === undefined ? { id, body } : { id, body, timestamp });
}
