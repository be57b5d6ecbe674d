/**
 * The reference every NATS publishing row is measured against: a fresh envelope per message, teei-v1 headers signed
 * by hand with node:crypto, `js.publish(subject, body, { msgID, headers })`, `window` workers each awaiting its
 * PubAck. One copy, so the benchmark and the profiling tools measure the same raw loop.
 *
 * @module
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';

export interface RawPublish {
  js: JetStreamClient;
  subject: string;
  type: string;
  data: unknown;
  /** The HMAC key: the secret's bytes. */
  key: Buffer;
  window: number;
}

/** Publishes `count` messages and resolves when every PubAck is in. */
export async function rawPublish(count: number, { js, subject, type, data, key, window }: RawPublish): Promise<void> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started++ < count) {
      const id = randomUUID();
      const timestamp = new Date().toISOString();
      const body = JSON.stringify({ type, data, metadata: { id, version: 'v1', timestamp } });
      const h = headers();
      h.set('x-webhook-id', id);
      h.set('x-webhook-timestamp', timestamp);
      h.set(
        'x-webhook-signature',
        `sha256=${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('hex')}`,
      );
      await js.publish(subject, body, { msgID: id, headers: h });
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
}

/** Runs `work` from `window` lanes until `count` calls have started. */
export async function lanes(count: number, window: number, work: () => Promise<unknown>): Promise<void> {
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started++ < count) await work();
  };
  await Promise.all(Array.from({ length: window }, lane));
}
