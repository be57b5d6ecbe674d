/**
 * A durable JetStream pull consumer that runs every message through the receiver's pipeline (verify, validate,
 * dedupe, handlers), exactly as an HTTP delivery: ack on success or duplicate, nak with backoff on a retryable
 * failure, term and dead-letter on a permanent one or on the last delivery. While a handler runs, the consumer
 * tells the server it is still working on the message, so a slow handler's message is not redelivered.
 *
 * @module
 */
import { type ConsumerMessages, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { MessageResult } from '../../receiver/types.js';
import { deadLetterEntry } from './dead-letter-entry.js';
import { ensureConsumer } from './ensure-consumer.js';
import {
  type NatsConsumer,
  type NatsConsumerOptions,
  type Normalized,
  normalizeConsumerOptions,
} from './nats-consumer-options.js';

/**
 * Starts a durable pull consumer. Resolves once the consumer exists and messages flow.
 *
 * @throws TypeError on a bad option (the message names it); the server's error when the stream does not exist
 * @example
 * ```ts
 * const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222', maxReconnectAttempts: -1, reconnectTimeWait: 500 })
 * const receiver = createReceiver({ secret: process.env.WEBHOOK_SIGNATURE_SECRET, catalog: buddyCatalog })
 * receiver.on('buddy.match.created', async (event) => saveMatch(event.data))
 * const consumer = await natsConsumer({ connection: nc, stream: 'BUDDY_EVENTS', durable: 'csr-platform', receiver,
 *   concurrency: 16, deadLetter: fileDeadLetterQueue('./nats-dead-letters.jsonl') })
 * process.on('SIGTERM', () => consumer.stop().then(() => nc.drain()))
 * ```
 */
export async function natsConsumer(options: NatsConsumerOptions): Promise<NatsConsumer> {
  const o = normalizeConsumerOptions(options);
  await ensureConsumer(await jetstreamManager(o.connection), o.stream, {
    durable: o.durable,
    maxDeliver: o.maxDeliver,
    ackWaitMs: o.ackWaitMs,
    ...(o.filterSubject !== undefined && { filterSubject: o.filterSubject }),
  });
  const consumer = await jetstream(o.connection).consumers.get(o.stream, o.durable);
  // A small client-side buffer: buffered messages count against ack_wait, and stop() handles them first.
  const messages = await consumer.consume({ max_messages: Math.max(2 * o.concurrency, 8) });
  const loop = run(messages, o);
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        // Closing ends the pulls; the loop still drains what was already delivered to this instance (at most
        // max_messages). Handing those back with plain naks was tried: on nats-server 2.9.10 the next instance
        // then missed one of them (until ack_wait) and got another twice.
        messages.close().catch(() => undefined); // the loop below reports how consuming ended
        await loop;
      })();
      return stopped;
    },
  };
}

async function run(messages: ConsumerMessages, o: Normalized): Promise<void> {
  const inflight = new Set<Promise<void>>();
  const heartbeat = workingHeartbeat(o.ackWaitMs);
  try {
    for await (const msg of messages) {
      heartbeat.running.add(msg);
      // handle() only throws when an ack cannot be written (connection closed): the server redelivers then.
      const task: Promise<void> = handle(msg, o)
        .catch((error: unknown) => o.logger.warn({ operation: 'nats.consume', error }, 'could not settle a message'))
        .finally(() => {
          heartbeat.running.delete(msg);
          inflight.delete(task);
        });
      inflight.add(task);
      if (inflight.size >= o.concurrency) await Promise.race(inflight);
    }
  } catch (error) {
    o.logger.error({ operation: 'nats.consume', stream: o.stream, durable: o.durable, error }, 'NATS consumer stopped');
  }
  await Promise.all(inflight);
  heartbeat.stop();
}

