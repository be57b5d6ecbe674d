import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoTimestamp, parseUnixSeconds } from '../../src/signing/schemes/timestamps.js';

describe('ISO-8601 timestamps', () => {
  it('read back every toISOString exactly, as Date.parse does', () => {
    const dates = fc.date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dates, (date) => {
        expect(parseIsoTimestamp(date.toISOString())).toBe(date.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('read years 0 to 99 as those years, not as 1900 to 1999', () => {
    for (const text of ['0099-01-01T00:00:00.000Z', '0000-03-01T12:30:00.250Z', '0050-12-31T23:59:59.999Z']) {
      expect(parseIsoTimestamp(text), text).toBe(Date.parse(text));
    }
  });

  it('accept other precisions and numeric offsets', () => {
    expect(parseIsoTimestamp('2026-06-01T12:00:00Z')).toBe(Date.parse('2026-06-01T12:00:00Z'));
    expect(parseIsoTimestamp('2026-06-01T14:00:00.5+02:00')).toBe(Date.parse('2026-06-01T12:00:00.500Z'));
  });

  it('refuse what is not an ISO date-time, including out-of-range fields in the canonical form', () => {
    for (const bad of [
      '2026-13-01T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-01-32T00:00:00.000Z',
      '2026-01-01T00:60:00.000Z',
      '2026-01-01T00:00:60.000Z',
      '2026-01-01T00:00:00.00xZ',
      '2026-01-01 00:00:00.000Z',
      '2026-01-01T00:00:00.000',
      '1780315200',
      '',
      'Mon, 01 Jun 2026 12:00:00 GMT',
    ]) {
      expect(parseIsoTimestamp(bad), bad).toBeUndefined();
    }
  });
});

describe('unix-seconds timestamps', () => {
  it('accept integer seconds only', () => {
    expect(parseUnixSeconds('1614265330')).toBe(1614265330000);
    for (const bad of ['', '-1', '1.5', '1e9', ' 1', '0x10', '1234567890123'])
      expect(parseUnixSeconds(bad), bad).toBeUndefined();
  });
});
