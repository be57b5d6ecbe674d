/**
 * The connection behind {@link natsTransport}: whether it is up, down (the client is reconnecting) or closed for
 * good, and, given a `connect` function, a new connection once it is closed. Publishes in flight register here
 * as {@link Flight}s: the link re-sends them on every new connection (a PUB buffered or sent during an outage gets
 * no PubAck after the reconnect) and fails them fast once the connection is closed and cannot be re-dialed.
 *
 * @module
 */
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { TransportError } from '../../errors.js';

/**
 * @internal one publish the link keeps alive across reconnects
 * @example
 * ```ts
 * link.add({ resend: (js) => publish(js), fail: (failure) => resolve(failure) })
 * ```
 */
export interface Flight {
  /** A new connection is up: publish again (same `msgID`, so a copy that did arrive is dropped as a duplicate). */
  resend(js: JetStreamClient): void;
  /** The connection is closed for good, or re-dialing failed: settle with this failure. */
  fail(failure: LinkFailure): void;
}

/**
 * @internal a failed attempt, as the transport returns it
 * @example
 * ```ts
 * const failure: LinkFailure = { ok: false, retryable: true, error: new TransportError('nats_disconnected', '…') }
 * ```
 */
export interface LinkFailure {
  readonly ok: false;
  readonly retryable: boolean;
  readonly error: TransportError;
}

/**
 * @internal
 * @example
 * ```ts
 * const link = new NatsLink({ connection: nc, redialBackoffMs: [0, 250, 1000] })
 * ```
 */
export interface NatsLinkOptions {
  readonly connection?: NatsConnection | undefined;
  readonly connect?: (() => Promise<NatsConnection>) | undefined;
  readonly redialBackoffMs: readonly number[];
}

const CLOSED_MESSAGE =
  'the NATS connection is closed for good (closed by the application, or the client gave up reconnecting): ' +
  'connect with `maxReconnectAttempts: -1` so the client keeps reconnecting, or give natsTransport a `connect` ' +
  'function so it dials a new connection';

/**
 * @internal
 * @example
 * ```ts
 * const js = link.js ?? (await waitForLink())
 * ```
 */
export class NatsLink {
  /** Bumped on every new connection or reconnect: a flight started before it is re-sent. */
  epoch = 0;
  readonly flights = new Set<Flight>();
  readonly #connect: (() => Promise<NatsConnection>) | undefined;
  readonly #backoff: readonly number[];
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  #up = false;
  #owned = false;
  #dialing: Promise<void> | undefined;
  #failedDials = 0;
  #retryAt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(options: NatsLinkOptions) {
    this.#connect = options.connect;
    this.#backoff = options.redialBackoffMs;
    if (options.connection !== undefined) this.#adopt(options.connection, false);
  }

  /** The JetStream client while the connection is up: the hot path reads only this. */
  get js(): JetStreamClient | undefined {
    return this.#up ? this.#js : undefined;
  }

  /** Registers a flight that waits for a connection; starts a dial when one is needed and allowed. */
  add(flight: Flight): void {
    this.flights.add(flight);
    if (this.#up) return;
    if (this.#nc !== undefined && !this.#nc.isClosed()) return; // the client is reconnecting by itself
    if (this.#connect === undefined || this.#stopped) {
      this.flights.delete(flight);
      flight.fail(closedFailure());
      return;
    }
    this.#dialSoon();
  }

  /** Whether a failure of the current connection means: wait for it rather than give up now. */
  get down(): boolean {
    return !this.#up || this.#nc === undefined || this.#nc.isClosed();
  }

  /** Stops re-dialing and closes the connections this link dialed (never the one it was given). */
  async close(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    await this.#dialing;
    if (this.#owned && this.#nc !== undefined && !this.#nc.isClosed()) await this.#nc.drain().catch(() => undefined);
    for (const flight of [...this.flights]) flight.fail(closedFailure());
    this.flights.clear();
  }

  #adopt(nc: NatsConnection, owned: boolean): void {
    this.#nc = nc;
    this.#js = jetstream(nc);
    this.#owned = owned;
    this.#up = !nc.isClosed();
    this.epoch++;
    void this.#watch(nc);
    void nc.closed().then(() => this.#onClosed(nc));
  }

  async #watch(nc: NatsConnection): Promise<void> {
    try {
      for await (const status of nc.status()) {
        if (this.#nc !== nc) return;
        if (status.type === 'disconnect') this.#up = false;
        else if (status.type === 'reconnect') this.#onUp();
      }
    } catch {
      // the iterator ends with the connection; #onClosed takes over
    }
  }

  #onUp(): void {
    this.#up = true;
    this.epoch++;
    const js = this.#js as JetStreamClient;
    for (const flight of [...this.flights]) flight.resend(js);
  }

  #onClosed(nc: NatsConnection): void {
    if (this.#nc !== nc) return;
    this.#up = false;
    if (this.flights.size === 0) return; // dial lazily, when a publish needs it
    if (this.#connect === undefined || this.#stopped) {
      for (const flight of [...this.flights]) flight.fail(closedFailure());
      return;
    }
    this.#dialSoon();
  }

  #dialSoon(): void {
    if (this.#dialing !== undefined || this.#retryTimer !== undefined) return;
    const wait = this.#retryAt - Date.now();
    if (wait <= 0) {
      this.#dialing = this.#dial().finally(() => {
        this.#dialing = undefined;
      });
      return;
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.flights.size > 0 && !this.#stopped) this.#dialSoon();
    }, wait);
    this.#retryTimer.unref?.();
  }

  async #dial(): Promise<void> {
    try {
      const nc = await (this.#connect as () => Promise<NatsConnection>)();
      if (this.#stopped) {
        await nc.close().catch(() => undefined);
        return;
      }
      this.#failedDials = 0;
      this.#retryAt = 0;
      this.#adopt(nc, true);
      const js = this.#js as JetStreamClient;
      for (const flight of [...this.flights]) flight.resend(js);
    } catch (error) {
      this.#failedDials++;
      const delays = this.#backoff;
      this.#retryAt = Date.now() + (delays[Math.min(this.#failedDials, delays.length) - 1] ?? 0);
      const failure = redialFailure(error);
      // Waiting flights fail now (retryable): the publisher's retries and breaker pace the next tries.
      for (const flight of [...this.flights]) flight.fail(failure);
    }
  }
}

function closedFailure(): LinkFailure {
  return { ok: false, retryable: false, error: new TransportError('nats_connection_closed', CLOSED_MESSAGE) };
}

function redialFailure(cause: unknown): LinkFailure {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return {
    ok: false,
    retryable: true,
    error: new TransportError(
      'nats_connection',
      `could not dial NATS again (${reason}); natsTransport keeps re-dialing with backoff while events wait`,
      { cause },
    ),
  };
}
