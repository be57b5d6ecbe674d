/**
 * The canonical, nested envelope: `{ type, data, metadata: { id, version, timestamp, ... } }`. This is the shape
 * the SDK works in; the flat shape of the platform's live receiver converts to and from it losslessly.
 *
 * @module
 */
import { z } from 'zod';

/**
 * `<domain>.<entity>.<action>`: lowercase, three or more dot-separated tokens (`buddy.skill_share.completed`).
 *
 * @example `EVENT_TYPE_PATTERN.test('buddy.match.created') // true; 'Buddy.Match' is false`
 */
export const EVENT_TYPE_PATTERN: RegExp = /^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*){2,}$/;

/**
 * The envelope version written when none is given.
 *
 * @example `createEnvelope(type, data).metadata.version === DEFAULT_EVENT_VERSION // 'v1'`
 */
export const DEFAULT_EVENT_VERSION = 'v1';

/** @internal shared by both shapes */
export const eventTypeSchema = z
  .string()
  .regex(EVENT_TYPE_PATTERN, 'must be <domain>.<entity>.<action>: lowercase, 3 or more dot-separated tokens');

/** @internal ISO-8601 in UTC with a `Z`, any sub-second precision. */
export const utcTimestampSchema = z.iso.datetime({ offset: false });

/** @internal the envelope fields both shapes carry */
export const envelopeMetadataShape = {
  id: z.uuid(),
  version: z.string().min(1).default(DEFAULT_EVENT_VERSION),
  timestamp: utcTimestampSchema,
  correlationId: z.uuid().optional(),
  causationId: z.uuid().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
};

/**
 * The nested envelope (the seed ADR's `event.metadata.id`; the platform's `EventEnvelopeSchema`). `data` is an
 * object here; its fields are checked by the catalog.
 *
 * @example
 * ```ts
 * const envelope = EventEnvelopeSchema.parse(JSON.parse(body))
 * ```
 */
export const EventEnvelopeSchema = z.object({
  type: eventTypeSchema,
  data: z.record(z.string(), z.unknown()),
  metadata: z.object({ ...envelopeMetadataShape, source: z.string().optional() }),
});

/**
 * A nested envelope. `TData` is the data type, narrowed by a catalog.
 *
 * @example
 * ```ts
 * const e: EventEnvelope<{ matchId: string }> = createEnvelope('buddy.match.created', { matchId })
 * ```
 */
export type EventEnvelope<TData = Record<string, unknown>, TType extends string = string> = Omit<
  z.output<typeof EventEnvelopeSchema>,
  'type' | 'data'
> & { type: TType; data: TData };
