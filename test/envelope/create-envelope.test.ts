import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DEFAULT_EVENT_VERSION } from '../../src/envelope/envelope-schema.js';
import { createEnvelope, parseEvent } from '../../src/index.js';

const ID = '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f';
const OTHER = '1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80';

afterEach(() => {
  vi.useRealTimers();
});

describe('createEnvelope', () => {
  it('wraps data with a fresh uuid, the current ISO-8601 UTC time and version v1', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T10:00:00.123Z'));
    const data = { matchId: ID };
    const envelope = createEnvelope('buddy.match.created', data);
    expect(envelope).toEqual({
      type: 'buddy.match.created',
      data,
      metadata: { id: expect.any(String), version: 'v1', timestamp: '2026-03-01T10:00:00.123Z' },
    });
    expect(envelope.data).toBe(data);
    expect(z.uuid().safeParse(envelope.metadata.id).success).toBe(true);
    expect(DEFAULT_EVENT_VERSION).toBe('v1');
  });

  it('gives each envelope its own id', () => {
    const ids = new Set(Array.from({ length: 100 }, () => createEnvelope('a.b.c', {}).metadata.id));
    expect(ids.size).toBe(100);
  });

  it('draws the id from the Web Crypto global, which edge runtimes have too (no node:crypto import)', () => {
    const spy = vi
      .spyOn(globalThis.crypto, 'randomUUID')
      .mockReturnValue(OTHER as `${string}-${string}-${string}-${string}-${string}`);
    try {
      expect(createEnvelope('a.b.c', {}).metadata.id).toBe(OTHER);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('takes every option, and a Date or a string as timestamp', () => {
    const options = {
      id: ID,
      timestamp: new Date('2026-03-01T10:00:00Z'),
      version: 'v2',
      correlationId: OTHER,
      causationId: ID,
      source: 'buddy-system',
      metadata: { tenant: 'acme' },
    };
    expect(createEnvelope('a.b.c', { n: 1 }, options).metadata).toEqual({
      id: ID,
      version: 'v2',
      timestamp: '2026-03-01T10:00:00.000Z',
      correlationId: OTHER,
      causationId: ID,
      source: 'buddy-system',
      metadata: { tenant: 'acme' },
    });
    expect(createEnvelope('a.b.c', {}, { timestamp: '2026-03-01T10:00:00Z' }).metadata.timestamp).toBe(
      '2026-03-01T10:00:00Z',
    );
  });

  it('leaves unset options out rather than writing undefined', () => {
    const { metadata } = createEnvelope('a.b.c', {}, { id: ID });
    expect(Object.keys(metadata)).toEqual(['id', 'version', 'timestamp']);
  });

  it('rejects an invalid Date as timestamp with a TypeError naming the option', () => {
    expect(() => createEnvelope('a.b.c', {}, { timestamp: new Date('nope') })).toThrow(TypeError);
    expect(() => createEnvelope('a.b.c', {}, { timestamp: new Date('nope') })).toThrow('options.timestamp');
  });

  it('builds an envelope that parseEvent accepts unchanged', () => {
    const envelope = createEnvelope('buddy.match.created', { matchId: ID }, { correlationId: OTHER, source: 'x' });
    expect(parseEvent(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
  });
});
