import { describe, expect, it } from 'vitest';
import { NATS_URL, natsAvailable } from '../helpers/nats.js';
import { startScript } from './child.js';

describe.skipIf(!natsAvailable())('examples/nats-dual-publish.ts', () => {
  it.each([
    ['dual', 'dual: 3 events handled once each, 3 duplicate copies acknowledged'],
    ['http', 'http: 3 events handled once each, 0 duplicate copies acknowledged'],
  ])(
    'EVENT_TRANSPORT=%s: each event is handled exactly once',
    async (mode, line) => {
      const example = startScript('examples/nats-dual-publish.ts', { NATS_URL, EVENT_TRANSPORT: mode });
      try {
        expect(await example.exited, example.output()).toBe(0);
        expect(example.output()).toContain(line);
        expect(example.output().match(/handled buddy\.match\.created [\da-f-]{36} via/g)).toHaveLength(3);
      } finally {
        await example.stop();
      }
    },
    90_000,
  );
});
