/**
 * The end of a delivery: a receipt, or a dead letter (queue, hook, logs, metrics) and a `DeliveryError`.
 *
 * @module
 */

import type { DeadLetterEntry, DeadLetterQueue } from '../delivery/dead-letter-queue.js';
import type { TransportMessage } from '../delivery/transport.js';
import { DeliveryError, isEventRelayError, isShutdownError } from '../errors.js';
import type { DeliveryOutcome, DeliveryRuntime } from './deliver.js';
import { record } from './log-record.js';
import type { DeliveryReceipt } from './publisher-types.js';

/**
 * @internal a receipt, or the error to reject with
 * @example
 * ```ts
 * const settled: Settled = { receipt }
 * ```
 */
export type Settled = { receipt: DeliveryReceipt; error?: undefined } | { receipt?: undefined; error: Error };

/**
 * @internal what concluding needs beyond the delivery runtime
 *
 * @example
 * ```ts
 * const runtime: ConcludeRuntime = { ...deliveryRuntime, deadLetter, onDeadLetter: undefined }
 * ```
 */
export interface ConcludeRuntime extends DeliveryRuntime {
  readonly deadLetter: DeadLetterQueue;
  readonly onDeadLetter: ((entry: DeadLetterEntry) => void | Promise<void>) | undefined;
}

/**
 * @internal Logs and counts the outcome; dead-letters a failure. Never throws: it returns the error to reject with.
 * @example
 * ```ts
 * const settled = await concludeDelivery(runtime, message, await deliver(runtime, message))
 * ```
 */
export function concludeDelivery(
  runtime: ConcludeRuntime,
  message: TransportMessage,
  outcome: DeliveryOutcome,
): Settled | Promise<Settled> {
  const { envelope, deliveryId } = message;
  const { log, metrics } = runtime;
  const eventType = envelope.type;
  if (outcome.ok) {
    metrics.published?.({ eventType, status: 'delivered', durationMs: outcome.durationMs });
    log?.info(
      record(message, outcome.attempts, { status: outcome.status, duration_ms: Math.round(outcome.durationMs) }),
      'event published',
    );
    const receipt: DeliveryReceipt =
      outcome.status === undefined
        ? { eventId: envelope.metadata.id, deliveryId, attempts: outcome.attempts, durationMs: outcome.durationMs }
        : {
            eventId: envelope.metadata.id,
            deliveryId,
            attempts: outcome.attempts,
            status: outcome.status,
            durationMs: outcome.durationMs,
          };
    return { receipt };
  }
  if (outcome.cancelled) {
    metrics.published?.({ eventType, status: 'failed', durationMs: outcome.durationMs });
    log?.warn(record(message, outcome.attempts, {}), 'delivery cancelled by its signal; not dead-lettered');
    return { error: outcome.error };
  }
  return deadLetter(runtime, message, outcome);
}

/** The failure path: asynchronous (the queue writes), so the success path above stays free of promises. */
async function deadLetter(
  runtime: ConcludeRuntime,
  message: TransportMessage,
  outcome: Extract<DeliveryOutcome, { ok: false }>,
): Promise<Settled> {
  const { envelope, deliveryId } = message;
  const { log, metrics } = runtime;
  const eventType = envelope.type;
  const entry = deadLetterEntry(runtime, message, outcome);
  try {
    await runtime.deadLetter.add(entry);
  } catch (error) {
    runtime.log?.error(
      record(message, outcome.attempts, { err: (error as Error)?.message }),
      'the dead-letter queue refused an entry; the event is reported to onDeadLetter only',
    );
  }
  if (runtime.onDeadLetter !== undefined) {
    try {
      await runtime.onDeadLetter(entry);
    } catch (error) {
      log?.error(record(message, outcome.attempts, { err: (error as Error)?.message }), 'onDeadLetter threw; ignored');
    }
  }
  metrics.published?.({ eventType, status: 'dead_lettered', durationMs: outcome.durationMs });
  const why = isShutdownError(outcome.error)
    ? 'the publisher closed first'
    : outcome.retryable
      ? 'retries exhausted'
      : 'permanent failure';
  log?.error(
    record(message, outcome.attempts, {
      status: outcome.status,
      duration_ms: Math.round(outcome.durationMs),
      errorType: entry.error.code,
      err: outcome.error.message,
    }),
    `event dead-lettered: ${why}`,
  );
  const fields = {
    eventId: envelope.metadata.id,
    deliveryId,
    attempts: outcome.attempts,
    retryable: outcome.retryable,
  };
  return {
    error: new DeliveryError(
      `event ${envelope.metadata.id} (${eventType}) not delivered after ${outcome.attempts} attempt(s), ${why}: ${outcome.error.message}`,
      outcome.status === undefined ? fields : { ...fields, status: outcome.status },
      { cause: outcome.error },
    ),
  };
}

function deadLetterEntry(
  runtime: ConcludeRuntime,
  message: TransportMessage,
  outcome: Extract<DeliveryOutcome, { ok: false }>,
): DeadLetterEntry {
  const code = isEventRelayError(outcome.error) ? outcome.error.code : 'network';
  const error =
    outcome.status === undefined
      ? { code, message: outcome.error.message }
      : { code, message: outcome.error.message, status: outcome.status };
  return {
    id: message.deliveryId,
    deliveryId: message.deliveryId,
    envelope: message.envelope,
    attempts: outcome.attempts,
    error,
    retryable: outcome.retryable,
    source: runtime.transport.name,
    deadLetteredAt: new Date().toISOString(),
  };
}