/**
 * Tells the server, for every message whose handler still runs, that it is being worked on (`+WPI`), three times
 * per `ack_wait`: the server then restarts its `ack_wait` instead of redelivering a slow but live handler's
 * message to another instance. One timer for all messages, not one per message.
 */
function workingHeartbeat(ackWaitMs: number): { running: Set<JsMsg>; stop(): void } {
  const running = new Set<JsMsg>();
  const timer = setInterval(
    () => {
      for (const msg of running) {
        try {
          msg.working();
        } catch {
          // the connection is closed: the server redelivers after ack_wait, nothing to do here
        }
      }
    },
    Math.max(10, Math.floor(ackWaitMs / 3)),
  );
  timer.unref?.();
  return { running, stop: () => clearInterval(timer) };
}

async function handle(msg: JsMsg, o: Normalized): Promise<void> {
  const deliveryCount = msg.info.deliveryCount;
  let result: MessageResult;
  try {
    result = await o.receiver.handleMessage({ headers: headersOf(msg), body: msg.data });
  } catch (error) {
    // The pipeline never rejects by contract; a custom receiver might. Treat it as a transient failure.
    result = {
      outcome: 'retry',
      status: 500,
      body: { error: 'handler_failed', message: error instanceof Error ? error.message : String(error) },
      error: error instanceof Error ? error : new Error(String(error)),
    };
  }
  const log = {
    operation: 'nats.consume',
    eventId: result.eventId,
    eventType: result.eventType,
    deliveryId: result.deliveryId,
    attempt: deliveryCount,
    status: result.status,
  };
  switch (result.outcome) {
    case 'accepted':
    case 'duplicate':
      msg.ack();
      o.logger.debug(log, result.outcome === 'duplicate' ? 'duplicate acknowledged' : 'event handled');
      return;
    case 'retry':
      if (deliveryCount >= o.maxDeliver) return deadLetter(msg, result, true, o);
      msg.nak(Math.max(1, result.retryAfterMs ?? backoffFor(o.backoffMs, deliveryCount)));
      o.logger.warn({ ...log, error: result.error?.message }, 'event will be redelivered');
      return;
    default:
      return deadLetter(msg, result, false, o);
  }
}

async function deadLetter(msg: JsMsg, result: MessageResult, retryable: boolean, o: Normalized): Promise<void> {
  const deliveryId =
    result.deliveryId ?? msg.headers?.get('Nats-Msg-Id') ?? `${msg.info.stream}:${msg.info.streamSequence}`;
  const entry = deadLetterEntry(msg, result, { retryable, deliveryId });
  const log = { operation: 'nats.dead_letter', eventId: result.eventId, eventType: result.eventType, deliveryId };
  try {
    await o.deadLetter?.add(entry);
  } catch (error) {
    // Never terminate a message we could not park: the server keeps it and redelivers (unless this was its last
    // delivery, in which case it stays in the stream for a new consumer or a manual replay).
    msg.nak(backoffFor(o.backoffMs, msg.info.deliveryCount));
    o.logger.error({ ...log, error }, 'dead-letter queue refused the entry; message handed back to the server');
    return;
  }
  msg.term();
  o.logger.error(
    { ...log, attempt: msg.info.deliveryCount, status: result.status, error: entry.error.message },
    'event dead-lettered',
  );
  try {
    await o.onDeadLetter?.(entry);
  } catch (error) {
    o.logger.warn({ ...log, error }, 'onDeadLetter threw');
  }
}

// At least 1 ms: only delayed naks are used, plain ones misbehaved on nats-server 2.9.10 (see stop()).
function backoffFor(backoffMs: readonly number[], deliveryCount: number): number {
  return Math.max(1, backoffMs[Math.min(deliveryCount, backoffMs.length) - 1] ?? 0);
}

function headersOf(msg: JsMsg): Record<string, string> {
  const out: Record<string, string> = {};
  const h = msg.headers;
  if (h) for (const key of h.keys()) out[key] = h.get(key);
  return out;
}
