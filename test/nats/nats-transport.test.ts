import { DiscardPolicy, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// Internal: the publisher's own attempt context, to cover the cheap abort hook the transport prefers.
import { AttemptContext } from '../../src/delivery/attempt-context.js';
import { createEnvelope, type EventEnvelope, type SendContext, verify } from '../../src/index.js';
import { ensureStream, natsTransport } from '../../src/transports/nats.js';
import { natsAvailable } from '../helpers/nats.js';
import { connectTestNats, createTestStream, matchCreatedData, SECRET, type TestStream } from './support.js';

const context = (signal = new AbortController().signal): SendContext => ({ attempt: 1, signal });

describe.skipIf(!natsAvailable())('natsTransport', () => {
  let nc: NatsConnection;
  let stream: TestStream;

  beforeAll(async () => {
    nc = await connectTestNats();
    stream = await createTestStream(nc);
  });
  afterAll(async () => {
    await stream.remove();
    await nc.close();
  });

  const envelope = (): EventEnvelope => createEnvelope('buddy.match.created', matchCreatedData());
  const lastMessage = async () => {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream.name);
    return jsm.streams.getMessage(stream.name, { seq: info.state.last_seq });
  };

  it('stores one message for two sends of one delivery id; both succeed, the second marked duplicate', async () => {
    const transport = natsTransport({ connection: nc, subject: stream.subject, secret: SECRET });
    const before = await stream.messageCount();
    const message = { envelope: envelope(), deliveryId: crypto.randomUUID() };
    expect(await transport.send(message, context())).toEqual({ ok: true });
    expect(await transport.send(message, context())).toEqual({ ok: true, duplicate: true });
    expect(await stream.messageCount()).toBe(before + 1);
  });

  it('sends the nested envelope with verifiable signature headers and msgID = delivery id', async () => {
    const transport = natsTransport({ connection: nc, subject: stream.subject, secret: SECRET });
    const event = envelope();
    const deliveryId = crypto.randomUUID();
    await transport.send({ envelope: event, deliveryId }, context());
    const stored = await lastMessage();
    expect(stored?.subject).toBe(`${stream.prefix}.buddy.match.created`);
    expect(stored?.header.get('Nats-Msg-Id')).toBe(deliveryId);
    const body = new TextDecoder().decode(stored?.data);
    expect(JSON.parse(body)).toEqual(event);
    const headers = Object.fromEntries([...(stored?.header.keys() ?? [])].map((k) => [k, stored?.header.get(k)]));
    await expect(verify({ secret: SECRET, headers, body })).resolves.toMatchObject({ id: deliveryId });
    await expect(verify({ secret: 'another-secret-0123456789', headers, body })).rejects.toThrow();
  });

  it('sends the flat shape with the buddy-connector scheme', async () => {
    const transport = natsTransport({
      connection: nc,
      subject: stream.subject,
      secret: SECRET,
      scheme: 'buddy-connector',
    });
    const event = envelope();
    await transport.send({ envelope: event, deliveryId: event.metadata.id }, context());
    const stored = await lastMessage();
    const body = new TextDecoder().decode(stored?.data);
    expect(JSON.parse(body)).toMatchObject({ id: event.metadata.id, type: event.type, data: event.data });
    const headers = Object.fromEntries([...(stored?.header.keys() ?? [])].map((k) => [k, stored?.header.get(k)]));
    await expect(verify({ secret: SECRET, scheme: 'buddy-connector', headers, body })).resolves.toBeDefined();
  });

  it('publishes on the event type by default, or on a fixed subject', async () => {
    const typed = createEnvelope(`${stream.prefix}.match.created`, matchCreatedData());
    await natsTransport({ connection: nc, secret: SECRET }).send(
      { envelope: typed, deliveryId: typed.metadata.id },
      context(),
    );
    expect((await lastMessage())?.subject).toBe(`${stream.prefix}.match.created`);
    const fixed = `${stream.prefix}.all.events`;
    const event = envelope();
    await natsTransport({ connection: nc, secret: SECRET, subject: fixed }).send(
      { envelope: event, deliveryId: event.metadata.id },
      context(),
    );
    expect((await lastMessage())?.subject).toBe(fixed);
  });

  it('sends unsigned messages with the scheme id header when no secret is given', async () => {
    const event = envelope();
    await natsTransport({ connection: nc, subject: stream.subject }).send(
      { envelope: event, deliveryId: 'unsigned-1' },
      context(),
    );
    const stored = await lastMessage();
    expect(stored?.header.get('x-webhook-id')).toBe('unsigned-1');
    expect(stored?.header.get('x-webhook-signature')).toBe('');
  });

  it('answers a retryable failure when no stream captures the subject', async () => {
    const transport = natsTransport({
      connection: nc,
      subject: `nostream${stream.prefix}.x`,
      secret: SECRET,
      timeoutMs: 2000,
    });
    const event = envelope();
    const started = Date.now();
    const result = await transport.send({ envelope: event, deliveryId: event.metadata.id }, context());
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'nats_no_responders' } });
    // It kept asking within the attempt (a leader election answers "no responders" for seconds), then gave up.
    expect(Date.now() - started).toBeGreaterThan(1000);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('succeeds within the attempt when the stream appears a moment after the first "no responders"', async () => {
    const late = await createTestStream(nc);
    await late.remove();
    const transport = natsTransport({ connection: nc, subject: late.subject, secret: SECRET, timeoutMs: 5000 });
    const event = envelope();
    const sending = transport.send({ envelope: event, deliveryId: event.metadata.id }, context());
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      // The same name and prefix as the removed stream, so the pending publish lands in the new one.
      await ensureStream(nc, { name: late.name, subjects: [`${late.prefix}.>`] });
      expect(await sending).toEqual({ ok: true });
      expect(await late.messageCount()).toBe(1);
    } finally {
      await late.remove();
    }
  });

  it('answers a retryable failure at once when the attempt is aborted', async () => {
    const transport = natsTransport({ connection: nc, subject: stream.subject, secret: SECRET });
    const controller = new AbortController();
    controller.abort();
    const event = envelope();
    const result = await transport.send({ envelope: event, deliveryId: event.metadata.id }, context(controller.signal));
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'timeout' } });
  });

  it('answers a permanent failure for an invalid subject', async () => {
    const transport = natsTransport({ connection: nc, subject: 'bad subject', secret: SECRET });
    const event = envelope();
    const result = await transport.send({ envelope: event, deliveryId: event.metadata.id }, context());
    expect(result).toMatchObject({ ok: false, retryable: false });
  });

  it('answers a permanent failure, with the status, when the stream refuses the message for good', async () => {
    const small = await createTestStream(nc, 120_000, { max_msg_size: 64 });
    try {
      const transport = natsTransport({ connection: nc, subject: small.subject, secret: SECRET });
      const event = envelope();
      const result = await transport.send({ envelope: event, deliveryId: event.metadata.id }, context());
      expect(result).toMatchObject({ ok: false, retryable: false, status: 400, error: { code: 'nats_api_error' } });
    } finally {
      await small.remove();
    }
  });

  it('answers a retryable failure when the stream is full (discard new): room may come back', async () => {
    const full = await createTestStream(nc, 120_000, { max_msgs: 1, discard: DiscardPolicy.New });
    try {
      const transport = natsTransport({ connection: nc, subject: full.subject, secret: SECRET });
      const first = envelope();
      expect(await transport.send({ envelope: first, deliveryId: first.metadata.id }, context())).toEqual({ ok: true });
      const second = envelope();
      const result = await transport.send({ envelope: second, deliveryId: second.metadata.id }, context());
      expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'nats_api_error' } });
    } finally {
      await full.remove();
    }
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => natsTransport({})).toThrow(/`connection` or `connect` is required/);
    // @ts-expect-error connect must be a function
    expect(() => natsTransport({ connect: nc })).toThrow(/`connect`/);
    expect(() => natsTransport({ connection: nc, redialBackoffMs: [] })).toThrow(/`redialBackoffMs`/);
    expect(() => natsTransport({ connection: nc, timeoutMs: 0 })).toThrow(/`timeoutMs`/);
    // @ts-expect-error subject must be a string or a function
    expect(() => natsTransport({ connection: nc, subject: 42 })).toThrow(/`subject`/);
  });
});

