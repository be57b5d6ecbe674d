/**
 * `buddy.checkin.completed`: a buddy pair completed a regular wellbeing and progress check-in.
 *
 * @module
 */
import { z } from 'zod';

/**
 * Data of `buddy.checkin.completed`.
 *
 * @example
 * ```ts
 * BuddyCheckinCompletedSchema.parse({ checkinId, matchId, checkinDate: new Date().toISOString(), mood: 'good' })
 * ```
 */
export const BuddyCheckinCompletedSchema = z.object({
  checkinId: z.uuid(),
  matchId: z.uuid(),
  checkinDate: z.iso.datetime(),
  mood: z.enum(['great', 'good', 'okay', 'struggling', 'difficult']).optional(),
  notes: z.string().optional(),
  questionResponses: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Data of `buddy.checkin.completed`, as validated.
 *
 * @example
 * ```ts
 * receiver.on('buddy.checkin.completed', (e) => { const data: BuddyCheckinCompletedData = e.data })
 * ```
 */
export type BuddyCheckinCompletedData = z.output<typeof BuddyCheckinCompletedSchema>;
