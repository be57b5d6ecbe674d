import { describe, expect, it, vi } from 'vitest';
import {
  buddyCatalog,
  ConfigError,
  createReceiver,
  type Logger,
  type MetricsSink,
  PermanentEventError,
  sign,
} from '../../src/index.js';
import type { LogRecord } from '../../src/observability/logger.js';
import { adapterView } from '../../src/receiver/adapter-view.js';
import { DEFAULT_RECEIVER_OPTIONS } from '../../src/receiver/receiver-options.js';
import { signedRequest } from '../../src/testing/index.js';

// 32 bytes or more: these tests count log records, and a shorter secret adds a warning (tested in receiver-warnings).
const secret = 'core-test-secret-0123456789abcdef';

function post(request: { headers: Record<string, string>; body: string }) {
  return { method: 'POST', headers: request.headers, body: request.body };
}

function capture(): Logger & { records: { level: string; obj: LogRecord; msg: string | undefined }[] } {
  const records: { level: string; obj: LogRecord; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: LogRecord, msg?: string) => void records.push({ level, obj, msg });
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('createReceiver: options', () => {
  it('throws ConfigError without a secret unless signature is disabled', () => {
    expect(() => createReceiver({})).toThrow(ConfigError);
    expect(() => createReceiver({ signature: 'optional' })).toThrow(/secret/);
    expect(() => createReceiver({ signature: 'disabled' })).not.toThrow();
  });

  it('throws TypeError naming a malformed option', () => {
    expect(() => createReceiver({ secret, maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    expect(() => createReceiver({ secret, signature: 'sometimes' as never })).toThrow(/signature/);
    expect(() => createReceiver({ secret, unknownTypes: 'maybe' as never })).toThrow(/unknownTypes/);
    expect(() => createReceiver({ secret, rateLimit: { requestsPerSecond: 0 } })).toThrow(/requestsPerSecond/);
    expect(() => createReceiver({ secret, idempotency: {} as never })).toThrow(/idempotency/);
  });
});

describe('createReceiver: checks in order', () => {
  const receiver = createReceiver({ secret, catalog: buddyCatalog, maxBodyBytes: 2048 });

  it('405 before 415 before 413 before 401', async () => {
    const big = 'x'.repeat(4096);
    expect(
      (await receiver.handle({ method: 'PUT', headers: { 'content-type': 'text/plain' }, body: big })).status,
    ).toBe(405);
    expect(
      (await receiver.handle({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: big })).status,
    ).toBe(415);
    expect(
      (await receiver.handle({ method: 'POST', headers: { 'content-type': 'application/json' }, body: big })).status,
    ).toBe(413);
    expect(
      (await receiver.handle({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).status,
    ).toBe(401);
  });

  it('counts a multi-byte string body in UTF-8 bytes', async () => {
    const body = 'é'.repeat(1100); // 1,100 units, 2,200 bytes
    const res = await receiver.handle({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
  });

  it('401 (signature) before 400 (JSON)', async () => {
    const res = await receiver.handle(
      post(
        await signedRequest({
          secret,
          mutate: (r) => {
            r.body = 'nope';
          },
        }),
      ),
    );
    expect(res.status).toBe(401);
  });

  it('400 for a JSON value that is not an envelope, with issues', async () => {
    const body = JSON.stringify({ type: 'buddy.match.created', data: {} });
    const headers = { ...(await sign({ secret, id: 'd-1', body })), 'content-type': 'application/json' };
    const res = await receiver.handle({ method: 'POST', headers, body });
    expect(res.status).toBe(400);
    const json = JSON.parse(res.body);
    expect(json.error).toBe('invalid_envelope');
    expect(json.issues.length).toBeGreaterThan(0);
  });

  it('defaults method to POST and reads a Uint8Array body', async () => {
    const req = await signedRequest({ secret });
    const res = await receiver.handle({ headers: req.headers, body: new TextEncoder().encode(req.body) });
    expect(res.status).toBe(202);
  });

  it('answers 405 (not 500) to a method that is not a string', async () => {
    const req = await signedRequest({ secret });
    expect((await receiver.handle({ ...post(req), method: 42 as never })).status).toBe(405);
  });

  it('never rejects, even on a body of the wrong type', async () => {
    const res = await receiver.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 42 as never,
    });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).error).toBe('internal_error');
  });
});

describe('createReceiver: signature modes and delivery ids', () => {
  it("'optional' accepts an unsigned event and still refuses a bad signature", async () => {
    const receiver = createReceiver({ secret, signature: 'optional' });
    const unsigned = await signedRequest({ secret, mutate: (r) => void delete r.headers['x-webhook-signature'] });
    expect((await receiver.handle(post(unsigned))).status).toBe(202);
    const bad = await signedRequest({ secret: 'another-secret' });
    expect((await receiver.handle(post(bad))).status).toBe(401);
  });

  it("'disabled' accepts unsigned events; the delivery id is then metadata.id", async () => {
    const receiver = createReceiver({ signature: 'disabled' });
    const ids: string[] = [];
    receiver.onAny((_e, ctx) => void ids.push(ctx.deliveryId));
    const req = await signedRequest({ secret, deliveryId: 'header-id' });
    expect((await receiver.handle(post(req))).status).toBe(202);
    expect(ids).toEqual([req.envelope.metadata.id]);
  });

  it("hands handlers the scheme's id header as the delivery id, and dedupes on the event id, not on it", async () => {
    const receiver = createReceiver({ secret });
    const seen: { deliveryId: string; receivedAt: Date; sig: string | undefined }[] = [];
    receiver.onAny((_e, ctx) => {
      seen.push({
        deliveryId: ctx.deliveryId,
        receivedAt: ctx.receivedAt,
        sig: (ctx.headers as Record<string, string>)['x-webhook-signature'],
      });
    });
    const first = await signedRequest({ secret, deliveryId: 'delivery-42' });
    expect((await receiver.handle(post(first))).status).toBe(202);
    // The same event under another delivery id is a duplicate: the signed event id is the key.
    const again = await signedRequest({ secret, event: first.envelope, deliveryId: 'delivery-43' });
    const res = await receiver.handle(post(again));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ acknowledged: true, eventId: first.envelope.metadata.id, duplicate: true });
    // Another event under the same delivery id is not.
    const other = await signedRequest({ secret, deliveryId: 'delivery-42' });
    expect((await receiver.handle(post(other))).status).toBe(202);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.deliveryId).toBe('delivery-42');
    expect(seen[0]?.receivedAt).toBeInstanceOf(Date);
    expect(seen[0]?.sig).toMatch(/^sha256=/);
  });

  it.each(['standard-webhooks', 'buddy-connector', 'sha256-body'] as const)(
    'verifies the %s scheme',
    async (scheme) => {
      const key =
        scheme === 'standard-webhooks'
          ? `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`
          : secret;
      const receiver = createReceiver({ secret: key, scheme, catalog: buddyCatalog });
      const req = await signedRequest({ secret: key, scheme });
      expect((await receiver.handle(post(req))).status).toBe(202);
      const bad = await signedRequest({
        secret: key,
        scheme,
        mutate: (r) => {
          r.body = r.body.replace('Berlin', 'Munich');
        },
      });
      expect((await receiver.handle(post(bad))).status).toBe(401);
    },
  );

  it('accepts a signature made with any secret of a rotation', async () => {
    const receiver = createReceiver({ secrets: ['new-secret', 'old-secret'] });
    expect((await receiver.handle(post(await signedRequest({ secret: 'old-secret' })))).status).toBe(202);
    expect((await receiver.handle(post(await signedRequest({ secret: 'new-secret' })))).status).toBe(202);
  });
});

describe('createReceiver: catalog and unknown types', () => {
  it('hands handlers the data as the schema outputs it (unknown keys stripped)', async () => {
    const receiver = createReceiver({ secret, catalog: buddyCatalog });
    let data: Record<string, unknown> | undefined;
    receiver.on('buddy.match.created', (e) => {
      data = e.data;
    });
    const base = (await signedRequest({ secret })).envelope.data;
    await receiver.handle(post(await signedRequest({ secret, data: { ...base, extra: 'dropped' } })));
    expect(data).toEqual(base);
  });

  it("with a catalog, unknownTypes 'accept' passes unknown types to onAny unchecked", async () => {
    const receiver = createReceiver({ secret, catalog: buddyCatalog, unknownTypes: 'accept' });
    const types: string[] = [];
    receiver.onAny((e) => void types.push(e.type));
    const res = await receiver.handle(
      post(await signedRequest({ secret, type: 'billing.invoice.paid', data: { n: 1 } })),
    );
    expect(res.status).toBe(202);
    expect(types).toEqual(['billing.invoice.paid']);
  });

  it('without a catalog, every type is accepted; with unknownTypes reject, only types an on() handler names', async () => {
    const open = createReceiver({ secret });
    expect((await open.handle(post(await signedRequest({ secret, type: 'any.thing.happened' })))).status).toBe(202);
    const strict = createReceiver({ secret, unknownTypes: 'reject' });
    strict.on('billing.invoice.paid', () => {});
    expect((await strict.handle(post(await signedRequest({ secret, type: 'billing.invoice.paid' })))).status).toBe(202);
    const res = await strict.handle(post(await signedRequest({ secret, type: 'any.thing.happened' })));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toBe('unknown_type');
  });
});

describe('createReceiver: handlers', () => {
  it('registers one handler for several types, removes it with off() or the returned function', async () => {
    const receiver = createReceiver({ secret, catalog: buddyCatalog });
    const types: string[] = [];
    const handler = (e: { type: string }) => void types.push(e.type);
    const stop = receiver.on(['buddy.match.created', 'buddy.checkin.completed'], handler);
    const checkin = {
      checkinId: crypto.randomUUID(),
      matchId: crypto.randomUUID(),
      checkinDate: new Date().toISOString(),
    };
    await receiver.handle(post(await signedRequest({ secret })));
    await receiver.handle(post(await signedRequest({ secret, type: 'buddy.checkin.completed', data: checkin })));
    receiver.off('buddy.match.created', handler);
    await receiver.handle(post(await signedRequest({ secret })));
    stop();
    await receiver.handle(
      post(await signedRequest({ secret, type: 'buddy.checkin.completed', data: checkin, id: crypto.randomUUID() })),
    );
    expect(types).toEqual(['buddy.match.created', 'buddy.checkin.completed']);
  });

  it('off(handler) removes it from every type, onAny and onError', async () => {
    const receiver = createReceiver({ secret });
    const calls: string[] = [];
    const h = () => void calls.push('h');
    receiver.on('a.b.c', h);
    receiver.onAny(h);
    receiver.off(h);
    await receiver.handle(post(await signedRequest({ secret, type: 'a.b.c' })));
    expect(calls).toEqual([]);
  });

  it('runs the handlers of one event concurrently', async () => {
    const receiver = createReceiver({ secret });
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    receiver.onAny(async () => {
      started.push('a');
      await gate;
    });
    receiver.onAny(async () => {
      started.push('b');
      await gate;
    });
    const pending = receiver.handle(post(await signedRequest({ secret })));
    await vi.waitFor(() => expect(started).toEqual(['a', 'b']));
    release();
    expect((await pending).status).toBe(202);
  });

  it('reports several failures as one AggregateError to onError, and answers 500', async () => {
    const receiver = createReceiver({ secret });
    const errors: Error[] = [];
    receiver.onError((e, ctx) => {
      expect(ctx.source).toBe('handler');
      errors.push(e);
    });
    receiver.onAny(() => {
      throw new Error('one');
    });
    receiver.onAny(async () => {
      throw new Error('two');
    });
    const req = await signedRequest({ secret });
    const res = await receiver.handle(post(req));
    expect(res.status).toBe(500);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AggregateError);
    expect((errors[0] as AggregateError).errors.map((e: Error) => e.message)).toEqual(['one', 'two']);
  });

  it('answers 422 only when every failure is permanent, and releases the key either way', async () => {
    const receiver = createReceiver({ secret });
    let mode: 'permanent' | 'mixed' | 'ok' = 'permanent';
    receiver.onAny(() => {
      if (mode !== 'ok') throw new PermanentEventError('no such program');
    });
    receiver.onAny(() => {
      if (mode === 'mixed') throw new Error('transient');
    });
    const req = await signedRequest({ secret });
    const first = await receiver.handle(post(req));
    expect(first.status).toBe(422);
    expect(JSON.parse(first.body)).toMatchObject({ error: 'permanent_event', message: 'no such program' });
    mode = 'mixed';
    expect((await receiver.handle(post(req))).status).toBe(500);
    mode = 'ok';
    expect((await receiver.handle(post(req))).status).toBe(202);
  });

  it('an onError listener that throws does not break the answer', async () => {
    const receiver = createReceiver({ secret });
    receiver.onError(() => {
      throw new Error('listener bug');
    });
    receiver.onAny(() => {
      throw new Error('handler bug');
    });
    expect((await receiver.handle(post(await signedRequest({ secret })))).status).toBe(500);
  });
});

