import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EventEnvelope,
  EventEnvelopeSchema,
  type FlatEvent,
  FlatEventSchema,
  fromFlatEvent,
  parseEvent,
  serializeEvent,
  toFlatEvent,
} from '../../src/index.js';

// Keys zod drops on purpose (prototype safety); a round trip through the schemas cannot keep them.
const key = fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__');
const record = fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const token = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const eventType = fc.array(token, { minLength: 3, maxLength: 5 }).map((tokens) => tokens.join('.'));
const timestamp = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const envelopeArb: fc.Arbitrary<EventEnvelope> = fc
  .record({
    type: eventType,
    data: record,
    metadata: fc.record(
      {
        id: fc.uuid(),
        version: fc.string({ minLength: 1, maxLength: 4 }),
        timestamp,
        correlationId: fc.uuid(),
        causationId: fc.uuid(),
        source: fc.string({ maxLength: 12 }),
        metadata: record,
      },
      { requiredKeys: ['id', 'version', 'timestamp'] },
    ),
  })
  .map((e) => e as EventEnvelope);

describe('toFlatEvent / fromFlatEvent', () => {
  it('the arbitrary builds schema-valid envelopes (guards the properties below)', () => {
    fc.assert(fc.property(envelopeArb, (e) => EventEnvelopeSchema.safeParse(e).success));
  });

  it('nested → flat → nested loses nothing', () => {
    fc.assert(
      fc.property(envelopeArb, (envelope) => {
        const flat = toFlatEvent(envelope);
        expect(FlatEventSchema.safeParse(flat).success).toBe(true);
        expect(fromFlatEvent(flat)).toEqual(envelope);
      }),
    );
  });

  it('flat → nested → flat loses nothing', () => {
    fc.assert(
      fc.property(envelopeArb, (envelope) => {
        const flat: FlatEvent = toFlatEvent(envelope);
        expect(toFlatEvent(fromFlatEvent(flat))).toEqual(flat);
      }),
    );
  });

  it('either wire shape parses back to the same envelope', () => {
    fc.assert(
      fc.property(envelopeArb, fc.constantFrom('nested' as const, 'flat' as const), (envelope, shape) => {
        const expected = JSON.parse(JSON.stringify(envelope));
        expect(parseEvent(JSON.parse(serializeEvent(envelope, shape)))).toEqual(expected);
      }),
    );
  });

  it('writes the flat shape the platform reads: envelope fields at the top, no metadata wrapper', () => {
    const envelope = parseEvent({
      type: 'buddy.match.created',
      data: { a: 1 },
      metadata: {
        id: '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f',
        timestamp: '2026-03-01T10:00:00Z',
        causationId: '1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80',
        metadata: { tenant: 'acme' },
      },
    });
    expect(toFlatEvent(envelope)).toStrictEqual({
      id: '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f',
      version: 'v1',
      timestamp: '2026-03-01T10:00:00Z',
      causationId: '1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80',
      metadata: { tenant: 'acme' },
      type: 'buddy.match.created',
      data: { a: 1 },
    });
  });
});
