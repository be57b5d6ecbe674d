/**
 * Reads either envelope shape into the nested one.
 *
 * @module
 */
import type { z } from 'zod';
import { EventValidationError, type ValidationIssue } from '../errors.js';
import { type EventEnvelope, EventEnvelopeSchema } from './envelope-schema.js';
import { FlatEventSchema, fromFlatEvent } from './flat-event.js';

/**
 * The result of {@link safeParseEvent}.
 *
 * @example `const result: ParseEventResult = safeParseEvent(json); if (result.success) result.shape // 'nested' | 'flat'`
 */
export type ParseEventResult =
  | { success: true; envelope: EventEnvelope; shape: 'nested' | 'flat' }
  | { success: false; error: EventValidationError };

/** @internal zod issues → SDK issues */
export function toValidationIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Like {@link parseEvent} but returns the failure instead of throwing: the receiver's hot path uses it.
 *
 * @example
 * ```ts
 * const result = safeParseEvent(JSON.parse(body))
 * if (!result.success) return { status: 400, body: result.error.issues }
 * ```
 */
export function safeParseEvent(input: unknown): ParseEventResult {
  if (!isRecord(input)) {
    return {
      success: false,
      error: new EventValidationError('invalid_envelope', 'the event must be a JSON object', {
        issues: [{ path: [], message: 'Expected an object' }],
      }),
    };
  }
  // A top-level `id` is the flat shape's mark; the nested shape keeps its id under `metadata`.
  const flat = 'id' in input;
  const eventType = typeof input.type === 'string' ? input.type : undefined;
  if (flat) {
    const result = FlatEventSchema.safeParse(input);
    if (result.success) return { success: true, envelope: fromFlatEvent(result.data), shape: 'flat' };
    return { success: false, error: invalidEnvelope(result.error.issues, eventType) };
  }
  const result = EventEnvelopeSchema.safeParse(input);
  if (result.success) return { success: true, envelope: result.data, shape: 'nested' };
  return { success: false, error: invalidEnvelope(result.error.issues, eventType) };
}

function invalidEnvelope(issues: readonly z.core.$ZodIssue[], eventType: string | undefined): EventValidationError {
  const list = toValidationIssues(issues);
  const first = list[0];
  const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid';
  return new EventValidationError('invalid_envelope', `not a valid event envelope (${where})`, {
    issues: list,
    ...(eventType === undefined ? {} : { eventType }),
  });
}

/**
 * Accepts the nested or the flat shape (an already-parsed JSON value) and returns the nested envelope. Data is not
 * checked here: that is the catalog's job.
 *
 * @throws {EventValidationError} `invalid_envelope`, with `issues` naming each field.
 * @example
 * ```ts
 * const envelope = parseEvent({ id, version: 'v1', timestamp, type: 'buddy.match.created', data })
 * envelope.metadata.id === id // true
 * ```
 */
export function parseEvent(input: unknown): EventEnvelope {
  const result = safeParseEvent(input);
  if (!result.success) throw result.error;
  return result.envelope;
}
