/**
 * One circuit breaker per transport. After `failureThreshold` consecutive failed attempts it opens: deliveries wait
 * (their retries untouched) instead of hammering a dead endpoint. It probes soon: one attempt goes through
 * (half-open) `probeDelayMs` after it opened, then after twice that after each failed probe, up to `resetTimeoutMs`
 * between probes. One successful probe closes it, so delivery resumes within about `probeDelayMs` of a short outage
 * ending, and within `resetTimeoutMs` of a long one. Nothing is dropped.
 *
 * @module
 */
import type { Abortable } from './cancellation.js';

/**
 * Breaker settings.
 *
 * @example
 * ```ts
 * createPublisher({ transport, circuitBreaker: { failureThreshold: 10, resetTimeoutMs: 60_000 } })
 * ```
 */
export interface CircuitBreakerOptions {
  /** Consecutive failed attempts (network, timeout, 408, 425, 429, 5xx; not 409: that endpoint is up) that open it. @default 5 */
  failureThreshold?: number;
  /** Longest wait between two probes while the endpoint stays down. @default 30000 */
  resetTimeoutMs?: number;
  /** Wait before the first probe once open; it doubles after each failed probe, up to `resetTimeoutMs`. @default 1000 */
  probeDelayMs?: number;
}

/**
 * Where the breaker stands.
 *
 * @example
 * ```ts
 * if (publisher.circuitState === 'open') health.degraded = true
 * ```
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * The defaults of {@link CircuitBreakerOptions}.
 *
 * @example
 * ```ts
 * createPublisher({ transport, circuitBreaker: { ...DEFAULT_CIRCUIT_BREAKER, resetTimeoutMs: 10_000 } })
 * ```
 */
export const DEFAULT_CIRCUIT_BREAKER = Object.freeze({
  failureThreshold: 5,
  resetTimeoutMs: 30_000,
  probeDelayMs: 1000,
});

/**
 * @internal the publisher's view of a breaker
 *
 * @example
 * ```ts
 * const gate = breaker.acquire(signal); if (gate) await gate
 * ```
 */
export interface CircuitBreaker {
  readonly state: CircuitState;
  /** `undefined` when the attempt may go now (the hot path allocates nothing); otherwise a promise to await. */
  acquire(signal?: Abortable): Promise<void> | undefined;
  /** The endpoint answered (2xx, or a permanent answer: it is up). */
  success(): void;
  /** A retryable failure. */
  failure(): void;
  /** An attempt that acquired ended without a verdict (cancelled): frees the probe slot. */
  release(): void;
}

/**
 * Builds a breaker; `false` gives one that never opens.
 *
 * @throws {TypeError} naming a bad option.
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({ failureThreshold: 3 }, (state) => log.warn({ state }, 'circuit'))
 * ```
 */
export function createCircuitBreaker(
  options: CircuitBreakerOptions | false | undefined,
  onStateChange: (state: CircuitState) => void = () => {},
): CircuitBreaker {
  if (options === false) return disabledBreaker;
  const { failureThreshold, resetTimeoutMs, probeDelayMs } = {
    ...DEFAULT_CIRCUIT_BREAKER,
    ...definedOnly(options ?? {}),
  };
  if (!Number.isSafeInteger(failureThreshold) || failureThreshold < 1) {
    throw new TypeError(`circuitBreaker.failureThreshold must be a positive integer, got ${String(failureThreshold)}`);
  }
  if (typeof resetTimeoutMs !== 'number' || !(resetTimeoutMs >= 0) || !Number.isFinite(resetTimeoutMs)) {
    throw new TypeError(`circuitBreaker.resetTimeoutMs must be a non-negative number, got ${String(resetTimeoutMs)}`);
  }
  if (typeof probeDelayMs !== 'number' || !(probeDelayMs >= 0) || !Number.isFinite(probeDelayMs)) {
    throw new TypeError(`circuitBreaker.probeDelayMs must be a non-negative number, got ${String(probeDelayMs)}`);
  }
  let state: CircuitState = 'closed';
  let failures = 0;
  let probing = false;
  // Failed probes since the breaker last closed: each one doubles the wait before the next.
  let failedProbes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Waiters re-check the state when woken: simpler than handing the probe slot over explicitly.
  const waiters = new Set<() => void>();

  const setState = (next: CircuitState): void => {
    if (next === state) return;
    state = next;
    onStateChange(next);
  };
  const wakeAll = (): void => {
    const woken = [...waiters];
    waiters.clear();
    for (const wake of woken) wake();
  };
  const open = (): void => {
    if (state === 'half-open') failedProbes += 1;
    probing = false;
    setState('open');
    clearTimeout(timer);
    const delay = Math.min(resetTimeoutMs, probeDelayMs * 2 ** Math.min(failedProbes, 30));
    timer = setTimeout(() => {
      timer = undefined;
      setState('half-open');
      wakeAll();
    }, delay);
    // An idle open breaker must not hold a process open; `wait` re-refs the timer while deliveries wait on it.
    if (waiters.size === 0) timer.unref?.();
  };
  const wait = (signal?: Abortable): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        waiters.delete(wake);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      waiters.add(wake);
      timer?.ref?.();
      signal?.addEventListener('abort', onAbort, { once: true });
    }).then(() => breaker.acquire(signal));

  const breaker: CircuitBreaker = {
    get state() {
      return state;
    },
    acquire(signal) {
      if (state === 'closed') return undefined;
      if (state === 'half-open' && !probing) {
        probing = true;
        return undefined;
      }
      return wait(signal);
    },
    success() {
      failures = 0;
      if (state === 'closed') return;
      failedProbes = 0;
      probing = false;
      clearTimeout(timer);
      setState('closed');
      wakeAll();
    },
    failure() {
      failures += 1;
      if (state === 'half-open' || (state === 'closed' && failures >= failureThreshold)) open();
    },
    release() {
      if (state !== 'half-open' || !probing) return;
      probing = false;
      wakeAll();
    },
  };
  return breaker;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const disabledBreaker: CircuitBreaker = Object.freeze({
  state: 'closed' as const,
  acquire: () => undefined,
  success: () => {},
  failure: () => {},
  release: () => {},
});
