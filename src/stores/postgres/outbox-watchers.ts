/**
 * Who is told that rows may be available: woken by `NOTIFY` (through a dedicated `LISTEN` connection, while anyone
 * watches) and by a poll, which finds lapsed leases and anything notified while the connection was down.
 *
 * @module
 */
import type { Logger } from '../../observability/logger.js';
import type { PgPool } from './pg-client.js';
import { pgListener } from './pg-listener.js';

/** The shortest time between two wake-ups of the watchers. */
const WAKE_GAP_MS = 25;

/**
 * @internal The watchers of one outbox.
 *
 * @example
 * ```ts
 * const watchers = outboxWatchers({ pool, channel, listen: true, pollIntervalMs: 1000, log })
 * const stop = watchers.watch(() => publisherClaims())
 * ```
 */
export function outboxWatchers(options: {
  readonly pool: PgPool;
  readonly channel: string;
  readonly listen: boolean;
  readonly pollIntervalMs: number;
  readonly log: Logger;
}): { watch(listener: () => void): () => void; close(): Promise<void> } {
  const watchers = new Set<() => void>();
  let poll: ReturnType<typeof setInterval> | undefined;
  let listener: ReturnType<typeof pgListener> | undefined;

  // Busy writers commit hundreds of times a second, and every instance hears every NOTIFY: the watchers hear one
  // wake-up per WAKE_GAP_MS at most (the first at once, one more at the end of a burst), and each claims many rows.
  let lastWake = 0;
  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  const fire = (): void => {
    wakeTimer = undefined;
    lastWake = Date.now();
    for (const watcher of watchers) watcher();
  };
  const wake = (): void => {
    if (wakeTimer) return;
    wakeTimer = setTimeout(fire, Math.max(0, lastWake + WAKE_GAP_MS - Date.now()));
  };
  const stop = async (): Promise<void> => {
    clearInterval(poll);
    clearTimeout(wakeTimer);
    wakeTimer = undefined;
    const stopping = listener?.stop();
    listener = undefined;
    await stopping;
  };

  return {
    watch(onAvailable) {
      watchers.add(onAvailable);
      if (watchers.size === 1) {
        poll = setInterval(wake, options.pollIntervalMs);
        poll.unref?.();
        if (options.listen) listener = pgListener(options.pool, options.channel, wake, options.log);
      }
      return () => {
        if (watchers.delete(onAvailable) && watchers.size === 0) void stop();
      };
    },
    close() {
      watchers.clear();
      return stop();
    },
  };
}
