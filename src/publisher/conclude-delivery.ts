/**
 * The end of a delivery: a receipt, or a dead letter (queue, hook) and a `DeliveryError`; then its report
 * (delivery-report.ts).
 *
 * @module
 */

import type { DeadLetterEntry, DeadLetterQueue } from '../delivery/dead-letter-queue.js';
import type { TransportMessage } from '../delivery/transport.js';
import { DeliveryError, isEventRelayError, isShutdownError } from '../errors.js';
import type { DeliveryOutcome, DeliveryRuntime } from './deliver.js';
import { reportCancelled, reportDeadLettered, reportDeadLetterTrouble, reportDelivered } from './delivery-report.js';
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
  if (outcome.ok) {
    reportDelivered(runtime, message, outcome);
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
    reportCancelled(runtime, message, outcome);
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
  const entry = deadLetterEntry(runtime, message, outcome);
  try {
    await runtime.deadLetter.add(entry);
  } catch (error) {
    reportDeadLetterTrouble(
      runtime,
      message,
      outcome.attempts,
      error,
      'the dead-letter queue refused an entry; the event is reported to onDeadLetter only',
    );
  }
  if (runtime.onDeadLetter !== undefined) {
    try {
      await runtime.onDeadLetter(entry);
    } catch (error) {
      reportDeadLetterTrouble(runtime, message, outcome.attempts, error, 'onDeadLetter threw; ignored');
    }
  }
  const why = isShutdownError(outcome.error)
    ? 'the publisher closed first'
    : outcome.retryable
      ? 'retries exhausted'
      : 'permanent failure';
  reportDeadLettered(runtime, message, outcome, entry, why);
  const fields = {
    eventId: envelope.metadata.id,
    deliveryId,
    attempts: outcome.attempts,
    retryable: outcome.retryable,
  };
  return {
    error: new DeliveryError(
      `event ${envelope.metadata.id} (${envelope.type}) not delivered after ${outcome.attempts} attempt(s), ${why}: ${outcome.error.message}`,
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
