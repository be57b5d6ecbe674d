/**
 * One delivery: attempts with a per-attempt timeout, the circuit breaker gate, backoff or `Retry-After` and the retry
 * hooks. It never throws: `concludeDelivery` turns the outcome into a receipt or a dead letter; what each attempt
 * logs and counts is in delivery-report.ts.
 *
 * @module
 */

import { AttemptContext } from '../delivery/attempt-context.js';
import { capRetryAfter } from '../delivery/retry-after.js';
import type { Transport, TransportMessage, TransportResult } from '../delivery/transport.js';
import { TransportError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsSink } from '../observability/metrics.js';
import { type Abortable, Cancellation } from './cancellation.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { reportFailedAttempt, reportRetry, reportWarning } from './delivery-report.js';
import { type NormalizedRetryOptions, type RetryContext, retryDelay } from './retry-policy.js';
import { sleep } from './sleep.js';

/**
 * @internal what a delivery needs from its publisher
 *
 * @example
 * ```ts
 * const runtime: DeliveryRuntime = { transport, retry: normalizeRetryOptions(), breaker, log: undefined, metrics: noopMetrics }
 * ```
 */
export interface DeliveryRuntime {
  readonly transport: Transport;
  readonly retry: NormalizedRetryOptions;
  readonly breaker: CircuitBreaker;
  /** `undefined` when the logger is silent, so the hot path builds no records. */
  readonly log: Logger | undefined;
  readonly metrics: MetricsSink;
}

/**
 * @internal how a delivery ended
 *
 * @example
 * ```ts
 * if (!outcome.ok && !outcome.cancelled) await deadLetter.add(entry)
 * ```
 */
export type DeliveryOutcome =
  | { readonly ok: true; readonly attempts: number; readonly status?: number; readonly durationMs: number }
  | {
      readonly ok: false;
      readonly attempts: number;
      readonly status?: number;
      readonly retryable: boolean;
      readonly error: Error;
      readonly durationMs: number;
      /** The caller's signal aborted: not a delivery failure, nothing is dead-lettered. */
      readonly cancelled: boolean;
    };

type Failure = Extract<TransportResult, { ok: false }>;

/**
 * Delivers `message` through `runtime.transport`, retrying per `runtime.retry`.
 *
 * @example
 * ```ts
 * const outcome = await deliver(runtime, { envelope, deliveryId: envelope.metadata.id })
 * if (!outcome.ok) await deadLetter(outcome)
 * ```
 */
export async function deliver(
  runtime: DeliveryRuntime,
  message: TransportMessage,
  signal?: Abortable,
): Promise<DeliveryOutcome> {
  const { retry, breaker } = runtime;
  const started = performance.now();
  let attempt = 0;
  try {
    for (;;) {
      attempt += 1;
      try {
        const gate = breaker.acquire(signal);
        if (gate !== undefined) await gate;
      } catch (error) {
        return cancelled(attempt - 1, error, started);
      }
      const result = await runAttempt(runtime, message, attempt, signal);
      if (signal?.aborted) {
        breaker.release();
        return cancelled(attempt, signal.reason, started);
      }
      if (result.ok) {
        breaker.success();
        return result.status === undefined
          ? { ok: true, attempts: attempt, durationMs: performance.now() - started }
          : { ok: true, attempts: attempt, status: result.status, durationMs: performance.now() - started };
      }
      const errorType = reportFailedAttempt(runtime, message, attempt, result);
      if (!result.retryable) {
        breaker.success();
        return failed(attempt, result, started);
      }
      // 409 is the receiver saying "still in progress": it is up, so the breaker hears of a live endpoint.
      if (result.status === 409) breaker.success();
      else breaker.failure();
      const retriesLeft = retry.retries - (attempt - 1);
      if (retriesLeft <= 0) return failed(attempt, result, started);
      const delayMs =
        result.retryAfterMs === undefined
          ? retryDelay(retry, attempt)
          : capRetryAfter(result.retryAfterMs, retry.maxRetryAfterMs);
      const context: RetryContext = Object.freeze(
        result.status === undefined
          ? { error: result.error, attempt, retriesLeft, delayMs }
          : { error: result.error, attempt, retriesLeft, delayMs, status: result.status },
      );
      const verdict =
        retry.shouldRetry === undefined
          ? true
          : await callHook(
              retry.shouldRetry,
              context,
              false,
              runtime,
              message,
              'retry.shouldRetry threw: not retrying',
            );
      if (verdict === false) {
        return failed(attempt, result, started);
      }
      if (retry.onRetry !== undefined) {
        await callHook(retry.onRetry, context, undefined, runtime, message, 'retry.onRetry threw; ignored');
      }
      reportRetry(runtime, message, attempt, result, { errorType, delayMs, retriesLeft });
      try {
        await sleep(delayMs, signal);
      } catch (error) {
        return cancelled(attempt, error, started);
      }
    }
  } catch (error) {
    // Only a bug can land here (in user code the publisher calls, e.g. `retry.random`, or in a transport that breaks
    // its contract): the event is still concluded, so it is dead-lettered and its publisher told, never lost. The
    // probe slot it may hold is freed so other deliveries do not wait on it forever.
    breaker.release();
    const cause = toError(error);
    return {
      ok: false,
      attempts: attempt,
      retryable: false,
      error: new TransportError('internal_error', `delivery failed unexpectedly: ${cause.message}`, { cause }),
      durationMs: performance.now() - started,
      cancelled: false,
    };
  }
}

