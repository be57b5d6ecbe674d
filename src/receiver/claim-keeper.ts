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
import { isThenable } from './is-thenable.js';

/** @internal what `hold` resolves to when the receiver gave up waiting */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/** @internal one running claim */
export interface Claim {
  readonly key: string;
  readonly token: string;
  /** Aborts the handlers' `ctx.signal`. */
  abort(reason: Error): void;
  /** The claim was lost: report it. */
  lost(error: ClaimLostError): void;
  /** A renewal failed (the store threw): report it; the next tick tries again. */
  renewFailed(error: unknown): void;
  /** After a timeout, when the handlers finally settle. */
  late(error: Error | undefined): void;
}

interface Running {
  readonly claim: Claim;
  readonly startedAt: number;
  readonly settle: (outcome: Error | undefined | typeof TIMED_OUT) => void;
  renewing: boolean;
  lost: boolean;
}

/** @internal */
export interface ClaimKeeper {
  /**
   * Renews `claim` until `ran` settles; resolves to the handlers' error (or `undefined`), or to {@link TIMED_OUT}
   * when they ran past the timeout (their later result then goes to `claim.late`).
   */
  hold(claim: Claim, ran: PromiseLike<Error | undefined>): Promise<Error | undefined | typeof TIMED_OUT>;
}

/** @internal `handlerTimeoutMs` may be `Infinity`: then only the process's end frees a hung handler's claim. */
export function createClaimKeeper(store: IdempotencyStore, handlerTimeoutMs: number): ClaimKeeper {
  const running = new Set<Running>();
  // Renewal about every third of the lease leaves two thirds of it for a slow store to answer; a timeout is noticed
  // within a quarter of itself.
  const periodMs = Math.max(10, Math.min(store.leaseMs / 3, handlerTimeoutMs / 4));
  let timer: ReturnType<typeof setInterval> | undefined;

  function tick(): void {
    if (running.size === 0) {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    const now = performance.now();
    for (const run of running) {
      if (now - run.startedAt >= handlerTimeoutMs) {
        running.delete(run);
        run.settle(TIMED_OUT);
      } else if (!run.renewing && !run.lost) renew(run);
    }
  }

  function renew(run: Running): void {
    const { claim } = run;
    let answer: boolean | PromiseLike<boolean>;
    try {
      answer = store.renew(claim.key, claim.token);
    } catch (error) {
      claim.renewFailed(error);
      return;
    }
    if (!isThenable(answer)) {
      renewed(run, answer);
      return;
    }
    run.renewing = true;
    answer.then(
      (held) => {
        run.renewing = false;
        renewed(run, held);
      },
      (error: unknown) => {
        run.renewing = false;
        claim.renewFailed(error);
      },
    );
  }

  function renewed(run: Running, held: boolean): void {
    if (held || run.lost || !running.has(run)) return;
    run.lost = true;
    const error = new ClaimLostError(run.claim.key);
    run.claim.abort(error);
    run.claim.lost(error);
  }

  return {
    hold(claim, ran) {
      return new Promise((resolve) => {
        let done = false;
        const run: Running = {
          claim,
          startedAt: performance.now(),
          renewing: false,
          lost: false,
          settle(outcome) {
            done = true;
            resolve(outcome);
          },
        };
        running.add(run);
        if (timer === undefined) {
          timer = setInterval(tick, periodMs);
          // A running handler keeps the process alive by itself; the heartbeat must not.
          timer.unref?.();
        }
        ran.then((error) => {
          if (done) {
            claim.late(error);
            return;
          }
          running.delete(run);
          run.settle(error);
        });
      });
    },
  };
}
