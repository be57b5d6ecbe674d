import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { NATS_URL, natsAvailable } from '../helpers/nats.js';
import { startScript } from './child.js';

describe.skipIf(!natsAvailable())('examples/nats-dual-publish.ts', () => {
  it.each([
    ['dual', 'dual: 3 events handled once each, 3 duplicate copies acknowledged'],
    ['http', 'http: 3 events handled once each, 0 duplicate copies acknowledged'],
    ['nats', 'nats: 3 events handled once each, 0 duplicate copies acknowledged'],
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

describe('examples/nats-dual-publish.ts on bad input', () => {
  it('rejects an unknown EVENT_TRANSPORT in one line and exits 2, before connecting', async () => {
    const example = startScript('examples/nats-dual-publish.ts', { EVENT_TRANSPORT: 'bogus', NATS_URL: '127.0.0.1:1' });
    expect(await example.exited).toBe(2);
    expect(example.output().trim()).toBe('EVENT_TRANSPORT must be one of dual, http, nats; got "bogus" (see --help)');
  }, 60_000);

  it('reports NATS being down in one line, without a stack trace, and exits 1', async () => {
    const port = await freePort(); // nothing listens there
    const example = startScript('examples/nats-dual-publish.ts', { NATS_URL: `127.0.0.1:${port}` });
    expect(await example.exited).toBe(1);
    const output = example.output().trim();
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(
      new RegExp(`^cannot reach NATS at 127\\.0\\.0\\.1:${port}: .+ \\(start nats-server -js, or set NATS_URL\\)$`),
    );
    expect(output).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('prints its usage with --help and exits 0, whatever the environment', async () => {
    const example = startScript('examples/nats-dual-publish.ts', { EVENT_TRANSPORT: 'bogus' }, ['--help']);
    expect(await example.exited).toBe(0);
    expect(example.output()).toMatch(/^Usage: npm run example:nats/);
    expect(example.output()).toContain('EVENT_TRANSPORT     dual (default) | http | nats');
  }, 60_000);
});
