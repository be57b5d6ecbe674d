// The rule builders of the Buddy catalog table: one constrained field each, with values it must refuse and accept.
import type { BuddyEventType } from '../../src/catalog/buddy.js';

export type Path = readonly (string | number)[];
export interface Rule {
  readonly name: string;
  readonly path: Path;
  readonly invalid: readonly unknown[];
  readonly valid: readonly unknown[];
}
export interface EventDescription {
  readonly type: BuddyEventType;
  readonly sample: Record<string, unknown>;
  readonly required: readonly string[];
  readonly rules: readonly Rule[];
  /** Nested objects (not free-form records) whose unknown keys are stripped too. */
  readonly nested: readonly string[];
}

export const at = (path: string): Path => path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
export const uuid = (path: string): Rule => ({
  name: 'uuid',
  path: at(path),
  invalid: ['not-a-uuid', '123e4567e89b12d3a456426614174000', 42],
  valid: ['123e4567-e89b-12d3-a456-426614174000'],
});
export const dt = (path: string): Rule => ({
  name: 'ISO-8601 UTC Z',
  path: at(path),
  invalid: ['2026-03-01T10:00:00+02:00', '2026-03-01T10:00:00', '2026-03-01', 'yesterday', 1767225600000],
  valid: ['2026-03-01T10:00:00Z', '2026-03-01T10:00:00.123456Z'],
});
export const maxLength = (path: string, max: number): Rule => ({
  name: `≤ ${max} chars`,
  path: at(path),
  invalid: ['x'.repeat(max + 1), 7],
  valid: ['', 'x'.repeat(max)],
});
export const text = (path: string): Rule => ({ name: 'string', path: at(path), invalid: [7, null], valid: [''] });
export const strings = (path: string): Rule => ({
  name: 'string[]',
  path: at(path),
  invalid: ['a', [1]],
  valid: [[], ['a']],
});
export const positiveInt = (path: string): Rule => ({
  name: 'int > 0',
  path: at(path),
  invalid: [0, -1, 1.5, '3'],
  valid: [1, 10_000],
});
export const nonNegativeInt = (path: string): Rule => ({
  name: 'int ≥ 0',
  path: at(path),
  invalid: [-1, 0.5, '0'],
  valid: [0, 12],
});
export const unit = (path: string): Rule => ({
  name: '0–1',
  path: at(path),
  invalid: [-0.01, 1.01, 5, '0.5'],
  valid: [0, 0.5, 1],
});
export const sdgGoals = (path: string): Rule => ({
  name: 'int 1–17 []',
  path: at(path),
  invalid: [[0], [18], [4.5], 4],
  valid: [[], [1, 17]],
});
export const oneOf = (path: string, values: readonly string[]): Rule => ({
  name: `one of ${values.join(', ')}`,
  path: at(path),
  invalid: ['nope', values[0]?.toUpperCase(), 1],
  valid: values,
});
export const FORMATS = ['in-person', 'online', 'hybrid'];

export const ID = {
  a: '0b6f3c2e-8a51-4f0e-9c1d-2a3b4c5d6e7f',
  b: '1c7a4d3f-9b62-4a1f-8d2e-3b4c5d6e7f80',
  c: '2d8b5e40-ac73-4b20-9e3f-4c5d6e7f8091',
  d: '3e9c6f51-bd84-4c31-af40-5d6e7f8091a2',
};
export const WHEN = '2026-03-01T10:00:00.000Z';
