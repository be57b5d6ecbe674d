import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { startScript } from './child.js';

const RECEIVERS = ['examples/express-receiver.ts', 'examples/fastify-receiver.ts', 'examples/hono-receiver.ts'];

async function startReceiver(file: string, secret: string) {
  const port = await freePort();
  const receiver = startScript(file, { PORT: String(port), WEBHOOK_SIGNATURE_SECRET: secret });
  await receiver.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
  return { receiver, port, url: `http://127.0.0.1:${port}/webhooks/buddy-events` };
}

describe.each(RECEIVERS)('%s with examples/publisher.ts', (file) => {
  it('receives signed events and counts them on /metrics', async () => {
    const secret = randomBytes(16).toString('hex');
    const { receiver, port, url } = await startReceiver(file, secret);
    try {
      const publisher = startScript('examples/publisher.ts', {
        CSR_WEBHOOK_URL: url,
        CSR_WEBHOOK_SECRET: secret,
        EVENT_COUNT: '2',
      });
      expect(await publisher.exited, publisher.output()).toBe(0);
      expect(publisher.output()).toMatch(/delivered buddy\.match\.created [\da-f-]{36}: 1 attempt\(s\), HTTP 202/);
      expect(publisher.output()).toContain('done: 2/2 published, 0 dead-lettered');

      await receiver.waitFor(/received buddy\.checkin\.completed/);
      expect(receiver.output().match(/received buddy\.match\.created/g)).toHaveLength(2);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('csr_webhook_received_total{event_type="buddy.match.created",status="202"} 2');
      expect(metrics).toContain('csr_webhook_received_total{event_type="buddy.checkin.completed",status="202"} 1');
      const health = (await (await fetch(`http://127.0.0.1:${port}/health/webhook`)).json()) as { accepted: number };
      expect(health.accepted).toBe(3);
    } finally {
      await receiver.stop();
    }
  }, 90_000);
});

describe('examples/express-receiver.ts', () => {
  it('refuses events signed with another secret: the publisher dead-letters them and exits 1', async () => {
    const { receiver, port, url } = await startReceiver(RECEIVERS[0] as string, 'the-receiver-secret');
    try {
      const publisher = startScript('examples/publisher.ts', {
        CSR_WEBHOOK_URL: url,
        CSR_WEBHOOK_SECRET: 'another-secret',
        EVENT_COUNT: '1',
      });
      expect(await publisher.exited, publisher.output()).toBe(1);
      expect(publisher.output()).toContain('done: 0/1 published, 2 dead-lettered');
      expect(publisher.output()).not.toContain('another-secret');
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('csr_webhook_signature_validation_failures_total 2');
      expect(receiver.output()).not.toMatch(/received buddy/);
    } finally {
      await receiver.stop();
    }
  }, 90_000);
});
