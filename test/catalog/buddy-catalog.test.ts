// Table-driven: each Buddy event is described once (a full sample, its required fields, a rule per constrained
// field), and every case is generated from that description.
import { describe, expect, it } from 'vitest';
import { BUDDY_EVENT_TYPES } from '../../src/catalog/buddy.js';
import type { CatalogValidation } from '../../src/catalog/catalog.js';
import { buddyCatalog } from '../../src/index.js';
import { EVENTS } from './buddy-events.js';
import { at, type Path } from './buddy-rules.js';

function validateNow(type: string, data: unknown): CatalogValidation {
  const result = buddyCatalog.validate(type, data);
  // zod answers synchronously: the receiver's hot path relies on it.
  if (result instanceof Promise) throw new Error('expected a synchronous validation');
  return result;
}

function withValue(sample: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(sample);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

function pick(sample: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, sample[key]]));
}

const show = (value: unknown): string => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}…` : json;
};

it('BUDDY_EVENT_TYPES lists the catalog, and every event has a description here', () => {
  expect(buddyCatalog.types).toEqual(BUDDY_EVENT_TYPES);
  expect(EVENTS.map((e) => e.type)).toEqual([...BUDDY_EVENT_TYPES]);
});

it('keeps every key of a free-form record (questionResponses)', () => {
  const checkin = EVENTS.find((e) => e.type === 'buddy.checkin.completed')!;
  const data = withValue(checkin.sample, ['questionResponses', 'anyQuestion'], 'any answer');
  expect(validateNow(checkin.type, data)).toEqual({ success: true, data });
});

describe.each(EVENTS)('$type', ({ type, sample, required, rules, nested }) => {
  it('accepts a sample with every optional field, unchanged', () => {
    expect(validateNow(type, sample)).toEqual({ success: true, data: sample });
  });

  it('accepts a sample with only the required fields', () => {
    const minimal = pick(sample, required);
    expect(validateNow(type, minimal)).toEqual({ success: true, data: minimal });
  });

  it.each(required)('rejects data without %s, naming the field', (field) => {
    const data = { ...sample };
    delete data[field];
    const result = validateNow(type, data);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('invalid_data');
    expect(result.error.eventType).toBe(type);
    expect(result.error.issues.map((i) => i.path)).toEqual([['data', field]]);
  });

  const invalidCases = rules.flatMap((rule) =>
    rule.invalid.map((value) => ({ label: `${rule.path.join('.')} (${rule.name}) = ${show(value)}`, rule, value })),
  );
  it.each(invalidCases)('rejects $label', ({ rule, value }) => {
    const result = validateNow(type, withValue(sample, rule.path, value));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('invalid_data');
    expect(result.error.issues.length).toBeGreaterThan(0);
    for (const issue of result.error.issues)
      expect(issue.path.slice(0, rule.path.length + 1)).toEqual(['data', ...rule.path]);
  });

  const validCases = rules.flatMap((rule) =>
    rule.valid.map((value) => ({ label: `${rule.path.join('.')} (${rule.name}) = ${show(value)}`, rule, value })),
  );
  it.each(validCases)('accepts $label', ({ rule, value }) => {
    const data = withValue(sample, rule.path, value);
    expect(validateNow(type, data)).toEqual({ success: true, data });
  });

  it('strips unknown keys, at the top and in nested objects', () => {
    let data = withValue(sample, ['unexpected'], 'drop me');
    for (const path of nested) data = withValue(data, [...at(path), 'alsoUnexpected'], 1);
    expect(validateNow(type, data)).toEqual({ success: true, data: sample });
  });

  it('rejects data that is not an object', () => {
    for (const data of [null, 'x', [sample]]) {
      const result = validateNow(type, data);
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error.issues[0]?.path).toEqual(['data']);
    }
  });
});