/** One attempt, raced against its timeout: a transport that ignores its signal cannot hang a delivery. */
function runAttempt(
  runtime: DeliveryRuntime,
  message: TransportMessage,
  attempt: number,
  outer: Abortable | undefined,
): Promise<TransportResult> {
  const { timeoutMs } = runtime.retry;
  return new Promise<TransportResult>((resolve) => {
    // A plain timer, never AbortSignal.any([...]) nor AbortSignal.timeout: the former sometimes never aborts on
    // Node 20.
    const context = new AttemptContext(attempt);
    let settled = false;
    let slot = -1;
    const finish = (result: TransportResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (slot >= 0) (outer as Cancellation).untrack(slot);
      else if (outer !== undefined) outer.removeEventListener('abort', onOuterAbort);
      resolve(result);
    };
    const timer = setTimeout(() => {
      const error = new TransportError('timeout', `no answer within ${timeoutMs} ms`);
      context.abort(error);
      finish({ ok: false, retryable: true, error });
    }, timeoutMs);
    const onOuterAbort = (): void => {
      context.abort(outer?.reason);
      finish({ ok: false, retryable: false, error: toError(outer?.reason) });
    };
    if (outer !== undefined) {
      if (outer.aborted) return onOuterAbort();
      if (outer instanceof Cancellation) slot = outer.track(onOuterAbort);
      else outer.addEventListener('abort', onOuterAbort, { once: true });
    }
    let sent: Promise<TransportResult>;
    try {
      // Promise.resolve: a transport that answers synchronously still works (a native promise passes through as is).
      sent = Promise.resolve(runtime.transport.send(message, context));
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(finish, (error: unknown) =>
      finish({
        ok: false,
        retryable: true,
        error: new TransportError(
          'transport_error',
          `transport ${runtime.transport.name} threw: ${toError(error).message}`,
          { cause: error },
        ),
      }),
    );
  });
}

function failed(attempts: number, result: Failure, started: number): DeliveryOutcome {
  const base = { ok: false as const, attempts, retryable: result.retryable, error: result.error, cancelled: false };
  const durationMs = performance.now() - started;
  return result.status === undefined ? { ...base, durationMs } : { ...base, status: result.status, durationMs };
}

function cancelled(attempts: number, reason: unknown, started: number): DeliveryOutcome {
  return {
    ok: false,
    attempts,
    retryable: true,
    error: toError(reason),
    durationMs: performance.now() - started,
    cancelled: true,
  };
}

/** Runs a retry hook; a throw is logged and answered with `onThrow`. */
async function callHook<T>(
  hook: (context: RetryContext) => T | Promise<T>,
  context: RetryContext,
  onThrow: T,
  runtime: DeliveryRuntime,
  message: TransportMessage,
  what: string,
): Promise<T> {
  try {
    return await hook(context);
  } catch (error) {
    reportWarning(runtime, message, context.attempt, toError(error), what);
    return onThrow;
  }
}

/**
 * @internal
 *
 * @example
 * ```ts
 * const error = toError(signal.reason)
 * ```
 */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : 'aborted');
}
