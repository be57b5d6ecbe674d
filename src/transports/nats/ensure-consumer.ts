/**
 * Creates or updates the durable pull consumer behind {@link natsConsumer}: explicit acks, `max_deliver`,
 * `ack_wait`. Idempotent, so every instance may call it on start.
 *
 * @module
 */
import { AckPolicy, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/**
 * @internal settings natsConsumer controls
 *
 * @example
 * ```ts
 * const settings: ConsumerSettings = { durable: 'csr', maxDeliver: 5, ackWaitMs: 30_000 }
 * ```
 */
export interface ConsumerSettings {
  durable: string;
  maxDeliver: number;
  ackWaitMs: number;
  filterSubject?: string;
}

/**
 * @internal
 * @example
 * ```ts
 * await ensureConsumer(jsm, 'BUDDY_EVENTS', { durable: 'csr', maxDeliver: 5, ackWaitMs: 30_000 })
 * ```
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  settings: ConsumerSettings,
): Promise<ConsumerInfo> {
  const wanted: Partial<ConsumerConfig> = {
    max_deliver: settings.maxDeliver,
    ack_wait: nanos(settings.ackWaitMs),
    ...(settings.filterSubject !== undefined && { filter_subject: settings.filterSubject }),
  };
  const current = await jsm.consumers.info(stream, settings.durable).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'ConsumerNotFoundError') return undefined;
    throw error;
  });
  if (current === undefined) {
    return jsm.consumers.add(stream, {
      ...wanted,
      durable_name: settings.durable,
      ack_policy: AckPolicy.Explicit,
    });
  }
  const config = current.config as unknown as Record<string, unknown>;
  const differs = Object.entries(wanted).some(([key, value]) => config[key] !== value);
  return differs ? jsm.consumers.update(stream, settings.durable, wanted) : current;
}