describe('createReceiver: handleMessage outcomes', () => {
  it('maps every verdict to an outcome', async () => {
    const receiver = createReceiver({ secret, catalog: buddyCatalog });
    let fail = true;
    receiver.on('buddy.match.created', () => {
      if (fail) throw new Error('down');
    });
    const req = await signedRequest({ secret });
    const msg = { headers: req.headers, body: req.body };
    const failed = await receiver.handleMessage(msg);
    expect(failed).toMatchObject({
      outcome: 'retry',
      status: 500,
      eventId: req.envelope.metadata.id,
      eventType: 'buddy.match.created',
    });
    expect(failed.error?.message).toBe('down');
    fail = false;
    expect(await receiver.handleMessage(msg)).toMatchObject({
      outcome: 'accepted',
      status: 202,
      deliveryId: req.envelope.metadata.id,
    });
    expect(await receiver.handleMessage(msg)).toMatchObject({ outcome: 'duplicate', status: 200 });
    const bad = await receiver.handleMessage({ headers: {}, body: req.body });
    expect(bad).toMatchObject({ outcome: 'reject', status: 401 });
    const wrong = await signedRequest({ secret, data: {} });
    expect(await receiver.handleMessage(wrong)).toMatchObject({ outcome: 'reject', status: 400 });
  });

  it('does not apply the HTTP checks (no method, no content type)', async () => {
    const receiver = createReceiver({ secret });
    const req = await signedRequest({ secret });
    const { 'content-type': _, ...headers } = req.headers;
    expect((await receiver.handleMessage({ headers, body: new TextEncoder().encode(req.body) })).status).toBe(202);
  });
});

