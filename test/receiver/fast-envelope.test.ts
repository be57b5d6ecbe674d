// The receiver's envelope fast path must never accept what the schemas refuse, nor read a value differently.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope, safeParseEvent, toFlatEvent } from '../../src/index.js';
import { fastEnvelope } from '../../src/receiver/fast-envelope.js';
import { buddySample } from '../../src/testing/index.js';

// Mostly valid values, sometimes not: both sides of every check get exercised, and the fast path is often taken.
const often = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: other, weight: 1 });
const uuid = often(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '', 7, null));
const timestamp = often(
  fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2999-12-31') }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2026-01-01T00:00:00+01:00',
    '2026-01-01',
    '2026-01-01T24:00:00Z',
    0,
  ),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const metadataFields = fc.record(
  {
    id: uuid,
    version: maybe(often(fc.constantFrom('v1', 'v2'), fc.constantFrom('', 1, null))),
    timestamp,
    correlationId: maybe(uuid),
    causationId: maybe(uuid),
    source: maybe(often(fc.string(), fc.integer())),
    metadata: maybe(often(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue())),
    extra: maybe(fc.jsonValue()),
  },
  { requiredKeys: ['id', 'timestamp'] },
);
const type = often(
  fc.constantFrom('buddy.match.created', 'a.b.c', 'a.b.c.d_e-f'),
  fc.oneof(fc.constantFrom('Buddy.Match.Created', 'a.b', ''), fc.string()),
);
const data = often(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue());

const candidate = fc.oneof(
  fc.record(
    { type, data, metadata: often(metadataFields, fc.jsonValue()) },
    { requiredKeys: ['type', 'data', 'metadata'] },
  ),
  fc.tuple(metadataFields, type, data).map(([m, t, d]) => ({ ...m, type: t, data: d })),
  fc.jsonValue(),
);

describe('fastEnvelope', () => {
  it('accepts only what safeParseEvent accepts, with an equal envelope', () => {
    let taken = 0;
    fc.assert(
      fc.property(candidate, (input) => {
        const json = JSON.parse(JSON.stringify(input) ?? 'null') as unknown;
        const fast = fastEnvelope(json);
        if (fast === undefined) return;
        taken++;
        const slow = safeParseEvent(JSON.parse(JSON.stringify(input)));
        expect(slow.success).toBe(true);
        if (slow.success) expect(fast).toEqual(slow.envelope);
      }),
      { numRuns: 3000 },
    );
    // The generators reach the fast path often enough for the comparison to mean something.
    expect(taken).toBeGreaterThan(300);
  });

  it('takes the fast path for valid envelopes of both shapes', () => {
    const envelope = createEnvelope('buddy.match.created', buddySample('buddy.match.created'), {
      correlationId: crypto.randomUUID(),
      source: 'buddy-system',
      metadata: { region: 'eu' },
    });
    expect(fastEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
    expect(fastEnvelope(JSON.parse(JSON.stringify(toFlatEvent(envelope))))).toEqual(envelope);
  });

  it('leaves a __proto__ key to the schema', () => {
    const body = `{"type":"a.b.c","data":{"__proto__":{"x":1}},"metadata":{"id":"${crypto.randomUUID()}","timestamp":"2026-01-01T00:00:00Z"}}`;
    expect(fastEnvelope(JSON.parse(body))).toBeUndefined();
  });
});
