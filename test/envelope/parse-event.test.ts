import { describe, expect, it } from 'vitest';
import {
  type EventValidationError,
  isEventRelayError,
  parseEvent,
  safeParseEvent,
  toFlatEvent,
} from '../../src/index.js';

const ID = '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f';
const OTHER = '1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80';
const WHEN = '2026-03-01T10:00:00.000Z';

const nested = {
  type: 'buddy.match.created',
  data: { matchId: ID },
  metadata: { id: ID, version: 'v1', timestamp: WHEN, correlationId: OTHER, source: 'buddy-system' },
};
const flat = {
  id: ID,
  version: 'v1',
  timestamp: WHEN,
  correlationId: OTHER,
  source: 'buddy-system',
  type: 'buddy.match.created',
  data: { matchId: ID },
};

function failure(input: unknown): EventValidationError {
  const result = safeParseEvent(input);
  if (result.success) throw new Error('expected a failure');
  expect(() => parseEvent(input)).toThrow(result.error.message);
  return result.error;
}

describe('parseEvent', () => {
  it('reads the nested shape', () => {
    expect(parseEvent(nested)).toEqual(nested);
    expect(safeParseEvent(nested)).toMatchObject({ success: true, shape: 'nested' });
  });

  it('reads the flat shape into the nested one', () => {
    expect(parseEvent(flat)).toEqual(nested);
    expect(safeParseEvent(flat)).toMatchObject({ success: true, shape: 'flat' });
  });

  it('defaults version to v1 in both shapes', () => {
    const { version: _v, ...flatNoVersion } = flat;
    expect(parseEvent(flatNoVersion).metadata.version).toBe('v1');
    const nestedNoVersion = { ...nested, metadata: { id: ID, timestamp: WHEN } };
    expect(parseEvent(nestedNoVersion).metadata.version).toBe('v1');
  });

  it('keeps the free-form metadata record of both shapes', () => {
    expect(parseEvent({ ...flat, metadata: { tenant: 'acme' } }).metadata.metadata).toEqual({ tenant: 'acme' });
    const withRecord = { ...nested, metadata: { ...nested.metadata, metadata: { tenant: 'acme' } } };
    expect(parseEvent(withRecord)).toEqual(withRecord);
  });

  it.each([null, 'event', 42, [nested], undefined])('rejects a non-object (%j)', (input) => {
    const error = failure(input);
    expect(isEventRelayError(error, 'EventValidationError')).toBe(true);
    expect(error.code).toBe('invalid_envelope');
    expect(error.issues).toEqual([{ path: [], message: expect.any(String) }]);
  });

  const withMetadata = (patch: Record<string, unknown>) => ({ ...nested, metadata: { ...nested.metadata, ...patch } });
  it.each([
    ['nested: bad id', withMetadata({ id: 'not-a-uuid' }), ['metadata', 'id']],
    ['nested: missing id', { ...nested, metadata: { timestamp: WHEN } }, ['metadata', 'id']],
    [
      'nested: timestamp with an offset',
      withMetadata({ timestamp: '2026-03-01T12:00:00+02:00' }),
      ['metadata', 'timestamp'],
    ],
    ['nested: timestamp without a zone', withMetadata({ timestamp: '2026-03-01T10:00:00' }), ['metadata', 'timestamp']],
    ['nested: bad correlationId', withMetadata({ correlationId: 'abc' }), ['metadata', 'correlationId']],
    ['nested: bad causationId', withMetadata({ causationId: 7 }), ['metadata', 'causationId']],
    ['nested: empty version', withMetadata({ version: '' }), ['metadata', 'version']],
    ['nested: no metadata', { type: nested.type, data: nested.data }, ['metadata']],
    ['nested: data is an array', { ...nested, data: [1] }, ['data']],
    ['nested: no data', { type: nested.type, metadata: nested.metadata }, ['data']],
    ['nested: uppercase type', { ...nested, type: 'Buddy.Match.Created' }, ['type']],
    ['nested: two-token type', { ...nested, type: 'buddy.created' }, ['type']],
    ['nested: no type', { data: nested.data, metadata: nested.metadata }, ['type']],
    ['flat: bad id', { ...flat, id: 'not-a-uuid' }, ['id']],
    ['flat: timestamp with an offset', { ...flat, timestamp: '2026-03-01T10:00:00-05:00' }, ['timestamp']],
    ['flat: unix timestamp', { ...flat, timestamp: 1767225600 }, ['timestamp']],
    ['flat: bad type', { ...flat, type: 'buddy..created' }, ['type']],
    ['flat: metadata not a record', { ...flat, metadata: 'x' }, ['metadata']],
  ])('rejects %s, naming the path', (_label, input, path) => {
    const error = failure(input);
    expect(error.code).toBe('invalid_envelope');
    expect(error.issues.map((i) => i.path)).toContainEqual(path);
    expect(error.message).toContain(path.join('.'));
  });

  it('reports the event type when it could be read', () => {
    expect(failure({ ...flat, id: 'x' }).eventType).toBe('buddy.match.created');
    expect(failure({ ...flat, type: 7 }).eventType).toBeUndefined();
  });

  it('reads what toFlatEvent writes', () => {
    const envelope = parseEvent(nested);
    expect(parseEvent(JSON.parse(JSON.stringify(toFlatEvent(envelope))))).toEqual(envelope);
  });
});