describe('createReceiver: fetch()', () => {
  const receiver = createReceiver({ secret, maxBodyBytes: 1024 });

  it('answers a Request with a Response', async () => {
    const req = await signedRequest({ secret });
    const res = await receiver.fetch(
      new Request('http://x/hook', { method: 'POST', headers: req.headers, body: req.body }),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ acknowledged: true, eventId: req.envelope.metadata.id });
  });

  it('stops reading a streamed body past the cap (413) and cancels the stream', async () => {
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 512;
        controller.enqueue(new Uint8Array(512));
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request('http://x/hook', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const res = await receiver.fetch(request);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1024 + 3 * 512);
    expect(cancelled).toBe(true);
  });

  it('answers 408 at bodyTimeoutMs to a body that trickles, cancels it, and closes the connection', async () => {
    const slow = createReceiver({ secret, bodyTimeoutMs: 300, logger: false });
    let cancelled = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // One byte every 100 ms, for ever: only the deadline ends it.
        timer = setInterval(() => controller.enqueue(new Uint8Array([0x20])), 100);
      },
      cancel() {
        cancelled = true;
        clearInterval(timer);
      },
    });
    const started = performance.now();
    const res = await slow.fetch(
      new Request('http://x/hook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '100000' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(res.status).toBe(408);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({
      error: 'request_timeout',
      message: "the body did not arrive within 300 ms: send it again (the receiver's bodyTimeoutMs sets the limit)",
    });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    expect(cancelled).toBe(true);
    expect(slow.health()).toMatchObject({ received: 1, rejected: 1 });
  });

  it('defaults bodyTimeoutMs to 10 s and refuses a bad one, naming the option', () => {
    expect(DEFAULT_RECEIVER_OPTIONS.bodyTimeoutMs).toBe(10_000);
    expect(adapterView('test', createReceiver({ secret })).bodyTimeoutMs).toBe(10_000);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 31, '10' as never]) {
      expect(() => createReceiver({ secret, bodyTimeoutMs: bad })).toThrow(/bodyTimeoutMs must be/);
    }
  });

  it('answers 405 without reading the body', async () => {
    const res = await receiver.fetch(new Request('http://x/hook', { method: 'GET' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('createReceiver: health, logs and metrics', () => {
  it('counts every answer', async () => {
    const receiver = createReceiver({ secret });
    let n = 0;
    receiver.onAny(() => {
      if (n++ === 1) throw new Error('x');
    });
    const req = await signedRequest({ secret });
    await receiver.handle(post(req));
    await receiver.handle(post(req));
    await receiver.handle(post(await signedRequest({ secret })));
    await receiver.handle({ method: 'GET', headers: {}, body: '' });
    expect(receiver.health()).toEqual({
      status: 'ok',
      signature: 'required',
      uptimeSeconds: expect.any(Number),
      received: 4,
      accepted: 1,
      duplicates: 1,
      failed: 1,
      rejected: 1,
      lastEventAt: expect.stringMatching(/Z$/),
    });
  });

  it('starts with lastEventAt null', () => {
    expect(createReceiver({ secret }).health().lastEventAt).toBeNull();
  });

  it('reports to the metrics sink', async () => {
    const received = vi.fn();
    const receiveError = vi.fn();
    const signatureFailure = vi.fn();
    const metrics: MetricsSink = { received, receiveError, signatureFailure };
    const receiver = createReceiver({ secret, metrics });
    await receiver.handle(post(await signedRequest({ secret })));
    await receiver.handle(post(await signedRequest({ secret: 'wrong-secret' })));
    expect(received).toHaveBeenCalledTimes(2);
    expect(received.mock.calls[0]?.[0]).toMatchObject({
      eventType: 'buddy.match.created',
      status: 202,
      lagMs: expect.any(Number),
    });
    expect(receiveError).toHaveBeenCalledWith({ errorType: 'invalid_signature' });
    expect(signatureFailure).toHaveBeenCalledTimes(1);
  });

  it('logs structured records and never a secret or a signature', async () => {
    const logger = capture();
    const receiver = createReceiver({ secret, logger });
    receiver.onAny((e) => {
      if (e.data.fail) throw new Error('handler down');
    });
    const good = await signedRequest({ secret, type: 'a.b.c', data: { ok: true } });
    const failing = await signedRequest({ secret, type: 'a.b.c', data: { fail: true } });
    const forged = await signedRequest({ secret: 'forged-secret', type: 'a.b.c' });
    const responses = [
      await receiver.handle(post(good)),
      await receiver.handle(post(failing)),
      await receiver.handle(post(forged)),
    ];
    const levels = logger.records.map((r) => r.level);
    expect(levels).toEqual(['debug', 'error', 'warn']);
    expect(logger.records[0]?.obj).toMatchObject({
      operation: 'receive',
      status: 202,
      eventId: good.envelope.metadata.id,
      eventType: 'a.b.c',
    });
    const everything = JSON.stringify(logger.records) + responses.map((r) => r.body).join('');
    for (const text of [
      secret,
      'forged-secret',
      good.headers['x-webhook-signature'],
      forged.headers['x-webhook-signature'],
    ]) {
      expect(everything).not.toContain(text!);
      expect(everything).not.toContain(text!.replace('sha256=', ''));
    }
  });

  it('still answers (never rejects) when the logger, the metrics sink and an onError listener all throw', async () => {
    const boom = () => {
      throw new Error('observability down');
    };
    const receiver = createReceiver({
      secret,
      logger: { debug: boom, info: boom, warn: boom, error: boom },
      metrics: { received: boom, receiveError: boom, signatureFailure: boom },
    });
    receiver.onError(boom);
    let fail = false;
    receiver.onAny(() => {
      if (fail) throw new Error('handler down');
    });
    expect((await receiver.handle(post(await signedRequest({ secret })))).status).toBe(202);
    expect((await receiver.handle(post(await signedRequest({ secret: 'forged-secret' })))).status).toBe(401);
    fail = true;
    expect((await receiver.handleMessage(await signedRequest({ secret }))).status).toBe(500);
    expect(receiver.health()).toMatchObject({ received: 3, accepted: 1, rejected: 1, failed: 1 });
  });

  it("logs a refusal with the sender's remoteAddress", async () => {
    const logger = capture();
    const receiver = createReceiver({ secret, logger });
    const forged = await signedRequest({ secret: 'forged-secret' });
    await receiver.handle({ ...post(forged), remoteAddress: '203.0.113.7' });
    expect(logger.records).toEqual([
      expect.objectContaining({
        level: 'warn',
        obj: expect.objectContaining({ status: 401, remoteAddress: '203.0.113.7' }),
      }),
    ]);
  });
});
