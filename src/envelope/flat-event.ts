/**
 * The FLAT shape the platform's live HTTP receiver (buddy-connector) and its per-event schemas use:
 * `{ id, version, timestamp, correlationId?, causationId?, metadata?, type, data }`.
 *
 * @module
 */
import { z } from 'zod';
import { type EventEnvelope, envelopeMetadataShape, eventTypeSchema } from './envelope-schema.js';

/**
 * The flat event. `source`, which the flat shape of the platform does not name, rides along as an optional field so
 * a round trip through the flat shape loses nothing.
 *
 * @example
 * ```ts
 * const flat = FlatEventSchema.parse(JSON.parse(body))
 * ```
 */
export const FlatEventSchema = z.object({
  ...envelopeMetadataShape,
  source: z.string().optional(),
  type: eventTypeSchema,
  data: z.record(z.string(), z.unknown()),
});

/**
 * A flat event.
 *
 * @example
 * ```ts
 * const flat: FlatEvent = toFlatEvent(envelope)
 * ```
 */
export type FlatEvent<TData = Record<string, unknown>, TType extends string = string> = Omit<
  z.output<typeof FlatEventSchema>,
  'type' | 'data'
> & { type: TType; data: TData };

/**
 * Nested → flat, losslessly.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(toFlatEvent(envelope))
 * ```
 */
export function toFlatEvent<TData, TType extends string>(
  envelope: EventEnvelope<TData, TType>,
): FlatEvent<TData, TType> {
  const { metadata, type, data } = envelope;
  const flat = { id: metadata.id, version: metadata.version, timestamp: metadata.timestamp } as FlatEvent<TData, TType>;
  if (metadata.correlationId !== undefined) flat.correlationId = metadata.correlationId;
  if (metadata.causationId !== undefined) flat.causationId = metadata.causationId;
  if (metadata.source !== undefined) flat.source = metadata.source;
  if (metadata.metadata !== undefined) flat.metadata = metadata.metadata;
  flat.type = type;
  flat.data = data;
  return flat;
}

/**
 * Flat → nested, losslessly.
 *
 * @example
 * ```ts
 * const envelope = fromFlatEvent(FlatEventSchema.parse(input))
 * ```
 */
export function fromFlatEvent<TData, TType extends string>(flat: FlatEvent<TData, TType>): EventEnvelope<TData, TType> {
  const metadata: EventEnvelope['metadata'] = { id: flat.id, version: flat.version, timestamp: flat.timestamp };
  if (flat.correlationId !== undefined) metadata.correlationId = flat.correlationId;
  if (flat.causationId !== undefined) metadata.causationId = flat.causationId;
  if (flat.source !== undefined) metadata.source = flat.source;
  if (flat.metadata !== undefined) metadata.metadata = flat.metadata;
  return { type: flat.type, data: flat.data, metadata };
}
