// One conformance suite, run against every adapter over real HTTP on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buddyCatalog,
  createReceiver,
  memoryIdempotencyStore,
  PermanentEventError,
  type Receiver,
  sign,
} from '../../src/index.js';
import { signedRequest } from '../../src/testing/index.js';
import { type Answer, send } from './http-client.js';
import { type Running, SERVER_KINDS, startServer } from './servers.js';
import { streamHugeBody } from './stream-huge-body.js';
import { trickleBody } from './trickle-body.js';

const secret = 'conformance-secret';
const MAX = 4096;

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((r) => {
    release = r;
  });
  return { promise, release };
}

function buildReceiver() {
  // logger: false: the handlers fail on purpose here, and their errors would fill the test output.
  const receiver = createReceiver({ secret, catalog: buddyCatalog, maxBodyBytes: MAX, logger: false });
  const seen = { created: [] as string[], logged: 0, checkins: new Map<string, number>() };
  let gate = deferred();
  receiver.on('buddy.match.created', (event, ctx) => {
    seen.created.push(`${event.data.matchId}|${ctx.deliveryId}`);
  });
  receiver.on('buddy.event.logged', async () => {
    seen.logged++;
    await gate.promise;
  });
  receiver.on('buddy.checkin.completed', (event) => {
    const n = (seen.checkins.get(event.data.checkinId) ?? 0) + 1;
    seen.checkins.set(event.data.checkinId, n);
    if (n === 1) throw new Error('database unavailable');
  });
  receiver.on('buddy.feedback.submitted', () => {
    throw new PermanentEventError('this match does not exist here');
  });
  return { receiver, seen, openGate: () => gate.release(), resetGate: () => (gate = deferred()) };
}

async function post(url: string, request: { headers: Record<string, string>; body: string }): Promise<Answer> {
  return send(url, { headers: request.headers, body: request.body });
}

