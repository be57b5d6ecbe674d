import { describe, expect, it } from 'vitest';
import { BUDDY_EVENT_TYPES } from '../../src/catalog/buddy.js';
import { buddyCatalog, createReceiver, verify } from '../../src/index.js';
import { buddySample, signedRequest } from '../../src/testing/index.js';

describe('buddySample', () => {
  it.each(BUDDY_EVENT_TYPES)('gives valid data for %s, a fresh copy each call', (type) => {
    const sample = buddySample(type);
    const result = buddyCatalog.validate(type, sample);
    expect(result).toMatchObject({ success: true });
    expect(buddySample(type)).not.toBe(sample);
  });

  it('throws TypeError on an unknown type', () => {
    expect(() => buddySample('buddy.nope.nope' as never)).toThrow(TypeError);
  });
});

describe('signedRequest', () => {
  it('signs the exact body with lowercase header names', async () => {
    const req = await signedRequest({ secret: 'helper-secret', type: 'buddy.match.ended' });
    expect(Object.keys(req.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual(req.envelope);
    await expect(verify({ secret: 'helper-secret', headers: req.headers, body: req.body })).resolves.toMatchObject({
      id: req.envelope.metadata.id,
    });
  });

  it('sends the flat shape for buddy-connector, and every scheme verifies at a receiver', async () => {
    const req = await signedRequest({ secret: 'helper-secret', scheme: 'buddy-connector' });
    expect(JSON.parse(req.body).id).toBe(req.envelope.metadata.id);
    const receiver = createReceiver({ secret: 'helper-secret', scheme: 'buddy-connector', catalog: buddyCatalog });
    expect((await receiver.handle({ method: 'POST', headers: req.headers, body: req.body })).status).toBe(202);
  });

  it('takes a whole event, an id, a delivery id, a signature time and a mutation', async () => {
    const base = await signedRequest({ secret: 's', id: '6a2f41a3-c54c-4c41-9d3c-8c2e4f7b9a10' });
    expect(base.envelope.metadata.id).toBe('6a2f41a3-c54c-4c41-9d3c-8c2e4f7b9a10');
    const again = await signedRequest({
      secret: 's',
      event: base.envelope,
      deliveryId: 'd-7',
      timestamp: new Date('2026-01-01T00:00:00Z'),
      mutate: (r) => {
        r.headers['x-extra'] = '1';
      },
    });
    expect(again.body).toBe(base.body);
    expect(again.headers['x-webhook-id']).toBe('d-7');
    expect(again.headers['x-webhook-timestamp']).toBe('2026-01-01T00:00:00.000Z');
    expect(again.headers['x-extra']).toBe('1');
  });
});
