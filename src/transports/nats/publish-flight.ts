/**
 * One JetStream publish that outlives a reconnect: it waits while the connection is down, is sent again (same
 * `msgID`) on every new connection, and settles with a {@link TransportResult} by its deadline at the latest.
 * It never rejects.
 *
 * @module
 */
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { onAbort } from '../../delivery/attempt-context.js';
import type { SendContext, TransportResult } from '../../delivery/transport.js';
import { TransportError } from '../../errors.js';
import { classifyNatsError } from './classify-nats-error.js';
import type { Flight, LinkFailure, NatsLink } from './nats-link.js';

/**
 * @internal what one publish sends
 * @example
 * ```ts
 * const request: PublishRequest = { subject: 'buddy.match.created', body, msgID: deliveryId, headers: h }
 * ```
 */
export interface PublishRequest {
  readonly subject: string;
  readonly body: Uint8Array;
  readonly msgID: string;
  readonly headers: MsgHdrs;
}

// First wait before re-sending after "no responders", doubling up to 1 s, within the attempt's timeout.
const NO_RESPONDERS_RETRY_MS = 100;
const OK: TransportResult = Object.freeze({ ok: true });
const DUPLICATE: TransportResult = Object.freeze({ ok: true, duplicate: true });

/**
 * Publishes `request` through `link` within `timeoutMs`, re-sending after a reconnect or a re-dial.
 *
 * @internal used by natsTransport
 * @example
 * ```ts
 * return publishFlight(link, { subject, body, msgID: deliveryId, headers: h }, context, 5000)
 * ```
 */
export function publishFlight(
  link: NatsLink,
  request: PublishRequest,
  context: SendContext,
  timeoutMs: number,
): Promise<TransportResult> {
  return new Promise<TransportResult>((resolve) => {
    const flight = new PublishFlight(link, request, timeoutMs, resolve);
    // No AbortSignal is built on the publisher's attempts (an AbortController per message): onAbort uses their
    // callback list, and listens to `signal` only on contexts from elsewhere.
    flight.unwatch = onAbort(context, () => flight.settle(aborted()));
    flight.start();
  });
}

class PublishFlight implements Flight {
  unwatch: (() => void) | undefined;
  #epoch = -1;
  #done = false;
  #tries = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  private readonly deadline: number;

  constructor(
    private readonly link: NatsLink,
    private readonly request: PublishRequest,
    private readonly timeoutMs: number,
    private readonly resolve: (result: TransportResult) => void,
  ) {
    this.deadline = Date.now() + timeoutMs;
  }

  start(): void {
    if (this.#done) return;
    this.link.add(this);
    const js = this.link.js;
    if (js !== undefined) this.resend(js);
    else if (!this.#done) this.#wait();
  }

  resend(js: JetStreamClient): void {
    if (this.#done) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const timeout = this.deadline - Date.now();
    if (timeout < 1) {
      this.settle(noAck(this.timeoutMs));
      return;
    }
    const epoch = this.link.epoch;
    this.#epoch = epoch;
    const { subject, body, msgID, headers } = this.request;
    js.publish(subject, body, { msgID, headers, timeout }).then(
      (ack: PubAck) => this.settle(ack.duplicate ? DUPLICATE : OK),
      (error: unknown) => {
        if (this.#done || epoch !== this.#epoch) return; // superseded by a re-send
        // The connection went down under this publish: the link re-sends it once it is back, or fails it.
        if (this.link.down) {
          this.#wait();
          return;
        }
        const failure = classifyNatsError(error, subject);
        // No responders: the stream has no leader for a moment (an election after a node died, 4 to 9 s on
        // nats-server 2.9; a server starting up). Try again within this attempt rather than count a failure that
        // opens the publisher's breaker.
        if (isNoResponders(failure) && this.#retryLater()) return;
        this.settle(failure);
      },
    );
  }

  fail(failure: LinkFailure): void {
    this.settle(failure);
  }

  settle(result: TransportResult): void {
    if (this.#done) return;
    this.#done = true;
    this.link.flights.delete(this);
    clearTimeout(this.#timer);
    this.unwatch?.();
    this.resolve(result);
  }

  #retryLater(): boolean {
    const delay = Math.min(NO_RESPONDERS_RETRY_MS * 2 ** this.#tries++, 1000);
    if (Date.now() + delay >= this.deadline) return false;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const js = this.link.js;
      if (js !== undefined) this.resend(js);
      else this.#wait();
    }, delay);
    return true;
  }

  #wait(): void {
    this.#epoch = -1;
    if (this.#timer === undefined) {
      this.#timer = setTimeout(
        () => this.settle(disconnected(this.timeoutMs)),
        Math.max(0, this.deadline - Date.now()),
      );
    }
    this.link.add(this);
  }
}

function isNoResponders(failure: TransportResult): boolean {
  return !failure.ok && failure.error instanceof TransportError && failure.error.code === 'nats_no_responders';
}

function aborted(): TransportResult {
  return {
    ok: false,
    retryable: true,
    error: new TransportError('timeout', 'the attempt was aborted (timeout or cancellation) before a PubAck came'),
  };
}

function noAck(timeoutMs: number): TransportResult {
  return { ok: false, retryable: true, error: new TransportError('timeout', `no PubAck within ${timeoutMs} ms`) };
}

function disconnected(timeoutMs: number): TransportResult {
  return {
    ok: false,
    retryable: true,
    error: new TransportError(
      'nats_disconnected',
      `NATS was not connected for the whole attempt (${timeoutMs} ms): the client is reconnecting, or natsTransport is re-dialing; the publisher will retry`,
    ),
  };
}
