/**
 * `buddy.event.attended`: a user attended a formal programme event.
 *
 * @module
 */
import { z } from 'zod';

/**
 * Data of `buddy.event.attended`. `sdgGoals` are UN Sustainable Development Goal numbers (1–17).
 *
 * @example
 * ```ts
 * BuddyEventAttendedSchema.parse({
 *   eventId, userId, eventTitle: 'Language café', eventType: 'language', eventFormat: 'in-person', attendedAt,
 * })
 * ```
 */
export const BuddyEventAttendedSchema = z.object({
  eventId: z.uuid(),
  userId: z.uuid(),
  eventTitle: z.string().max(200),
  eventType: z.enum([
    'cultural',
    'educational',
    'professional',
    'social',
    'support',
    'recreational',
    'language',
    'other',
  ]),
  eventFormat: z.enum(['in-person', 'online', 'hybrid']),
  attendedAt: z.iso.datetime(),
  matchId: z.uuid().optional(),
  location: z.string().max(200).optional(),
  durationMinutes: z.int().positive().optional(),
  attendeeCount: z.int().positive().optional(),
  organizer: z.string().max(100).optional(),
  categories: z.array(z.string()).optional(),
  sdgGoals: z.array(z.int().min(1).max(17)).optional(),
});

/**
 * Data of `buddy.event.attended`, as validated.
 *
 * @example
 * ```ts
 * receiver.on('buddy.event.attended', (e) => { const data: BuddyEventAttendedData = e.data })
 * ```
 */
export type BuddyEventAttendedData = z.output<typeof BuddyEventAttendedSchema>;
