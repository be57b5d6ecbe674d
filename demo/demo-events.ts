/**
 * The events the demo publishes: the eight Buddy event types in turn, each with valid sample data and its own id.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { BUDDY_EVENT_TYPES, type BuddyEventType } from '../src/catalog/buddy.js';
import { buddySample } from '../src/testing/buddy-samples.js';

/**
 * One event to publish.
 *
 * @example
 * ```ts
 * const [event] = demoEvents(1) // { id, type: 'buddy.match.created', data }
 * ```
 */
export interface DemoEvent {
  id: string;
  type: BuddyEventType;
  data: ReturnType<typeof buddySample>;
}

/**
 * `count` events cycling through the Buddy types.
 *
 * @example
 * ```ts
 * for (const event of demoEvents(300)) publisher.publish(event.type, event.data, { id: event.id })
 * ```
 */
export function demoEvents(count: number): DemoEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const type = BUDDY_EVENT_TYPES[i % BUDDY_EVENT_TYPES.length] as BuddyEventType;
    return { id: randomUUID(), type, data: buddySample(type) };
  });
}
