// Shared fixtures of the NATS suites: a connection to the test server, streams isolated per test (unique name and
// subject prefix, deleted afterwards), Buddy sample data, and a bounded wait.
import { randomBytes, randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '../../src/index.js';
import { type EnsureStreamOptions, ensureStream } from '../../src/transports/nats.js';
import { NATS_URL } from '../helpers/nats.js';

export const SECRET = 'nats-test-secret-0123456789';

export function connectTestNats(): Promise<NatsConnection> {
  return connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
}

/** A stream of its own: events go to `<prefix>.<event type>`, so suites never see each other's messages. */
export interface TestStream {
  readonly name: string;
  readonly prefix: string;
  subject(envelope: EventEnvelope): string;
  messageCount(): Promise<number>;
  remove(): Promise<void>;
}

export async function createTestStream(
  nc: NatsConnection,
  duplicateWindowMs = 120_000,
  config: EnsureStreamOptions['config'] = {},
): Promise<TestStream> {
  const prefix = `t${randomBytes(6).toString('hex')}`;
  const name = `TEST_${prefix.toUpperCase()}`;
  await ensureStream(nc, { name, subjects: [`${prefix}.>`], duplicateWindowMs, config });
  return {
    name,
    prefix,
    subject: (envelope) => `${prefix}.${envelope.type}`,
    async messageCount() {
      const jsm = await jetstreamManager(nc);
      return (await jsm.streams.info(name)).state.messages;
    },
    async remove() {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(name).catch(() => undefined);
    },
  };
}

/** Valid `buddy.match.created` data. */
export function matchCreatedData(): { matchId: string; participantId: string; buddyId: string; matchedAt: string } {
  return {
    matchId: randomUUID(),
    participantId: randomUUID(),
    buddyId: randomUUID(),
    matchedAt: new Date().toISOString(),
  };
}

/** Polls `check` every 20 ms until it holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
