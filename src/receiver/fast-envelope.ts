/**
 * The receiver's fast path for the common case, an envelope that is valid: plain checks with the very patterns the
 * zod schemas use, building the same output (unknown keys stripped, `version` defaulted). Anything it is not sure
 * of goes to `safeParseEvent`, which gives the exact issues. A property test holds it to the schemas: whatever this
 * accepts, the schemas accept with an equal output.
 *
 * @module
 */
import { z } from 'zod';
import {
  DEFAULT_EVENT_VERSION,
  EVENT_TYPE_PATTERN,
  type EventEnvelope,
  utcTimestampSchema,
} from '../envelope/envelope-schema.js';

function patternOf(schema: { _zod: { pattern?: RegExp | undefined } }): RegExp | undefined {
  const pattern = schema._zod.pattern;
  return pattern instanceof RegExp && !pattern.global && !pattern.sticky ? pattern : undefined;
}

const UUID = patternOf(z.uuid() as never);
const TIMESTAMP = patternOf(utcTimestampSchema as never);

type Metadata = EventEnvelope['metadata'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalUuid(value: unknown, uuid: RegExp): boolean {
  return value === undefined || (typeof value === 'string' && uuid.test(value));
}

/** `undefined` unless every envelope field (not `data`'s content) is certainly valid. */
function readMetadata(source: Record<string, unknown>): Metadata | undefined {
  if (UUID === undefined || TIMESTAMP === undefined) return undefined;
  const { id, version, timestamp, correlationId, causationId, source: from, metadata } = source;
  if (typeof id !== 'string' || !UUID.test(id)) return undefined;
  if (version !== undefined && (typeof version !== 'string' || version.length === 0)) return undefined;
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return undefined;
  if (!optionalUuid(correlationId, UUID) || !optionalUuid(causationId, UUID)) return undefined;
  if (from !== undefined && typeof from !== 'string') return undefined;
  if (metadata !== undefined && (!isRecord(metadata) || Object.hasOwn(metadata, '__proto__'))) return undefined;
  const out: Metadata = { id, version: (version as string | undefined) ?? DEFAULT_EVENT_VERSION, timestamp };
  if (correlationId !== undefined) out.correlationId = correlationId as string;
  if (causationId !== undefined) out.causationId = causationId as string;
  if (metadata !== undefined) out.metadata = metadata;
  if (from !== undefined) out.source = from;
  return out;
}

/**
 * @internal The nested envelope when `input` is certainly a valid envelope of either shape, else `undefined`
 * (then ask `safeParseEvent`). `data` is not copied: the value comes fresh from `JSON.parse` and nobody else holds it.
 */
export function fastEnvelope(input: unknown): EventEnvelope | undefined {
  if (!isRecord(input)) return undefined;
  const { type, data } = input;
  if (typeof type !== 'string' || !EVENT_TYPE_PATTERN.test(type) || !isRecord(data)) return undefined;
  // Keys that would change an object's prototype when copied: leave them to the schema.
  if (Object.hasOwn(data, '__proto__')) return undefined;
  // A top-level `id` marks the flat shape, as in `safeParseEvent`.
  const metadata =
    'id' in input ? readMetadata(input) : isRecord(input.metadata) ? readMetadata(input.metadata) : undefined;
  if (metadata === undefined) return undefined;
  return { type, data, metadata };
}
