import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { honoReceiver } from '../../src/adapters/hono.js';
import { buddyCatalog, createReceiver } from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';

const secret = 'hono-secret';

function setup() {
  const receiver = createReceiver({ secret, catalog: buddyCatalog, maxBodyBytes: 2048 });
  const matches: string[] = [];
  receiver.on('buddy.match.created', (e) => void matches.push(e.data.matchId));
  const app = new Hono();
  app.route('/', honoReceiver(receiver));
  app.get('/other', (c) => c.text('still here'));
  return { app, matches, receiver };
}

describe('honoReceiver with app.request()', () => {
  it('accepts a valid event and hands it to the typed handler', async () => {
    const { app, matches } = setup();
    const req = await signedRequest({ secret });
    const res = await app.request('/webhooks/buddy-events', { method: 'POST', headers: req.headers, body: req.body });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ acknowledged: true, eventId: req.envelope.metadata.id });
    expect(matches).toEqual([req.envelope.data.matchId]);
  });

  it('refuses a bad signature (401), a GET (405), a text body (415)', async () => {
    const { app } = setup();
    const forged = await signedRequest({ secret: 'nope-secret' });
    expect(
      (await app.request('/webhooks/buddy-events', { method: 'POST', headers: forged.headers, body: forged.body }))
        .status,
    ).toBe(401);
    expect((await app.request('/webhooks/buddy-events')).status).toBe(405);
    const text = await app.request('/webhooks/buddy-events', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.status).toBe(415);
  });

  it('answers 413 to a streamed body past the cap without reading it all', async () => {
    const { app } = setup();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        if (pulled > 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const res = await app.request('/webhooks/buddy-events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(16 * 1024);
  });

  it('serves health and leaves the rest of the app alone', async () => {
    const { app } = setup();
    const health = await app.request('/health/webhook');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', received: 0 });
    expect(await (await app.request('/other')).text()).toBe('still here');
  });
});
