/**
 * Builds a nested envelope around event data.
 *
 * @module
 */
import { DEFAULT_EVENT_VERSION, type EventEnvelope } from './envelope-schema.js';

/**
 * Envelope fields the caller may set; the rest are generated.
 *
 * @example `createEnvelope(type, data, { correlationId: request.id, source: 'buddy-system' } satisfies CreateEnvelopeOptions)`
 */
export interface CreateEnvelopeOptions {
  /** @default crypto.randomUUID() */
  id?: string;
  /** ISO-8601 UTC with `Z`, or a Date. @default now */
  timestamp?: string | Date;
  /** @default 'v1' */
  version?: string;
  /** The uuid shared by every event of one flow. @default undefined */
  correlationId?: string;
  /** The uuid of the event that caused this one. @default undefined */
  causationId?: string;
  /** The emitting system, e.g. `buddy-system`. @default undefined */
  source?: string;
  /** Free-form metadata carried beside the event. @default undefined */
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
    // The Web Crypto global, not `node:crypto`: the core must bundle unchanged for edge runtimes (see signing/engine).
    id: options.id ?? globalThis.crypto.randomUUID(),
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
