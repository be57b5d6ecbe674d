/**
 * Builds a nested envelope around event data.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_EVENT_VERSION, type EventEnvelope } from './envelope-schema.js';

/** Envelope fields the caller may set; the rest are generated. */
export interface CreateEnvelopeOptions {
  /** @default crypto.randomUUID() */
  id?: string;
  /** ISO-8601 UTC with `Z`, or a Date. @default now */
  timestamp?: string | Date;
  /** @default 'v1' */
  version?: string;
  correlationId?: string;
  causationId?: string;
  /** The emitting system, e.g. `buddy-system`. */
  source?: string;
  /** Free-form metadata carried beside the event. */
  metadata?: Record<string, unknown>;
}

/**
 * Wraps `data` in an envelope with a fresh id and the current time. It does not validate: the publisher checks the
 * envelope and the data against the catalog before sending.
 *
 * @throws {TypeError} when `options.timestamp` is an invalid `Date`.
 * @example
 * ```ts
 * const envelope = createEnvelope('buddy.match.created', { matchId, participantId, buddyId, matchedAt }, { source: 'buddy-system' })
 * ```
 */
export function createEnvelope<TType extends string, TData>(
  type: TType,
  data: TData,
  options: CreateEnvelopeOptions = {},
): EventEnvelope<TData, TType> {
  const { timestamp } = options;
  if (timestamp instanceof Date && Number.isNaN(timestamp.getTime())) {
    throw new TypeError('createEnvelope: options.timestamp is an invalid Date');
  }
  const metadata: EventEnvelope['metadata'] = {
    id: options.id ?? randomUUID(),
    version: options.version ?? DEFAULT_EVENT_VERSION,
    timestamp:
      timestamp === undefined
        ? new Date().toISOString()
        : typeof timestamp === 'string'
          ? timestamp
          : timestamp.toISOString(),
  };
  if (options.correlationId !== undefined) metadata.correlationId = options.correlationId;
  if (options.causationId !== undefined) metadata.causationId = options.causationId;
  if (options.source !== undefined) metadata.source = options.source;
  if (options.metadata !== undefined) metadata.metadata = options.metadata;
  return { type, data, metadata };
}