describe.each(SERVER_KINDS)('receiver over %s', (kind) => {
  let server: Running;
  let ctx: ReturnType<typeof buildReceiver>;

  beforeAll(async () => {
    ctx = buildReceiver();
    server = await startServer(kind, ctx.receiver);
  });
  afterAll(() => server.close());

  it('accepts a valid event (202) and hands the typed event to its handler', async () => {
    const req = await signedRequest({ secret });
    const res = await post(server.url, req);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ acknowledged: true, eventId: req.envelope.metadata.id });
    expect(ctx.seen.created).toContain(`${req.envelope.data.matchId}|${req.envelope.metadata.id}`);
  });

  it('accepts the flat shape (202)', async () => {
    const req = await signedRequest({ secret, shape: 'flat' });
    const res = await post(server.url, req);
    expect(res.status).toBe(202);
    expect(res.json.eventId).toBe(req.envelope.metadata.id);
  });

  it('accepts application/json with a charset and +json media types', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/cloudevents+json']) {
      const req = await signedRequest({
        secret,
        mutate: (r) => {
          r.headers['content-type'] = type;
        },
      });
      expect((await post(server.url, req)).status).toBe(202);
    }
  });

  it.each([
    [
      'a wrong signature',
      (r: { headers: Record<string, string> }) => {
        r.headers['x-webhook-signature'] = `sha256=${'0'.repeat(64)}`;
      },
      'invalid_signature',
    ],
    [
      'a missing signature',
      (r: { headers: Record<string, string> }) => void delete r.headers['x-webhook-signature'],
      'missing_header',
    ],
    [
      'a changed body',
      (r: { body: string }) => {
        r.body = r.body.replace('"v1"', '"v2"');
      },
      'invalid_signature',
    ],
  ] as const)('refuses %s (401)', async (_name, mutate, code) => {
    const req = await signedRequest({ secret, mutate: mutate as never });
    const res = await post(server.url, req);
    expect(res.status).toBe(401);
    expect(res.json.error).toBe(code);
    expect(res.text).not.toContain(secret);
  });

  it.each([
    ['stale', -10],
    ['future', +10],
  ])('refuses a %s signature (401)', async (_name, minutes) => {
    const req = await signedRequest({ secret, timestamp: new Date(Date.now() + minutes * 60_000) });
    const res = await post(server.url, req);
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('timestamp_out_of_tolerance');
  });

  it('answers 405 to a method other than POST', async () => {
    const res = await send(server.url, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.json.error).toBe('method_not_allowed');
    expect(res.headers.allow).toBe('POST');
  });

  it('answers 415 to a body that is not application/json', async () => {
    const req = await signedRequest({
      secret,
      mutate: (r) => {
        r.headers['content-type'] = 'text/plain';
      },
    });
    const res = await post(server.url, req);
    expect(res.status).toBe(415);
    expect(res.json.error).toBe('unsupported_media_type');
  });

  it('answers 413 to a body over maxBodyBytes', async () => {
    const req = await signedRequest({ secret, data: { padding: 'x'.repeat(MAX) }, type: 'buddy.match.created' });
    const res = await post(server.url, req);
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('payload_too_large');
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    const body = '{"type": "buddy.match.created", nope';
    const headers = await sign({ secret, id: 'delivery-1', body });
    const res = await post(server.url, { headers: { ...headers, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_json');
  });

  it('answers 400 to invalid data, with issues naming the field', async () => {
    const data = { ...(await signedRequest({ secret })).envelope.data, matchId: 'not-a-uuid' };
    const res = await post(server.url, await signedRequest({ secret, data }));
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_data');
    expect(res.json.issues).toContainEqual({ path: ['data', 'matchId'], message: expect.any(String) });
  });

  it('answers 400 to an unknown event type', async () => {
    const res = await post(server.url, await signedRequest({ secret, type: 'buddy.unknown.thing', data: {} }));
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('unknown_type');
  });

  it('runs the handler once for the same delivery sent twice; the second answer is a duplicate', async () => {
    const req = await signedRequest({ secret });
    const before = ctx.seen.created.length;
    expect((await post(server.url, req)).status).toBe(202);
    const again = await post(server.url, req);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ acknowledged: true, eventId: req.envelope.metadata.id, duplicate: true });
    expect(ctx.seen.created.length).toBe(before + 1);
  });

  it('runs the handler once for two concurrent deliveries of one id', async () => {
    ctx.resetGate();
    const req = await signedRequest({ secret, type: 'buddy.event.logged' });
    const before = ctx.seen.logged;
    const first = post(server.url, req);
    await expect.poll(() => ctx.seen.logged).toBe(before + 1);
    const second = await post(server.url, req);
    expect(second.status).toBe(409);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    ctx.openGate();
    expect((await first).status).toBe(202);
    expect((await post(server.url, req)).json.duplicate).toBe(true);
    expect(ctx.seen.logged).toBe(before + 1);
  });

  it('answers 500 when a handler throws, then processes the retry of that delivery', async () => {
    const req = await signedRequest({
      secret,
      type: 'buddy.checkin.completed',
      data: { checkinId: crypto.randomUUID(), matchId: crypto.randomUUID(), checkinDate: new Date().toISOString() },
    });
    const failed = await post(server.url, req);
    expect(failed.status).toBe(500);
    expect(failed.json.error).toBe('handler_failed');
    expect(failed.text).not.toContain('database unavailable');
    const retried = await post(server.url, req);
    expect(retried.status).toBe(202);
    expect(ctx.seen.checkins.get(req.envelope.data.checkinId as string)).toBe(2);
  });

  it('answers 422 when a handler throws PermanentEventError', async () => {
    const res = await post(server.url, await signedRequest({ secret, type: 'buddy.feedback.submitted' }));
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('permanent_event');
  });

  it('answers GET /health/webhook with the counters', async () => {
    const res = await send(server.url, { method: 'GET', path: '/health/webhook' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', accepted: expect.any(Number), rejected: expect.any(Number) });
    expect(res.json.accepted as number).toBeGreaterThan(0);
    expect(res.json.failed as number).toBeGreaterThan(0);
    expect(res.json.duplicates as number).toBeGreaterThan(0);
    expect(res.json).toEqual(ctx.receiver.health());
  });

  it('answers 429 with Retry-After when rate limited', async () => {
    const limited: Receiver<typeof buddyCatalog> = createReceiver({
      secret,
      catalog: buddyCatalog,
      idempotency: memoryIdempotencyStore(),
      rateLimit: { requestsPerSecond: 1, burst: 1, now: () => 0 },
    });
    const other = await startServer(kind, limited);
    try {
      expect((await post(other.url, await signedRequest({ secret }))).status).toBe(202);
      const res = await post(other.url, await signedRequest({ secret }));
      expect(res.status).toBe(429);
      expect(res.json.error).toBe('rate_limited');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await other.close();
    }
  });

  it('stops reading a 50 MB streamed body near the cap: 413 or an early close, never the whole body', async () => {
    const rejectedBefore = ctx.receiver.health().rejected;
    const total = 50 * 1024 * 1024;
    const result = await streamHugeBody(server.url, total);
    // The client keeps pushing after the answer: only a server that closed the connection stops it early.
    expect(result.status === undefined || result.status === 413).toBe(true);
    expect(['EPIPE', 'ECONNRESET', 'closed']).toContain(result.error);
    expect(result.pulled).toBeLessThan(total / 4);
    await expect.poll(() => ctx.receiver.health().rejected).toBe(rejectedBefore + 1);
    // And the server still answers afterwards.
    expect((await post(server.url, await signedRequest({ secret }))).status).toBe(202);
  });

  it('answers a body trickled slower than bodyTimeoutMs with 408 at the deadline, and closes the connection', async () => {
    const deadline = 600;
    const slow = createReceiver({ secret, bodyTimeoutMs: deadline, logger: false });
    const other = await startServer(kind, slow);
    try {
      // 2 KB at 10 bytes a second would take minutes; the receiver answers at its deadline instead.
      const result = await trickleBody(other.url, { bytes: 2048, everyMs: 100 });
      expect(result.status).toBe(408);
      expect(result.json).toMatchObject({
        error: 'request_timeout',
        message: expect.stringContaining(`${deadline} ms`),
      });
      expect(result.answeredMs).toBeGreaterThanOrEqual(deadline - 50);
      expect(result.answeredMs).toBeLessThan(deadline + 3000);
      expect(result.closedMs).toBeDefined();
      expect(result.closedMs! - result.answeredMs!).toBeLessThan(2000);
      expect(result.sent).toBeLessThan(60);
      expect(slow.health()).toMatchObject({ rejected: 1, failed: 0 });
      // A body that arrives in time is unaffected, and the server still answers.
      expect((await post(other.url, await signedRequest({ secret }))).status).toBe(202);
    } finally {
      await other.close();
    }
  });
});
