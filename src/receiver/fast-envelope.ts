/**
 * The receiver's fast path for the common case, an envelope that is valid: plain checks with zod's own public
 * patterns (`z.regexes`), building the same output as the schemas (unknown keys stripped, `version` defaulted).
 * Anything it is not sure of goes to `safeParseEvent`, which gives the exact issues. A property test holds it to
 * the schemas: whatever this accepts, the schemas accept with an equal output.
 *
 * Why it stays: measured on a 1 KB Buddy event, `receiver.handle()` costs 11.3 µs of CPU with it and 13.3 µs with
 * `safeParseEvent` alone (the schema copies `data` key by key before the catalog validates it again).
 *
 * @module
 */
import { z } from 'zod';
import { DEFAULT_EVENT_VERSION, EVENT_TYPE_PATTERN, type EventEnvelope } from '../envelope/envelope-schema.js';

// The patterns behind `z.uuid()` and `utcTimestampSchema` (`z.iso.datetime({ offset: false })`).
const UUID = z.regexes.uuid();
const TIMESTAMP = z.regexes.datetime({ offset: false, local: false });

type Metadata = EventEnvelope['metadata'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalUuid(value: unknown, uuid: RegExp): boolean {
  return value === undefined || (typeof value === 'string' && uuid.test(value));
}

/** `undefined` unless every envelope field (not `data`'s content) is certainly valid. */
function readMetadata(source: Record<string, unknown>): Metadata | undefined {
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
