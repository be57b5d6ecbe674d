/**
 * `Retry-After` → milliseconds. The header is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 *
 * @module
 */

/**
 * Reads a `Retry-After` value. Returns `undefined` when it is absent or unreadable, so the normal backoff applies.
 * A date in the past gives 0. Capping (`maxRetryAfterMs`) is the publisher's job: it owns the retry options.
 *
 * @example
 * ```ts
 * parseRetryAfter('3') // 3000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:00 GMT')) // 60000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its weekday or month; without letters Date.parse would read '-5' as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The delay to honour: the server's wish, capped.
 *
 * @example
 * ```ts
 * capRetryAfter(120_000, 60_000) // 60000
 * ```
 */
export function capRetryAfter(retryAfterMs: number, maxRetryAfterMs: number): number {
  return Math.min(Math.max(0, retryAfterMs), maxRetryAfterMs);
}
