/**
 * Retry options, their defaults (the seed's schedule: 1, 2, 4, 8, 16 s with jitter) and the delay computation.
 *
 * @module
 */

/**
 * What the retry hooks see. Frozen: hooks observe, they do not steer by mutation.
 *
 * @example
 * ```ts
 * retry: { onRetry: ({ attempt, delayMs, status }) => console.warn(`attempt ${attempt} got ${status}; again in ${delayMs} ms`) }
 * ```
 */
export interface RetryContext {
  /** Why the attempt failed. */
  readonly error: Error;
  /** The attempt that just failed; 1 for the first. */
  readonly attempt: number;
  /** Retries still allowed, counting the one about to be scheduled (as p-retry counts). */
  readonly retriesLeft: number;
  /** How long the publisher will wait before the next attempt. */
  readonly delayMs: number;
  /** HTTP status of the failed attempt, when there was an answer. */
  readonly status?: number;
}

/**
 * How a delivery is retried. Retried: network errors, timeouts, and the answers 408, 409, 425, 429 and 5xx (409 is
 * the receiver's "this event is still being handled": a duplicate that arrived while the first delivery runs). An
 * answer's `Retry-After` (seconds or an HTTP date) replaces the computed delay, up to `maxRetryAfterMs`. Any other
 * answer is permanent: the event is dead-lettered at once.
 *
 * @example
 * ```ts
 * createPublisher({ transport, retry: { retries: 3, timeoutMs: 2000, shouldRetry: (ctx) => ctx.status !== 503 } })
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt (so 5 means at most 6 attempts). @default 5 */
  retries?: number;
  /** Delay before the first retry. @default 1000 */
  initialDelayMs?: number;
  /** Each delay is the previous one times `factor`. @default 2 */
  factor?: number;
  /** Ceiling of a computed delay. @default 16000 */
  maxDelayMs?: number;
  /** Draw each delay uniformly in [d/2, d], so failed senders do not retry in lockstep. @default true */
  jitter?: boolean;
  /** Per-attempt timeout; the attempt is aborted and counts as a retryable failure. @default 5000 */
  timeoutMs?: number;
  /** Longest `Retry-After` honoured; a longer one is cut to this. @default 60000 */
  maxRetryAfterMs?: number;
  /** Called before each retry; a throw is logged and ignored. @default undefined */
  onRetry?: (context: RetryContext) => void | Promise<void>;
  /** Return `false` to stop retrying this delivery (it is dead-lettered); a throw counts as `false`. @default undefined */
  shouldRetry?: (context: RetryContext) => boolean | Promise<boolean>;
  /** Random source in [0, 1) for the jitter; inject one in tests. @default Math.random */
  random?: () => number;
}

/**
 * {@link RetryOptions} with every default applied.
 *
 * @example
 * ```ts
 * const retry: NormalizedRetryOptions = normalizeRetryOptions({ retries: 3 })
 * ```
 */
export type NormalizedRetryOptions = Readonly<
  Required<Omit<RetryOptions, 'onRetry' | 'shouldRetry'>> & Pick<RetryOptions, 'onRetry' | 'shouldRetry'>
>;

/**
 * The defaults of {@link RetryOptions}.
 *
 * @example
 * ```ts
 * createPublisher({ transport, retry: { ...DEFAULT_RETRY, retries: 10 } })
 * ```
 */
export const DEFAULT_RETRY = Object.freeze({
  retries: 5,
  initialDelayMs: 1000,
  factor: 2,
  maxDelayMs: 16_000,
  jitter: true,
  timeoutMs: 5000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
});

const INTEGER_OPTIONS = ['retries'] as const;
const NUMBER_OPTIONS = ['initialDelayMs', 'factor', 'maxDelayMs', 'maxRetryAfterMs'] as const;

/**
 * Merges `options` over {@link DEFAULT_RETRY} and checks every value.
 *
 * @throws {TypeError} naming the first bad option, e.g. `retry.retries must be a non-negative integer, got -1`.
 * @example
 * ```ts
 * const retry = normalizeRetryOptions({ retries: 3 })
 * retry.initialDelayMs // 1000
 * ```
 */
export function normalizeRetryOptions(options: RetryOptions = {}): NormalizedRetryOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('retry must be an object');
  const merged = { ...DEFAULT_RETRY };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) Object.assign(merged, { [key]: value });
  for (const key of INTEGER_OPTIONS) {
    const value = merged[key];
    if (!Number.isSafeInteger(value) || value < 0) bad(key, 'a non-negative integer', value);
  }
  for (const key of NUMBER_OPTIONS) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) bad(key, 'a non-negative number', value);
  }
  if (merged.factor < 1) bad('factor', 'a number >= 1', merged.factor);
  if (typeof merged.timeoutMs !== 'number' || !(merged.timeoutMs > 0) || !Number.isFinite(merged.timeoutMs)) {
    bad('timeoutMs', 'a positive number', merged.timeoutMs);
  }
  if (typeof merged.jitter !== 'boolean') bad('jitter', 'a boolean', merged.jitter);
  if (typeof merged.random !== 'function') bad('random', 'a function', merged.random);
  for (const key of ['onRetry', 'shouldRetry'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') bad(key, 'a function', options[key]);
  }
  return Object.freeze(merged) as NormalizedRetryOptions;
}

function bad(option: string, expected: string, value: unknown): never {
  throw new TypeError(`retry.${option} must be ${expected}, got ${String(value)}`);
}

/**
 * The wait before retry number `retry` (1 for the first retry): `initialDelayMs * factor^(retry-1)`, capped at
 * `maxDelayMs`, then drawn in [d/2, d] when jitter is on.
 *
 * @example
 * ```ts
 * retryDelay(normalizeRetryOptions({ jitter: false }), 3) // 4000
 * ```
 */
export function retryDelay(options: NormalizedRetryOptions, retry: number): number {
  const base = Math.min(options.initialDelayMs * options.factor ** (retry - 1), options.maxDelayMs);
  if (!options.jitter) return base;
  return Math.round(base / 2 + options.random() * (base / 2));
}
