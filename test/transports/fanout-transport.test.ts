import { describe, expect, it } from 'vitest';
import {
  createEnvelope,
  createPublisher,
  fanoutTransport,
  type Transport,
  type TransportMessage,
  type TransportResult,
} from '../../src/index.js';

/** A transport that answers from a script, one result per call, and records what it got. */
function scripted(name: string, ...script: TransportResult[]) {
  const calls: string[] = [];
  const transport: Transport = {
    name,
    async send(message) {
      calls.push(message.deliveryId);
      return script[Math.min(calls.length - 1, script.length - 1)]!;
    },
  };
  return { transport, calls };
}
const OK: TransportResult = { ok: true, status: 200 };
const RETRY: TransportResult = {
  ok: false,
  retryable: true,
  status: 503,
  retryAfterMs: 1000,
  error: new Error('down'),
};
const PERMANENT: TransportResult = { ok: false, retryable: false, status: 400, error: new Error('bad') };
const message = (): TransportMessage => {
  const envelope = createEnvelope('buddy.match.created', { n: 1 });
  return { envelope, deliveryId: envelope.metadata.id };
};
const context = (attempt = 1) => ({ attempt, signal: new AbortController().signal });

describe('fanoutTransport', () => {
  it("'all': ok only when every target is; a retry goes only to the targets still missing it", async () => {
    const a = scripted('a', OK);
    const b = scripted('b', RETRY, OK);
    const fanout = fanoutTransport([a.transport, b.transport], { mode: 'all' });
    const m = message();
    const first = await fanout.send(m, context(1));
    expect(first).toMatchObject({ ok: false, retryable: true, retryAfterMs: 1000, status: 503 });
    expect((first as { error: Error }).error.message).toContain('b: down');
    expect(await fanout.send(m, context(2))).toEqual({ ok: true, status: 200 });
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(2);
  });

  it("'all': retryable when any failure is; permanent when all failures are", async () => {
    const mixed = fanoutTransport([scripted('a', PERMANENT).transport, scripted('b', RETRY).transport]);
    expect(await mixed.send(message(), context())).toMatchObject({ ok: false, retryable: true });
    const permanent = fanoutTransport([scripted('a', OK).transport, scripted('b', PERMANENT).transport]);
    expect(await permanent.send(message(), context())).toMatchObject({ ok: false, retryable: false, status: 400 });
  });

  it("'any': ok when one target is; every target is still tried; failures go to onTargetError", async () => {
    const a = scripted('a', RETRY);
    const b = scripted('b', OK);
    const errors: string[] = [];
    const fanout = fanoutTransport([a.transport, b.transport], {
      mode: 'any',
      onTargetError: (error, target) => errors.push(`${target.name}: ${error.message}`),
    });
    expect(await fanout.send(message(), context())).toEqual({ ok: true, status: 200 });
    expect(a.calls).toHaveLength(1);
    expect(errors).toEqual(['a: down']);
    const none = fanoutTransport([scripted('a', RETRY).transport, scripted('b', PERMANENT).transport], { mode: 'any' });
    expect(await none.send(message(), context())).toMatchObject({ ok: false, retryable: true });
  });

  it('an onTargetError that throws changes nothing: any-mode success stands, all-mode remembers who has it', async () => {
    const hook = () => {
      throw new Error('hook broke');
    };
    const a = scripted('a', RETRY);
    const b = scripted('b', OK);
    const any = fanoutTransport([a.transport, b.transport], { mode: 'any', onTargetError: hook });
    expect(await any.send(message(), context())).toEqual({ ok: true, status: 200 });

    const c = scripted('c', OK);
    const d = scripted('d', RETRY, OK);
    const all = fanoutTransport([c.transport, d.transport], { mode: 'all', onTargetError: hook });
    const m = message();
    expect(await all.send(m, context(1))).toMatchObject({ ok: false, retryable: true, status: 503 });
    expect(await all.send(m, context(2))).toEqual({ ok: true, status: 200 });
    expect(c.calls).toHaveLength(1);
    expect(d.calls).toHaveLength(2);
  });

  it('a target that throws counts as a retryable failure', async () => {
    const thrower: Transport = {
      name: 'thrower',
      send: async () => {
        throw new Error('boom');
      },
    };
    expect(await fanoutTransport([thrower]).send(message(), context())).toMatchObject({ ok: false, retryable: true });
  });

  it('under a publisher, a dual publish reaches both targets exactly once each', async () => {
    const a = scripted('http', RETRY, OK);
    const b = scripted('nats', OK);
    const publisher = createPublisher({
      transport: fanoutTransport([a.transport, b.transport]),
      retry: { initialDelayMs: 1, maxRetryAfterMs: 1 },
    });
    const receipt = await publisher.publish('buddy.match.created', { n: 1 });
    expect(receipt.attempts).toBe(2);
    expect(a.calls).toEqual([receipt.deliveryId, receipt.deliveryId]);
    expect(b.calls).toEqual([receipt.deliveryId]);
  });

  it('closes every target and checks its options', async () => {
    let closed = 0;
    const closable: Transport = {
      name: 'c',
      send: async () => OK,
      close: async () => {
        closed += 1;
      },
    };
    await fanoutTransport([closable, closable]).close!();
    expect(closed).toBe(2);
    expect(() => fanoutTransport([])).toThrow(TypeError);
    expect(() => fanoutTransport([closable], { mode: 'some' as 'all' })).toThrow(/mode/);
  });
});
