/**
 * `buddy.feedback.submitted`: a participant or a buddy rated their match.
 *
 * @module
 */
import { z } from 'zod';

/**
 * Data of `buddy.feedback.submitted`. Ratings are normalised to 0–1.
 *
 * @example
 * ```ts
 * BuddyFeedbackSubmittedSchema.parse({ feedbackId, matchId, fromRole: 'participant', rating: 0.8, submittedAt })
 * ```
 */
export const BuddyFeedbackSubmittedSchema = z.object({
  feedbackId: z.uuid(),
  matchId: z.uuid(),
  fromRole: z.enum(['participant', 'buddy']),
  rating: z.number().min(0).max(1),
  submittedAt: z.iso.datetime(),
  feedbackText: z.string().optional(),
  categories: z
    .object({
      communication: z.number().min(0).max(1).optional(),
      helpfulness: z.number().min(0).max(1).optional(),
      engagement: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

/**
 * Data of `buddy.feedback.submitted`, as validated.
 *
 * @example
 * ```ts
 * receiver.on('buddy.feedback.submitted', (e) => { const data: BuddyFeedbackSubmittedData = e.data })
 * ```
 */
export type BuddyFeedbackSubmittedData = z.output<typeof BuddyFeedbackSubmittedSchema>;
