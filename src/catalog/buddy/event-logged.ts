/**
 * `buddy.event.logged`: a buddy pair logged an informal activity (a hangout, a call, a workshop).
 *
 * @module
 */
import { z } from 'zod';

/**
 * Data of `buddy.event.logged`.
 *
 * @example
 * ```ts
 * BuddyEventLoggedSchema.parse({ eventId, matchId, eventType: 'hangout', eventDate: new Date().toISOString() })
 * ```
 */
export const BuddyEventLoggedSchema = z.object({
  eventId: z.uuid(),
  matchId: z.uuid(),
  eventType: z.string(),
  eventDate: z.iso.datetime(),
  description: z.string().optional(),
  location: z.string().optional(),
  attendees: z.array(z.uuid()).optional(),
});

/**
 * Data of `buddy.event.logged`, as validated.
 *
 * @example
 * ```ts
 * receiver.on('buddy.event.logged', (e) => { const data: BuddyEventLoggedData = e.data })
 * ```
 */
export type BuddyEventLoggedData = z.output<typeof BuddyEventLoggedSchema>;
