/**
 * The pipeline's last steps: claim the event id in the idempotency store, run the handlers while the claim is kept
 * alive, then complete or release it. The key is the event id from the verified body (`metadata.id`, or `id` in the
 * flat shape), because the body is signed in every scheme: a request replayed under a new delivery-id header is a
 * duplicate. The delivery id is kept for the handlers and the logs only.
 *
 * @module
 */
import type { EventEnvelope } from '../envelope/envelope-schema.js';
import { HandlerTimeoutError, isPermanentEventError } from '../errors.js';
import { type Claim, createClaimKeeper, TIMED_OUT } from './claim-keeper.js';
import type { ReceiverHandlerContext } from './handler-context.js';
import type { HandlerRegistry } from './handler-registry.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { acknowledged, failure } from './responses.js';
import { runHandlers } from './run-handlers.js';
import type { ErrorContext, HandlerContext, MessageResult } from './types.js';

/** @internal */
export interface DedupeDeps {
  readonly registry: HandlerRegistry;
  readonly store: IdempotencyStore;
  readonly handlerTimeoutMs: number;
  readonly inProgressRetryAfterMs: number;
  /** Sends an error to the `onError` listeners and the log. */
  readonly report: (error: Error, ctx: ErrorContext) => void;
}

interface EventClaim extends Claim {
  readonly event: EventEnvelope;
  readonly ctx: ReceiverHandlerContext;
}

/** @internal the ids every answer and report about one event carries */
export function ids(event: EventEnvelope, ctx: HandlerContext) {
  return { eventId: event.metadata.id, eventType: event.type, deliveryId: ctx.deliveryId };
}

function allPermanent(error: Error): boolean {
  if (error instanceof AggregateError) return error.errors.every((e) => isPermanentEventError(e));
  return isPermanentEventError(error);
}

/** @internal Claims, runs and settles one admitted event. */
export function createDedupe(
  deps: DedupeDeps,
): (event: EventEnvelope, ctx: ReceiverHandlerContext) => Promise<MessageResult> {
  const { registry, store, handlerTimeoutMs, report } = deps;
  const keeper = createClaimKeeper<EventClaim>(store, handlerTimeoutMs, {
    lost({ event, ctx }, error) {
      ctx.abort(error);
      report(error, { source: 'receiver', ...ids(event, ctx) });
    },
    renewFailed: ({ event, ctx }, error) => storeFailed(error, event, ctx),
    late({ event, ctx, token }, error) {
      // A handler settled after the receiver gave up on it: its success still counts (unless a retry holds the id).
      if (error === undefined) void settle(store.complete, event, ctx, token);
      else report(error, { source: 'handler', ...ids(event, ctx) });
    },
  });
  // A claim token is unique per delivery on any replica: a random prefix per receiver, then a counter.
  const prefix = `${globalThis.crypto.randomUUID()}:`;
  let counter = 0;

  function failed(event: EventEnvelope, ctx: HandlerContext, error: Error): MessageResult {
    report(error, { source: 'handler', ...ids(event, ctx) });
    if (allPermanent(error)) {
      return failure('reject', 422, 'permanent_event', error.message, { ...ids(event, ctx), error });
    }
    return failure('retry', 500, 'handler_failed', 'a handler failed: the event will be processed again on retry', {
      ...ids(event, ctx),
      error,
    });
  }

  function timedOut(event: EventEnvelope, ctx: ReceiverHandlerContext): MessageResult {
    const error = new HandlerTimeoutError(event.metadata.id, handlerTimeoutMs);
    ctx.abort(error);
    report(error, { source: 'handler', ...ids(event, ctx) });
    return failure(
      'retry',
      500,
      'handler_timeout',
      'a handler ran too long: the event will be processed again on retry',
      {
        ...ids(event, ctx),
        error,
      },
    );
  }

  /**
   * `complete` or `release`: a store failure is reported, never turned into the answer. A promise only when the
   * store's answer is one (see `dedupe` below).
   */
  function settle(
    step: (key: string, token: string) => void | Promise<void>,
    event: EventEnvelope,
    ctx: HandlerContext,
    token: string,
  ): Promise<void> | undefined {
    try {
      const pending = step.call(store, event.metadata.id, token);
      if (pending !== undefined) return Promise.resolve(pending).then(undefined, (e) => storeFailed(e, event, ctx));
    } catch (error) {
      storeFailed(error, event, ctx);
    }
    return undefined;
  }

  function storeFailed(error: unknown, event: EventEnvelope, ctx: HandlerContext): void {
    report(error instanceof Error ? error : new Error(String(error)), { source: 'receiver', ...ids(event, ctx) });
  }

  return async function dedupe(event, ctx) {
    const token = prefix + (counter++).toString(36);
    // A synchronous store's answer (the memory store's) is used as it is rather than awaited: the two awaits of
    // `begin` and `complete` cost 0.58 µs per request, measured with bench/tools/receive-cost.ts (of ~10 µs).
    const begun = store.begin(event.metadata.id, token);
    const state = typeof begun === 'string' ? begun : await begun;
    if (state === 'completed') return acknowledged(event.metadata.id, event.type, ctx.deliveryId, true);
    if (state === 'in_progress') {
      return failure('retry', 409, 'in_progress', 'this event is being processed: retry after the Retry-After delay', {
        ...ids(event, ctx),
        retryAfterMs: deps.inProgressRetryAfterMs,
      });
    }
    const ran = runHandlers(registry.handlersFor(event.type), event, ctx);
    const outcome = await keeper.hold({ key: event.metadata.id, token, event, ctx }, ran);
    if (outcome === undefined) {
      const completing = settle(store.complete, event, ctx, token);
      if (completing !== undefined) await completing;
      return acknowledged(event.metadata.id, event.type, ctx.deliveryId, false);
    }
    if (outcome === TIMED_OUT) {
      // The handlers' signal is aborted at once; the release follows.
      const answer = timedOut(event, ctx);
      await settle(store.release, event, ctx, token);
      return answer;
    }
    // Released first, so the sender's retry (which may follow at once) is processed rather than answered 409.
    await settle(store.release, event, ctx, token);
    return failed(event, ctx, outcome);
  };
}
