/**
 * The wire body: compact `JSON.stringify` of the nested envelope or of its flat form. The bytes signed are exactly
 * these bytes.
 *
 * @module
 */
import type { EventEnvelope } from './envelope-schema.js';
import { toFlatEvent } from './flat-event.js';

/**
 * Which shape goes on the wire.
 *
 * @example `const shape: EnvelopeShape = schemeBodyShape('buddy-connector') // 'flat'`
 */
export type EnvelopeShape = 'nested' | 'flat';

/**
 * Serialises an envelope for sending.
 *
 * @example
 * ```ts
 * const body = serializeEvent(envelope, 'flat') // the buddy-connector scheme's body
 * ```
 */
export function serializeEvent(envelope: EventEnvelope, shape: EnvelopeShape = 'nested'): string {
  return JSON.stringify(shape === 'flat' ? toFlatEvent(envelope) : envelope);
}