// A connection whose requests never answer (unless `request` says otherwise) and that never changes state.
function silentConnection(request: () => Promise<unknown> = () => new Promise(() => {})): NatsConnection {
  return {
    options: {},
    request,
    isClosed: () => false,
    closed: () => new Promise(() => {}),
    status: async function* () {},
  } as unknown as NatsConnection;
}

describe('natsTransport abort', () => {
  it('gives up on a pending PubAck as soon as the attempt is aborted', async () => {
    // A connection whose requests never answer: only the signal can end the attempt.
    const silent = silentConnection();
    const transport = natsTransport({ connection: silent, secret: SECRET, timeoutMs: 60_000 });
    const controller = new AbortController();
    const event = createEnvelope('buddy.match.created', matchCreatedData());
    const pending = transport.send({ envelope: event, deliveryId: event.metadata.id }, context(controller.signal));
    setTimeout(() => controller.abort(), 30);
    await expect(pending).resolves.toMatchObject({ ok: false, retryable: true, error: { code: 'timeout' } });
  });

  it('gives up on a pending PubAck when the publisher aborts its attempt, without building its signal', async () => {
    const silent = silentConnection();
    const transport = natsTransport({ connection: silent, secret: SECRET, timeoutMs: 60_000 });
    const attempt = new AttemptContext(1);
    const signalRead = vi.spyOn(attempt, 'signal', 'get');
    const event = createEnvelope('buddy.match.created', matchCreatedData());
    const pending = transport.send({ envelope: event, deliveryId: event.metadata.id }, attempt);
    setTimeout(() => attempt.abort(new Error('attempt timed out')), 30);
    await expect(pending).resolves.toMatchObject({ ok: false, retryable: true, error: { code: 'timeout' } });
    expect(signalRead).not.toHaveBeenCalled();
  });

  it('does not publish when the publisher attempt is already aborted', async () => {
    const request = vi.fn(() => new Promise(() => {}));
    const silent = silentConnection(request);
    const transport = natsTransport({ connection: silent, secret: SECRET });
    const attempt = new AttemptContext(2);
    attempt.abort(new Error('cancelled'));
    const event = createEnvelope('buddy.match.created', matchCreatedData());
    const result = await transport.send({ envelope: event, deliveryId: event.metadata.id }, attempt);
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'timeout' } });
    expect(request).not.toHaveBeenCalled();
  });
});
