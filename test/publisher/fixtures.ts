// Shared fixtures of the publisher tests: a valid Buddy event, a deterministic random source and a publisher factory.
import {
  buddyCatalog,
  createPublisher,
  httpTransport,
  memoryDeadLetterQueue,
  type PublisherOptions,
  type RetryOptions,
} from '../../src/index.js';

export const ENDPOINT = 'http://csr.test/webhooks/buddy-events';
export const SECRET = 'test-secret-0123456789';

export const MATCH_CREATED = {
  matchId: '8f14e45f-ceea-4e7a-9d1b-2c8f6a3b5d71',
  participantId: '3c59dc04-8e1a-4f6b-a2d3-7e9f0b1c2d3e',
  buddyId: 'a87ff679-a2f3-4e7c-8b5d-9c0e1f2a3b4c',
  matchedAt: '2026-01-15T10:30:00.000Z',
} as const;

/** Jitter at mid-range: each delay is exactly 0.75 of its base. */
export const HALF = (): number => 0.5;

export function makePublisher(
  overrides: Partial<PublisherOptions<typeof buddyCatalog>> & { retry?: RetryOptions } = {},
) {
  const deadLetter = overrides.deadLetter ?? memoryDeadLetterQueue();
  const publisher = createPublisher({
    transport: httpTransport({ url: ENDPOINT, secret: SECRET }),
    catalog: buddyCatalog,
    ...overrides,
    deadLetter,
    retry: { random: HALF, ...overrides.retry },
  });
  return { publisher, deadLetter };
}
