/**
 * Events from text, all checked before anything is sent: one JSON event, a JSON array, or JSON lines. Each is a
 * whole envelope (nested or flat) or the short form `{ "type", "data" }`, which gets a fresh id and time. Buddy
 * events are validated against `buddyCatalog`; other types only when accepted.
 *
 * @module
 */
import { buddyCatalog, createEnvelope, type EventEnvelope, isEventRelayError, parseEvent } from '../index.js';
import { CliFailure } from './cli-errors.js';
import { plural } from './plural.js';

/**
 * An event ready to publish, and the line it came from.
 *
 * @example `const { envelope, line }: InputEvent = events[0]`
 */
export interface InputEvent {
  readonly envelope: EventEnvelope;
  /** 1-based line of the input (1 for a single JSON document). */
  readonly line: number;
}

/** How many problems a failure lists before "and n more". */
const SHOWN = 10;

/**
 * Parses and validates every event.
 *
 * @param acceptUnknown whether a type outside the Buddy catalog is sent (its data unchecked).
 * @throws {CliFailure} listing the problems by line, when any event is invalid: then nothing is sent.
 * @example `const events = readEvents(text, false)`
 */
export function readEvents(text: string, acceptUnknown: boolean): InputEvent[] {
  const values = jsonValues(text);
  if (values.length === 0) throw new CliFailure('the input holds no event');
  const problems: string[] = [];
  const events: InputEvent[] = [];
  for (const { value, line, error } of values) {
    const where = values.length === 1 && line === 1 ? 'the event' : `line ${line}`;
    if (error !== undefined) {
      problems.push(`${where}: ${error}`);
      continue;
    }
    try {
      events.push({ envelope: toEnvelope(value, acceptUnknown), line });
    } catch (e) {
      problems.push(`${where}: ${describe(e)}`);
    }
  }
  if (problems.length > 0) {
    const more = problems.length > SHOWN ? [`… and ${problems.length - SHOWN} more`] : [];
    throw new CliFailure(
      [`nothing sent: ${plural(problems.length, 'invalid event')}`, ...problems.slice(0, SHOWN), ...more].join('\n  '),
    );
  }
  return events;
}

function jsonValues(text: string): { value?: unknown; line: number; error?: string }[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const whole: unknown = JSON.parse(trimmed);
    return Array.isArray(whole) ? whole.map((value, i) => ({ value, line: i + 1 })) : [{ value: whole, line: 1 }];
  } catch {
    // Not one document: JSON lines.
  }
  const values: { value?: unknown; line: number; error?: string }[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    try {
      values.push({ value: JSON.parse(raw), line: index + 1 });
    } catch {
      values.push({ line: index + 1, error: 'not valid JSON' });
    }
  }
  return values;
}

function toEnvelope(value: unknown, acceptUnknown: boolean): EventEnvelope {
  const short = value as { type?: unknown; data?: unknown; metadata?: unknown; id?: unknown } | null;
  const envelope =
    typeof short?.type === 'string' && short.metadata === undefined && short.id === undefined
      ? parseEvent(createEnvelope(short.type, (short.data ?? {}) as Record<string, unknown>))
      : parseEvent(value);
  if (!buddyCatalog.has(envelope.type)) {
    if (acceptUnknown) return envelope;
    throw new CliFailure(
      `unknown event type "${envelope.type}" (not a Buddy event; pass --unknown-types accept to send it unchecked)`,
    );
  }
  const checked = buddyCatalog.validate(envelope.type, envelope.data);
  if (checked instanceof Promise) throw new CliFailure(`the schema of ${envelope.type} is asynchronous`);
  if (!checked.success) throw checked.error;
  return { ...envelope, data: checked.data as Record<string, unknown> };
}

function describe(error: unknown): string {
  if (isEventRelayError(error, 'EventValidationError') && error.issues.length > 0) {
    return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
