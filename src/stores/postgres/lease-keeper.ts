/**
 * What one outbox instance holds, kept alive: every third of the lease it renews the leases of the rows it holds
 * (so a long retry schedule never loses its rows to another instance), and retries the deletes that failed (so a
 * delivered event does not sit in the table, renewed forever, until the next restart sends it again).
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
 * const leases = leaseKeeper(10_000, { renew, remove }, log); leases.held.add(id)
 * ```
 */
export interface LeaseKeeper {
  /** Rows this instance holds: added on claim or insert, removed on complete or release. */
  readonly held: Set<string>;
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
  const held = new Set<string>();
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
    const ids = [...held];
    try {
      for (let i = 0; i < ids.length; i += RENEW_CHUNK) await statements.renew(ids.slice(i, i + RENEW_CHUNK));
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
