import { describe, expect, it } from 'vitest';
import { createEnvelope, serializeEvent, toFlatEvent } from '../../src/index.js';

const envelope = createEnvelope(
  'buddy.match.created',
  { matchId: '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f', note: 'line\nbreak' },
  {
    id: '1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80',
    timestamp: '2026-03-01T10:00:00.000Z',
    correlationId: '2d8b5e40-ac73-4b20-9e3f-4c5d6e7f8091',
  },
);

describe('serializeEvent', () => {
  it('writes the nested shape as compact JSON by default', () => {
    const body = serializeEvent(envelope);
    expect(body).toBe(JSON.stringify(envelope));
    expect(body).toBe(
      '{"type":"buddy.match.created","data":{"matchId":"0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f","note":"line\\nbreak"},' +
        '"metadata":{"id":"1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80","version":"v1","timestamp":"2026-03-01T10:00:00.000Z",' +
        '"correlationId":"2d8b5e40-ac73-4b20-9e3f-4c5d6e7f8091"}}',
    );
    expect(serializeEvent(envelope, 'nested')).toBe(body);
  });

  it("writes the flat shape for 'flat'", () => {
    const body = serializeEvent(envelope, 'flat');
    expect(body).toBe(JSON.stringify(toFlatEvent(envelope)));
    expect(body).toBe(
      '{"id":"1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80","version":"v1","timestamp":"2026-03-01T10:00:00.000Z",' +
        '"correlationId":"2d8b5e40-ac73-4b20-9e3f-4c5d6e7f8091","type":"buddy.match.created",' +
        '"data":{"matchId":"0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f","note":"line\\nbreak"}}',
    );
  });
});
