/**
 * The options of {@link natsConsumer}, their defaults, and the one function that checks them.
 *
 * @module
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { DeadLetterEntry, DeadLetterQueue } from '../../delivery/dead-letter-queue.js';
import { guardLogger } from '../../delivery/guard-observers.js';
import { type Logger, silentLogger } from '../../observability/logger.js';
import type { MessageResult, ReceiverMessage } from '../../receiver/types.js';
/**
 * What the consumer needs of a receiver: `createReceiver()` returns one.
 *
 * @example
 * ```ts
 * const receiver: MessageReceiver = createReceiver({ secret, catalog: buddyCatalog })
 * ```
 */
export interface MessageReceiver {
  handleMessage(message: ReceiverMessage): Promise<MessageResult>;
}

/**
 * Options of {@link natsConsumer}.
 *
 * @example
 * ```ts
 * const options: NatsConsumerOptions = { connection: nc, stream: 'BUDDY_EVENTS', durable: 'csr', receiver, maxDeliver: 8 }
 * ```
 */
export interface NatsConsumerOptions {
  /** Your connection; the consumer never dials nor closes it. */
  connection: NatsConnection;
  /** The stream to read, e.g. `'BUDDY_EVENTS'`. */
  stream: string;
  /** Durable consumer name: instances sharing it share the work. Created or updated on start. */
  durable: string;
  /** The receiver whose pipeline handles each message (`createReceiver(...)`). */
  receiver: MessageReceiver;
  /** Only messages on this subject (wildcards allowed). @default every subject of the stream */
  filterSubject?: string;
  /** Deliveries of one message before it is dead-lettered (the consumer's `max_deliver`). @default 5 */
  maxDeliver?: number;
  /**
   * Delay before redelivery after the n-th failed delivery: `backoffMs[n - 1]`, the last value repeating. A
   * `retryAfterMs` from the pipeline (rate limit, duplicate in progress) takes precedence.
   * @default [1000, 5000, 30000]
   */
  backoffMs?: readonly number[];
  /**
   * How long a delivered message may stay unacknowledged before the server redelivers it. While a handler runs the
   * consumer renews it (`working()`, three times per `ackWaitMs`), so a slow handler does not need a long
   * `ackWaitMs`; what it must cover is the wait of a message delivered to this instance but not yet started
   * (at most `concurrency` of them queue behind the handlers) and the time a dead instance's messages stay held.
   * @default 30000
   */
  ackWaitMs?: number;
  /**
   * Messages handled at once by this instance (the server delivers up to twice as many, so the next are at hand).
   * Several instances on one `durable` add up.
   * @default 16
   */
  concurrency?: number;
  /** Where terminated messages go; without one they are only logged and passed to `onDeadLetter`. @default none */
  deadLetter?: DeadLetterQueue;
  /** Called after a message was dead-lettered, for alerting. @default none */
  onDeadLetter?: (entry: DeadLetterEntry) => void | Promise<void>;
  /** @default silentLogger */
  logger?: Logger;
}

/**
 * A running consumer.
 *
 * @example
 * ```ts
 * process.once('SIGTERM', async () => { await consumer.stop(); await nc.drain() })
 * ```
 */
export interface NatsConsumer {
  /**
   * Stops pulling, finishes the messages in flight and those already delivered to this instance (at most
   * `2 × concurrency`), then resolves. Call it before draining the connection.
   */
  stop(): Promise<void>;
}

/**
 * Defaults of {@link NatsConsumerOptions}: five deliveries, redelivered after 1 s, 5 s, then every 30 s; the
 * delays grow because a failure that survived a quick retry usually needs a dependency to recover.
 *
 * @example
 * ```ts
 * natsConsumer({ ...options, backoffMs: [...DEFAULT_NATS_CONSUMER_OPTIONS.backoffMs, 60_000], maxDeliver: 6 })
 * ```
 */
export const DEFAULT_NATS_CONSUMER_OPTIONS = Object.freeze({
  maxDeliver: 5,
  backoffMs: Object.freeze([1000, 5000, 30_000]) as readonly number[],
  ackWaitMs: 30_000,
  concurrency: 16,
});

/**
 * @internal the options with every default applied
 *
 * @example
 * ```ts
 * const o: Normalized = normalizeConsumerOptions(options)
 * ```
 */
export type Normalized = Required<Omit<NatsConsumerOptions, 'filterSubject' | 'deadLetter' | 'onDeadLetter'>> &
  Pick<NatsConsumerOptions, 'filterSubject' | 'deadLetter' | 'onDeadLetter'>;

/**
 * @internal
 * @throws TypeError naming the bad option
 * @example
 * ```ts
 * const o = normalizeConsumerOptions(options)
 * ```
 */
export function normalizeConsumerOptions(options: NatsConsumerOptions): Normalized {
  const d = DEFAULT_NATS_CONSUMER_OPTIONS;
  const o = {
    ...options,
    maxDeliver: options.maxDeliver ?? d.maxDeliver,
    backoffMs: options.backoffMs ?? d.backoffMs,
    ackWaitMs: options.ackWaitMs ?? d.ackWaitMs,
    concurrency: options.concurrency ?? d.concurrency,
    // A throwing logger must not leave a message unsettled nor reject the consume loop unobserved.
    logger: options.logger === undefined ? silentLogger : guardLogger(options.logger),
  };
  const fail = (option: string, rule: string): never => {
    throw new TypeError(`natsConsumer: \`${option}\` ${rule}`);
  };
  if (typeof o.connection?.request !== 'function') fail('connection', 'must be a NatsConnection from connect()');
  if (typeof o.stream !== 'string' || o.stream === '') fail('stream', 'must be a stream name');
  if (typeof o.durable !== 'string' || !/^[^.*>\s]+$/.test(o.durable)) {
    fail('durable', 'must be a name without dots, wildcards or spaces');
  }
  if (typeof o.receiver?.handleMessage !== 'function') fail('receiver', 'must be a receiver from createReceiver()');
  if (!Number.isInteger(o.maxDeliver) || o.maxDeliver < 1) fail('maxDeliver', 'must be an integer >= 1');
  if (!Array.isArray(o.backoffMs) || o.backoffMs.length === 0 || o.backoffMs.some((n) => !(n >= 0))) {
    fail('backoffMs', 'must be a non-empty list of delays >= 0 ms');
  }
  if (!Number.isFinite(o.ackWaitMs) || o.ackWaitMs < 1) fail('ackWaitMs', 'must be a positive number of ms');
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) fail('concurrency', 'must be an integer >= 1');
  return o;
}
