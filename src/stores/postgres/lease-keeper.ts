/**
 * What one outbox instance holds, kept alive: on every beat (a third of the lease) it renews the leases of the rows
 * it has held for more than half a beat (so a long retry schedule never loses its rows to another instance), and
 * retries the deletes that failed (so a delivered event does not sit in the table, renewed forever, until the next
 * restart sends it again). Rows delivered within half a beat, nearly all of them, are never renewed: a renewal
 * rewrites the row and would hold up its DELETE.
 *
 * @module
 */
import type { Logger } from '../../observability/logger.js';

/** Ids per renewing statement: large holds (a deep queue during an outage) are renewed in a few statements. */
const RENEW_CHUNK = 5000;

/**
 * @internal The bookkeeping of held rows.
 *
 * @example
 * ```ts
 * const leases = leaseKeeper(10_000, { renew, remove }, log); leases.held.set(id, Date.now())
 * ```
 */
export interface LeaseKeeper {
  /**
   * Rows this instance holds, each with when its lease was last set (this process's clock, taken before the statement
   * went out): added on claim or insert, removed on complete or release.
   */
  readonly held: Map<string, number>;
  /** Delivered rows whose DELETE failed: retried on every beat until it succeeds. */
  unforgotten(ids: readonly string[]): void;
  /** Stops the heartbeat after one last try at the failed deletes: what is then held may be released. */
  stop(): Promise<void>;
}

/**
 * @internal Starts the heartbeat. `renew` extends the lease of the given ids, `remove` deletes them.
 *
 * @example
 * ```ts
 * const leases = leaseKeeper(leaseMs / 3, { renew: (ids) => query(sql.renew, [ids]), remove }, log)
 * ```
 */
export function leaseKeeper(
  intervalMs: number,
  statements: {
    renew: (ids: string[]) => Promise<unknown>;
    remove: (ids: string[]) => Promise<unknown>;
  },
  log: Logger,
): LeaseKeeper {
  const held = new Map<string, number>();
  const toRemove = new Set<string>();
  let beating = false;

  const removeFailed = async (): Promise<void> => {
    if (toRemove.size > 0) {
      const ids = [...toRemove];
      try {
        await statements.remove(ids);
        for (const id of ids) {
          toRemove.delete(id);
          held.delete(id);
        }
      } catch (error) {
        log.error(
          { operation: 'outbox', outbox: 'postgres', count: ids.length, err: (error as Error).message },
          'outbox could not forget delivered events; retrying on the next heartbeat',
        );
      }
    }
  };
  const beat = async (): Promise<void> => {
    await removeFailed();
    // A lease set less than half a beat ago is renewed by the next beat, at most 1.5 beats into its 3: half the lease
    // stays in hand for a late timer or a slow statement.
    const now = Date.now();
    const ids: string[] = [];
    for (const [id, leasedAt] of held) if (now - leasedAt >= intervalMs / 2) ids.push(id);
    try {
      for (let i = 0; i < ids.length; i += RENEW_CHUNK) {
        const chunk = ids.slice(i, i + RENEW_CHUNK);
        await statements.renew(chunk);
        for (const id of chunk) if (held.has(id)) held.set(id, now);
      }
    } catch (error) {
      log.error(
        { operation: 'outbox', outbox: 'postgres', held: ids.length, err: (error as Error).message },
        'outbox lease renewal failed; another instance may take these events over once the lease lapses',
      );
    }
  };
  const timer = setInterval(() => {
    if (beating || held.size === 0) return;
    beating = true;
    void beat().finally(() => {
      beating = false;
    });
  }, intervalMs);
  timer.unref?.();

  return {
    held,
    unforgotten(ids) {
      for (const id of ids) toRemove.add(id);
    },
    async stop() {
      clearInterval(timer);
      await removeFailed();
    },
  };
}
