/**
 * Keeps the idempotency claims of running handlers alive, in one place for every store: one timer per receiver (not
 * per request) ticks about every third of the lease while handlers run, renews each claim, and gives up on a
 * handler that has run past `handlerTimeoutMs`. A store answers only begin/renew/complete/release.
 *
 * Why a timeout at all: a handler that hangs forever while its process lives would, through the heartbeat, hold its
 * event's claim forever, and every retry would be answered 409 until the sender dead-letters the event. Past the
 * timeout the receiver stops waiting: it aborts `ctx.signal`, stops renewing, answers 500 and releases the claim, so
 * the retry runs the event elsewhere (at-least-once; the hung call may still finish, and then its completion counts).
 *
 * @module
 */
import { ClaimLostError } from '../errors.js';
import type { IdempotencyStore } from './idempotency-store.js';

/** @internal what `hold` resolves to when the receiver gave up waiting */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/** @internal one running claim: plain data, so holding one allocates no closures (they cost GC time per request) */
export interface Claim {
  readonly key: string;
  readonly token: string;
}

/** @internal what the receiver does when something happens to a claim, fixed once per receiver */
export interface ClaimHooks<C extends Claim> {
  /** The claim was lost to another delivery: abort the handlers' signal, report it. */
  lost(claim: C, error: ClaimLostError): void;
  /** A renewal failed (the store threw): report it; the next beat tries again. */
  renewFailed(claim: C, error: unknown): void;
  /** The handlers settled after the receiver gave up on them. */
  late(claim: C, error: Error | undefined): void;
}

interface Running<C extends Claim> {
  readonly claim: C;
  readonly startedAt: number;
  readonly resolve: (outcome: Error | undefined | typeof TIMED_OUT) => void;
  renewing: boolean;
  lost: boolean;
  done: boolean;
  // An intrusive list rather than a Set: measured, a Set's add and delete cost ~10 µs of GC time per request here.
  prev: Running<C> | undefined;
  next: Running<C> | undefined;
}

/** @internal */
export interface ClaimKeeper<C extends Claim> {
  /**
   * Renews `claim` until `ran` settles; resolves to the handlers' error (or `undefined`), or to {@link TIMED_OUT}
   * when they ran past the timeout (their later result then goes to `hooks.late`).
   */
  hold(claim: C, ran: PromiseLike<Error | undefined>): Promise<Error | undefined | typeof TIMED_OUT>;
}

/** @internal `handlerTimeoutMs` may be `Infinity`: then only the process's end frees a hung handler's claim. */
export function createClaimKeeper<C extends Claim>(
  store: IdempotencyStore,
  handlerTimeoutMs: number,
  hooks: ClaimHooks<C>,
): ClaimKeeper<C> {
  let first: Running<C> | undefined;

  function link(run: Running<C>): void {
    run.next = first;
    if (first !== undefined) first.prev = run;
    first = run;
  }

  function unlink(run: Running<C>): void {
    if (run.prev === undefined) first = run.next;
    else run.prev.next = run.next;
    if (run.next !== undefined) run.next.prev = run.prev;
    run.prev = undefined;
    run.next = undefined;
  }

  // Renewal about every third of the lease leaves two thirds of it for a slow store to answer; a timeout is noticed
  // within a quarter of itself.
  const periodMs = Math.max(10, Math.min(store.leaseMs / 3, handlerTimeoutMs / 4));
  let timer: ReturnType<typeof setInterval> | undefined;

  function tick(): void {
    if (first === undefined) {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    const now = performance.now();
    for (let run: Running<C> | undefined = first; run !== undefined; ) {
      const next: Running<C> | undefined = run.next;
      if (now - run.startedAt >= handlerTimeoutMs) {
        unlink(run);
        run.done = true;
        run.resolve(TIMED_OUT);
      } else if (!run.renewing && !run.lost) void renew(run);
      run = next;
    }
  }

  async function renew(run: Running<C>): Promise<void> {
    const { claim } = run;
    run.renewing = true;
    try {
      renewed(run, await store.renew(claim.key, claim.token));
    } catch (error) {
      hooks.renewFailed(claim, error);
    } finally {
      run.renewing = false;
    }
  }

  function renewed(run: Running<C>, held: boolean): void {
    if (held || run.lost || run.done) return;
    run.lost = true;
    hooks.lost(run.claim, new ClaimLostError(run.claim.key));
  }

  return {
    hold(claim, ran) {
      return new Promise((resolve) => {
        const run: Running<C> = {
          claim,
          startedAt: performance.now(),
          resolve,
          renewing: false,
          lost: false,
          done: false,
          prev: undefined,
          next: undefined,
        };
        link(run);
        if (timer === undefined) {
          timer = setInterval(tick, periodMs);
          // A running handler keeps the process alive by itself; the heartbeat must not.
          timer.unref?.();
        }
        ran.then((error) => {
          if (run.done) {
            hooks.late(claim, error);
            return;
          }
          run.done = true;
          unlink(run);
          resolve(error);
        });
      });
    },
  };
}
