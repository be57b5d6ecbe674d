/**
 * `LISTEN` on a dedicated connection that comes back by itself: when the connection drops (a restart, a failover,
 * an idle timeout in a proxy), it re-dials with backoff and wakes its owner once connected again, since
 * notifications sent in the gap are gone.
 *
 * @module
 */
import type { Logger } from '../../observability/logger.js';
import type { PgClient, PgPool } from './pg-client.js';

/** What `pg` hands to a `'notification'` listener. */
interface Notification {
  readonly channel: string;
}

/** The event side of a `pg` `PoolClient`, which `PgPool` leaves out: checked at run time. */
interface ListeningClient extends PgClient {
  on(event: 'notification', listener: (message: Notification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  removeAllListeners(event: string): unknown;
  release(destroy?: boolean | Error): void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * @internal Listens on `channel` and calls `wake` on every notification and after every (re)connection. Polling by
 * the owner covers the time it is down.
 *
 * @example
 * ```ts
 * const listener = pgListener(pool, 'event_relay_outbox', () => publisherWake(), logger)
 * await listener.stop()
 * ```
 */
export function pgListener(
  pool: PgPool,
  channel: string,
  wake: () => void,
  log: Logger,
): { readonly listening: boolean; stop(): Promise<void> } {
  let client: ListeningClient | undefined;
  let listening = false;
  let stopped = false;
  let retryMs = FIRST_RETRY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let connecting: Promise<void> | undefined;
  // A busy pool may keep `connect()` waiting for long: stop() does not wait for that, the late client is handed back.
  let waitingForPool = false;

  const drop = (target: ListeningClient): void => {
    if (client !== target) return;
    client = undefined;
    listening = false;
    target.removeAllListeners('notification');
    target.removeAllListeners('end');
    // An 'error' after this point must still find a listener, or Node would throw it from the event emitter.
    target.removeAllListeners('error');
    target.on('error', () => {});
    target.release(true);
  };

  const retry = (): void => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connecting = connect();
    }, retryMs);
    timer.unref?.();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  const lost = (target: ListeningClient, error?: Error): void => {
    if (client !== target) return;
    log.warn(
      { operation: 'outbox', channel, err: error?.message ?? 'connection ended' },
      'outbox LISTEN connection lost; reconnecting (polling meanwhile)',
    );
    drop(target);
    retry();
  };

  const connect = async (): Promise<void> => {
    let target: ListeningClient;
    waitingForPool = true;
    try {
      target = (await pool.connect()) as ListeningClient;
    } catch (error) {
      log.warn({ operation: 'outbox', channel, err: (error as Error).message }, 'outbox LISTEN could not connect');
      return retry();
    } finally {
      waitingForPool = false;
    }
    if (stopped) return target.release();
    if (typeof target.on !== 'function' || typeof target.removeAllListeners !== 'function') {
      target.release();
      log.warn({ operation: 'outbox', channel }, 'the pool gives clients without events: polling only, no LISTEN');
      return;
    }
    client = target;
    target.on('error', (error) => lost(target, error));
    target.on('end', () => lost(target));
    target.on('notification', (message) => {
      if (message.channel === channel) wake();
    });
    try {
      await target.query(`LISTEN "${channel}"`);
    } catch (error) {
      return lost(target, error as Error);
    }
    if (stopped) return drop(target);
    listening = true;
    retryMs = FIRST_RETRY_MS;
    // Whatever was notified while no connection listened is only found by looking.
    wake();
  };

  connecting = connect();
  return {
    get listening() {
      return listening;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      if (!waitingForPool) await connecting;
      if (client) drop(client);
    },
  };
}
