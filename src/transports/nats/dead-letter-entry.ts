/**
 * Builds the dead-letter entry for a JetStream message the consumer terminated. The message may not even be an
 * event (bad JSON, a foreign publisher), yet a {@link DeadLetterEntry} needs an envelope: such a message gets a
 * stand-in envelope that keeps the raw body and the stream coordinates, so nothing is lost.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { JsMsg } from '@nats-io/jetstream';
import type { DeadLetterEntry } from '../../delivery/dead-letter-queue.js';
import type { EventEnvelope } from '../../envelope/envelope-schema.js';
import { safeParseEvent } from '../../envelope/parse-event.js';
import type { MessageResult } from '../../receiver/types.js';

/**
 * The type of the stand-in envelope of a message that is not a readable event.
 *
 * @example
 * ```ts
 * const unreadable = (await dlq.list()).filter((e) => e.envelope.type === UNREADABLE_MESSAGE_TYPE)
 * ```
 */
export const UNREADABLE_MESSAGE_TYPE = 'nats.message.unreadable';

const decoder = new TextDecoder();
// A stand-in keeps at most this much of a raw body: enough to diagnose, bounded for the queue's storage.
const MAX_RAW_CHARS = 64 * 1024;

/**
 * @internal used by natsConsumer
 * @example
 * ```ts
 * await deadLetter.add(deadLetterEntry(msg, result, { retryable: false, deliveryId }))
 * ```
 */
export function deadLetterEntry(
  msg: JsMsg,
  result: MessageResult,
  fields: { retryable: boolean; deliveryId: string },
): DeadLetterEntry {
  const error = describe(result);
  return {
    id: fields.deliveryId,
    deliveryId: fields.deliveryId,
    envelope: envelopeOf(msg),
    attempts: msg.info.deliveryCount,
    error,
    retryable: fields.retryable,
    source: 'nats-consumer',
    deadLetteredAt: new Date().toISOString(),
  };
}

function describe(result: MessageResult): DeadLetterEntry['error'] {
  const body = result.body;
  const code = 'error' in body ? body.error : (result.error as { code?: string } | undefined)?.code;
  const message = 'message' in body ? body.message : (result.error?.message ?? result.outcome);
  return { code: code ?? result.outcome, message, status: result.status };
}

function envelopeOf(msg: JsMsg): EventEnvelope {
  const text = decoder.decode(msg.data);
  try {
    const parsed = safeParseEvent(JSON.parse(text));
    if (parsed.success) return parsed.envelope;
  } catch {
    // not JSON: falls through to the stand-in
  }
  return {
    type: UNREADABLE_MESSAGE_TYPE,
    data: {
      body: text.length > MAX_RAW_CHARS ? text.slice(0, MAX_RAW_CHARS) : text,
      truncated: text.length > MAX_RAW_CHARS,
    },
    metadata: {
      id: randomUUID(),
      version: 'v1',
      timestamp: new Date().toISOString(),
      metadata: {
        nats: {
          stream: msg.info.stream,
          subject: msg.subject,
          streamSequence: msg.info.streamSequence,
        },
      },
    },
  };
}
