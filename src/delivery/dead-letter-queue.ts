/**
 * The dead-letter queue contract. The publisher adds an event here when retries run out or the failure is
 * permanent; the NATS consumer adds a message it terminated. `publisher.redrive()` sends entries again.
 *
 * @module
 */
import type { EventEnvelope } from '../envelope/envelope-schema.js';

/**
 * One event that could not be delivered or processed.
 *
 * @example
 * ```ts
 * publisher = createPublisher({ transport, onDeadLetter: (entry: DeadLetterEntry) => alert(entry.error.message) })
 * ```
 */
export interface DeadLetterEntry {
  /** Unique entry id (the delivery id, so a redriven event keeps its identity). */
  readonly id: string;
  readonly deliveryId: string;
  readonly envelope: EventEnvelope;
  /** Attempts made before giving up. */
  readonly attempts: number;
  /**
   * Why it failed: the last error, without secrets. `code` is the transport's (`http_503`, `timeout`, `network`…),
   * or `shutdown` when `close({ timeoutMs })` reached its deadline before the event was delivered from the memory
   * outbox (a durable outbox keeps such events instead).
   */
  readonly error: { readonly code: string; readonly message: string; readonly status?: number };
  /** Whether a later attempt might succeed (retries ran out) or not (a permanent failure). */
  readonly retryable: boolean;
  /** Transport or consumer that gave up, e.g. `http`, `nats-consumer`. */
  readonly source: string;
  /** ISO-8601 UTC. */
  readonly deadLetteredAt: string;
}

/**
 * Options of {@link DeadLetterQueue.list}.
 *
 * @example
 * ```ts
 * const oldest = await dlq.list({ limit: 10 })
 * ```
 */
export interface DeadLetterListOptions {
  /** @default all */
  limit?: number;
}

/**
 * Where undeliverable events wait for a human or a redrive.
 *
 * @example
 * ```ts
 * const dlq = fileDeadLetterQueue('./dead-letters.jsonl')
 * for (const entry of await dlq.list()) console.log(entry.envelope.type, entry.error.message)
 * ```
 */
export interface DeadLetterQueue {
  add(entry: DeadLetterEntry): Promise<void>;
  list(options?: DeadLetterListOptions): Promise<DeadLetterEntry[]>;
  /** @returns whether an entry was removed */
  remove(id: string): Promise<boolean>;
  size(): Promise<number>;
}
