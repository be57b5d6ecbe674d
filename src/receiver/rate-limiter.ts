/**
 * A token bucket for the receiver: one bucket for the whole receiver, because a webhook endpoint has one sender
 * (the Buddy System) and a 429 with `Retry-After` is how it asks that sender to slow down. Per-client limits belong
 * in the reverse proxy.
 *
 * @module
 */

/**
 * The receiver's `rateLimit` option.
 *
 * @example `createReceiver({ secret, rateLimit: { requestsPerSecond: 100, burst: 200 } })`
 */
export interface RateLimitOptions {
  /** Tokens added per second: the sustained rate. */
  requestsPerSecond: number;
  /**
   * Bucket size: how many events may arrive at once after a quiet spell.
   * @default requestsPerSecond
   */
  burst?: number;
  /**
   * The clock in milliseconds, for tests.
   * @default Date.now
   */
  now?: () => number;
}

/** @internal */
export interface RateLimiter {
  /** Takes one token: 0 when allowed, else the milliseconds until a token is available. */
  take(): number;
}

/**
 * @internal
 * @throws {TypeError} naming `rateLimit.requestsPerSecond` or `rateLimit.burst` when not a positive number.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const rate = options.requestsPerSecond;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
    throw new TypeError(`rateLimit.requestsPerSecond must be a positive number, got ${String(rate)}`);
  }
  const burst = options.burst ?? rate;
  if (typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1) {
    throw new TypeError(`rateLimit.burst must be a number ≥ 1, got ${String(burst)}`);
  }
  const now = options.now ?? Date.now;
  let tokens = burst;
  let last = now();
  return {
    take() {
      const at = now();
      // A clock stepping back adds nothing (rather than taking tokens away).
      tokens = Math.min(burst, tokens + (Math.max(0, at - last) / 1000) * rate);
      last = at;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - tokens) / rate) * 1000);
    },
  };
}
