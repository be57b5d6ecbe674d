/**
 * `buddy.match.ended`: a match came to an end, with the reason and how it went.
 *
 * @module
 */
import { z } from 'zod';

/**
 * Data of `buddy.match.ended`. `duration` is in days.
 *
 * @example
 * ```ts
 * BuddyMatchEndedSchema.parse({ matchId, participantId, buddyId, endedAt, duration: 90, reason: 'completed' })
 * ```
 */
export const BuddyMatchEndedSchema = z.object({
  matchId: z.uuid(),
  participantId: z.uuid(),
  buddyId: z.uuid(),
  endedAt: z.iso.datetime(),
  duration: z.int().positive(),
  reason: z.enum([
    'completed',
    'participant_request',
    'buddy_request',
    'mutual_agreement',
    'inactivity',
    'violation',
    'program_ended',
    'other',
  ]),
  reasonDetails: z.string().max(500).optional(),
  sessionsCompleted: z.int().nonnegative().optional(),
  eventsAttended: z.int().nonnegative().optional(),
  feedback: z
    .object({
      participantSatisfaction: z.number().min(0).max(1).optional(),
      buddySatisfaction: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

/**
 * Data of `buddy.match.ended`, as validated.
 *
 * @example
 * ```ts
 * receiver.on('buddy.match.ended', (e) => { const data: BuddyMatchEndedData = e.data })
 * ```
 */
export type BuddyMatchEndedData = z.output<typeof BuddyMatchEndedSchema>;
