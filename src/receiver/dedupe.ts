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
import type { IdempotencyState, IdempotencyStore } from './idempotency-store.js';
import { isThenable } from './is-thenable.js';
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

type Verdict = MessageResult | Promise<MessageResult>;

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
export function createDedupe(deps: DedupeDeps): (event: EventEnvelope, ctx: ReceiverHandlerContext) => Verdict {
  const { registry, store, handlerTimeoutMs, report } = deps;
  const keeper = createClaimKeeper<EventClaim>(store, handlerTimeoutMs, {
    lost({ event, ctx }, error) {
      ctx.abort(error);
      report(error, { source: 'receiver', ...ids(event, ctx) });
    },
    renewFailed: ({ event, ctx }, error) => storeFailed(error, event, ctx),
    late: ({ event, ctx, token }, error) => finishedLate(event, ctx, token, error),
  });
  // A claim token is unique per delivery on any replica: a random prefix per receiver, then a counter.
  const prefix = `${globalThis.crypto.randomUUID()}:`;
  let counter = 0;

  function claimed(event: EventEnvelope, ctx: ReceiverHandlerContext, token: string, state: IdempotencyState): Verdict {
    if (state === 'completed') return acknowledged(event.metadata.id, event.type, ctx.deliveryId, true);
    if (state === 'in_progress') {
      return failure('retry', 409, 'in_progress', 'this event is being processed: retry after the Retry-After delay', {
        ...ids(event, ctx),
        retryAfterMs: deps.inProgressRetryAfterMs,
      });
    }
    const ran = runHandlers(registry.handlersFor(event.type), event, ctx);
    if (!isThenable(ran)) return ended(event, ctx, token, ran);
    const claim: EventClaim = { key: event.metadata.id, token, event, ctx };
    return keeper
      .hold(claim, ran)
      .then((outcome) => (outcome === TIMED_OUT ? timedOut(event, ctx, token) : ended(event, ctx, token, outcome)));
  }

  function ended(event: EventEnvelope, ctx: HandlerContext, token: string, error: Error | undefined): Verdict {
    if (error === undefined) {
      const answer = acknowledged(event.metadata.id, event.type, ctx.deliveryId, false);
      const completing = settle(store.complete, event, ctx, token);
      return completing === undefined ? answer : completing.then(() => answer);
    }
    // Released first, so the sender's retry (which may follow at once) is processed rather than answered 409.
    const releasing = settle(store.release, event, ctx, token);
    return releasing === undefined ? failed(event, ctx, error) : releasing.then(() => failed(event, ctx, error));
  }

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

  function timedOut(event: EventEnvelope, ctx: ReceiverHandlerContext, token: string): Verdict {
    const error = new HandlerTimeoutError(event.metadata.id, handlerTimeoutMs);
    ctx.abort(error);
    report(error, { source: 'handler', ...ids(event, ctx) });
    const answer = failure(
      'retry',
      500,
      'handler_timeout',
      'a handler ran too long: the event will be processed again on retry',
      {
        ...ids(event, ctx),
        error,
      },
    );
    const releasing = settle(store.release, event, ctx, token);
    return releasing === undefined ? answer : releasing.then(() => answer);
  }

  /** A handler settled after the receiver gave up on it: its success still counts (unless a retry holds the id). */
  function finishedLate(event: EventEnvelope, ctx: HandlerContext, token: string, error: Error | undefined): void {
    if (error === undefined) void settle(store.complete, event, ctx, token);
    else report(error, { source: 'handler', ...ids(event, ctx) });
  }

  /** `complete` or `release`: a store failure is reported, never turned into the answer. A promise only for an async store. */
  function settle(
    step: (key: string, token: string) => void | Promise<void>,
    event: EventEnvelope,
    ctx: HandlerContext,
    token: string,
  ): Promise<void> | undefined {
    try {
      const r = step.call(store, event.metadata.id, token);
      return isThenable(r) ? Promise.resolve(r).then(undefined, (e: unknown) => storeFailed(e, event, ctx)) : undefined;
    } catch (error) {
      storeFailed(error, event, ctx);
      return undefined;
    }
  }

  function storeFailed(error: unknown, event: EventEnvelope, ctx: HandlerContext): void {
    report(error instanceof Error ? error : new Error(String(error)), { source: 'receiver', ...ids(event, ctx) });
  }

  return function dedupe(event, ctx) {
    const token = prefix + (counter++).toString(36);
    const begun = store.begin(event.metadata.id, token);
    return isThenable(begun)
      ? Promise.resolve(begun).then((state) => claimed(event, ctx, token, state))
      : claimed(event, ctx, token, begun);
  };
}
